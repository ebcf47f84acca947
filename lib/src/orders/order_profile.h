#pragma once
// Order profiles (spec §10): which header of a platform's order export holds each of
// kaiin's order fields, and which values mean shipped, cancelled and returned.

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/text.h"

namespace kaiin {

/// The order fields of spec §10 (in the order of its table), and shipping_fee, which
/// a profile may name to say which of two 送料 columns it means.
enum class order_field {
  order_id,
  member_id,
  email,
  mobile_email,
  ordered_at,
  status,
  shipping_status,
  shipped_on,
  total,
  used_points,
  shipping_fee,
};
/// How many order fields there are.
inline constexpr std::size_t order_field_count = 11;

/// What a status value means to a profile.
enum class order_value { shipped, cancelled, returned };

/// A mapping of an order export's headers to order fields, with the status values
/// that mean shipped, cancelled and returned. Read from a profile file (see load()).
class order_profile {
 public:
  /// Reads an order profile: CSV `field,header,confirmed` like a member profile. A
  /// row maps a header to an order field, or with the field `other` names a column
  /// the platform writes that no order field reads (it counts when the profile is
  /// recognised); `NAME#N` means the N-th column named NAME (for a header that
  /// appears twice). Rows whose field is `shipped` (a value of shipping_status),
  /// `cancelled` or `returned` (values of status) list the values. Throws
  /// kaiin::error naming the line.
  static order_profile load(const std::string& path, std::string name = {});

  /// Its name (kaiin, ec-cube, ...), or the file's name.
  const std::string& name() const { return name_; }
  /// The file it was read from.
  const std::string& path() const { return path_; }
  /// The field that column \p header stands for when it is the \p occurrence-th
  /// column so named (from 1), or nullopt. 項目名:項目ID matches by either part.
  std::optional<order_field> match(std::string_view header, int occurrence = 1) const;
  /// True when the profile names an occurrence of \p header (`送料#1`): it says
  /// which of the columns so named it means.
  bool names_occurrence(std::string_view header) const;
  /// True when the profile knows column \p header (the \p occurrence-th so named):
  /// it maps it to a field, or names it as `other`.
  bool knows(std::string_view header, int occurrence = 1) const;
  /// True when some header of the profile maps to \p f.
  bool maps(order_field f) const;
  /// The first header the profile gives for \p f (for messages).
  std::string header_of(order_field f) const;
  /// True when the profile file marks \p header confirmed from the platform's own
  /// documentation (false for a best reading, or a header it does not know).
  bool confirmed(std::string_view header) const;
  /// True when \p value is one of the profile's values meaning \p what.
  bool means(order_value what, std::string_view value) const;
  /// The values meaning \p what (none when the profile lists none).
  const std::vector<std::string>& values(order_value what) const { return values_[static_cast<int>(what)]; }

 private:
  struct entry {
    std::string header;
    int occurrence;                // 0: any column so named
    std::optional<order_field> f;  // none: `other`, a column no field reads
    bool confirmed;
  };
  const entry* exact(std::string_view header, int occurrence) const;
  const entry* find(std::string_view header, int occurrence) const;
  std::string name_, path_;
  std::vector<entry> headers_;
  // The names of headers_, so that a column the profile does not know (most of a
  // header, in every profile but one) is answered without a walk through headers_:
  // the walk was 14% of the orders fuzz target's time on a grown corpus (perf).
  std::unordered_set<std::string, text_hash, std::equal_to<>> names_;
  std::array<std::vector<std::string>, 3> values_;
};

/// The order profiles shipped with kaiin (data/orders/), kaiin's own first; read once.
const std::vector<order_profile>& builtin_order_profiles();
/// An order profile by name (a shipped one) or by file path; throws kaiin::error
/// listing the names when there is none.
order_profile find_order_profile(const std::string& name_or_path);

/// Where each order field is in a file's header.
struct order_columns {
  std::array<int, order_field_count> index;  ///< column of each field, or -1
  std::size_t matched = 0;                   ///< columns the profile knows (mapped or `other`)
  /// Header names that appear more than once without the profile saying which one
  /// it means, each with the columns (0-based) so named.
  std::vector<std::pair<std::string, std::vector<std::size_t>>> ambiguous;
  /// The column of field \p f, or -1.
  int operator[](order_field f) const { return index[static_cast<std::size_t>(f)]; }
};
/// Maps \p header with \p p (spec §10: a header that appears twice is ambiguous
/// unless the profile names an occurrence of it; empty header cells are no names).
order_columns map_order_columns(const order_profile& p, const std::vector<std::string>& header);
/// The profile that recognises most of \p header (kaiin's own on a tie).
const order_profile& best_order_profile(const std::vector<order_profile>& profiles,
                                        const std::vector<std::string>& header);

}  // namespace kaiin
