#pragma once
/// \file
/// kaiin's member fields (spec §4) and profiles: data files that map a platform's
/// header names to those fields. Profiles ship in share/kaiin/profiles/ and a user
/// can pass their own file.

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/text.h"
#include "kaiin/encoding.h"

namespace kaiin {

/// The member fields of spec §4 (in the order of its table, later additions last).
enum class field {
  control,
  member_id,
  password,
  crypted_pass,
  last_name,
  first_name,
  last_kana,
  first_kana,
  email,
  mobile_email,
  zip,
  pref,
  address1,
  address2,
  tel,
  birthday,
  sex,
  mailmag,
  point,
  rank,
  registered,
  memo,
  updated,
  mobile_mailmag,  ///< the mobile address's subscription where a platform keeps one apart
};
/// How many fields there are.
inline constexpr std::size_t field_count = 24;

/// "member_id", as profiles and rules files name fields.
std::string_view field_name(field f);
/// The field named \p name, or nullopt.
std::optional<field> field_named(std::string_view name);

/// What a platform's upload screen reads (spec §14): the encoding and the line ends
/// of a file it takes, where the platform's documentation says so.
struct upload_form {
  kaiin::encoding file_encoding = encoding::cp932;  ///< utf8 takes a BOM or none
  std::string newline;                              ///< "\r\n", "\n", or empty: either
  bool confirmed = false;                           ///< from the documentation, not a best reading
};

/// A mapping of header names to fields.
class profile {
 public:
  /// Reads a profile file: CSV with the header field,header[,confirmed] and one row
  /// per header name (a field may have several); confirmed is yes where the header
  /// was confirmed from the platform's documentation. Two rows may say what its
  /// upload screen reads instead of a header: upload_encoding (Shift_JIS, UTF-8 or
  /// UTF-8-BOM) and upload_newline (CRLF or LF). Throws kaiin::error naming the line.
  static profile load(const std::string& path, std::string name = {});

  /// "kaiin", "futureshop", or the file's name without .csv.
  const std::string& name() const { return name_; }
  /// The file it was read from.
  const std::string& path() const { return path_; }
  /// The field \p header stands for, or nullopt. A header written as
  /// 項目名:項目ID (ebisumart) matches by either part as well.
  std::optional<field> match(std::string_view header) const;
  /// The first header name the profile gives for \p f (for messages).
  std::string header_of(field f) const;
  /// Every header name the profile knows, for hints.
  std::vector<std::string> headers() const;
  /// True when the profile file marks \p header as confirmed from the platform's own
  /// documentation; false for a best reading (or a header it does not know).
  bool confirmed(std::string_view header) const;
  /// What the platform's upload screen reads, where the profile says.
  const std::optional<upload_form>& upload() const { return upload_; }

 private:
  std::string name_, path_;
  std::optional<upload_form> upload_;
  struct entry {
    std::string header;
    field f;
    bool confirmed;
  };
  std::vector<entry> headers_;
  // The field of each header name (the file's first for a name given twice), for
  // match(): every column of a header is looked up in every shipped profile, several
  // times a run; a walk through headers_ was 7% of the fix fuzz target's time under
  // ASan (perf), a search by halves no better.
  std::unordered_map<std::string, field, text_hash, std::equal_to<>> field_of_;
};

/// The profiles shipped with kaiin, kaiin's own first; read once per process.
const std::vector<profile>& builtin_profiles();
/// A profile by name (a shipped one) or by file path; throws kaiin::error listing
/// the names when there is no such profile.
profile find_profile(const std::string& name_or_path);

/// Reads a rank list (--ranks): the rank names set up in a shop or in CROSS POINT,
/// one a line, with an optional header "rank"; empty names are skipped. Throws
/// kaiin::error naming the file and line of what cannot be read.
std::vector<std::string> read_ranks(const std::string& path);

/// Where each field is in a file's header, as a profile reads it.
struct column_map {
  std::array<int, field_count> index;  ///< column of each field, or -1
  std::vector<std::size_t> unknown;    ///< columns no field maps to (passed through)
  std::size_t matched = 0;             ///< columns that map to a field
  /// The column of \p f, or -1.
  int operator[](field f) const { return index[static_cast<std::size_t>(f)]; }
};

/// Maps \p header with \p p; a second column for a field already mapped counts as
/// unknown.
column_map map_columns(const profile& p, const std::vector<std::string>& header);
/// The shipped profile that recognises most of \p header (kaiin's own on a tie).
const profile& best_profile(const std::vector<profile>& profiles, const std::vector<std::string>& header);

}  // namespace kaiin
