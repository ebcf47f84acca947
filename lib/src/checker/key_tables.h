#pragma once
// The key tables of the checker: member IDs and e-mail keys seen so far in the file
// (duplicates, spec §4 and §4.3) and the shop's current members (--current), and
// the stage of the pipeline that looks a batch's keys up and writes its findings in
// record order. Private to the library.

#include <cstdint>
#include <string>
#include <vector>

#include "checker/check_pipeline.h"
#include "checker/upload_header.h"
#include "core/compact.h"
#include "core/text.h"
#include "kaiin/detect.h"

namespace kaiin::detail {

/// E-mail keys mapped to a 32-bit value (a line, a member's number), each stored
/// as its local part after one byte for its domain: the first 255 domains of a file
/// (gmail.com, docomo.ne.jp, ...) are kept once. A million keys take some 15 MB
/// less than as whole texts. Keys are filed under hash_text() of the whole key.
class email_map {
 public:
  email_map();
  email_map(const email_map&) = delete;
  email_map& operator=(const email_map&) = delete;
  /// The value stored for \p key (its hash_text() \p hash), or nullptr; \p scratch
  /// holds the key as stored.
  const std::uint32_t* find(std::string_view key, std::uint32_t hash, std::string& scratch) const;
  /// Stores \p value for \p key unless it is there; returns the value stored.
  std::uint32_t insert(std::string_view key, std::uint32_t hash, std::uint32_t value) {
    return insert_entry(key, hash, value).second;
  }
  /// The same, returning also the key's entry, which key() gives the key of.
  std::pair<std::uint32_t, std::uint32_t> insert_entry(std::string_view key, std::uint32_t hash, std::uint32_t value);
  /// The key of entry \p entry.
  std::string key(std::uint32_t entry) const { return decode(map_.stored(entry)); }
  void prefetch(std::uint32_t hash) const { map_.prefetch(hash); }
  void reserve(std::size_t n) { map_.reserve(n); }
  std::size_t size() const { return map_.size(); }

 private:
  // \p key as stored, in \p out: the domain's byte (1-255) and the local part, or 0
  // and the whole key when its domain has none. \p learn: a new domain gets a byte
  // while there are some left.
  void encode(std::string_view key, std::string& out, bool learn);
  void encode(std::string_view key, std::string& out) const;
  // The stored form: the domain's byte \p code (0: none) and \p rest.
  static void put(std::uint32_t code, std::string_view rest, std::string& out);
  std::string decode(std::string_view stored) const;

  string_table domain_code_;          // domain -> its byte
  std::vector<std::string> domains_;  // by byte - 1
  std::string scratch_;
  text_map map_;
};

/// The shop's current members (--current): IDs and e-mail keys. Loaded before any
/// file is checked, then only read.
struct current_members {
  id_index ids;      // member ID -> index (the member's number)
  email_map emails;  // e-mail key -> index

  void load(const std::string& path, source_encoding from, diagnostics& diag);
  /// The PC and the mobile e-mail key of member \p index (empty: none).
  std::string pc(std::uint32_t index) const { return key_at(pc_[index]); }
  std::string mobile(std::uint32_t index) const { return key_at(mobile_[index]); }

 private:
  static constexpr std::uint32_t no_key = UINT32_MAX;
  std::string key_at(std::uint32_t entry) const { return entry == no_key ? std::string() : emails.key(entry); }
  // By index: the entry of the member's key in emails (kept there once, whoever it
  // belongs to), or no_key.
  chunked<std::uint32_t> pc_, mobile_;
};

/// Owned by the thread that runs the pipeline (run_pipeline's caller), which also
/// writes the findings: the tables live as long as one file is checked.
class table_stage {
 public:
  /// \p path: the file, to size the tables from (nothing for a pipe); \p keep_values:
  /// findings carry the values they are about (diagnostics::wants_values).
  table_stage(const upload_header& header, const current_members* current, const std::string& path,
              bool keep_values = false);

  /// Looks the keys of \p b up, in record order, then reports \p b's findings in
  /// record order: what reading found first, then the row rules, then the tables.
  void flush(batch& b, diagnostics& diag);

 private:
  // Slots are prefetched this many look-ups ahead: a million keys in memory otherwise
  // wait on memory one at a time.
  static constexpr std::size_t prefetch_distance = 12;

  // Sizes the tables for the members of the file from the bytes of \p b's rows, its
  // first: room at once, and no more than the file needs.
  void reserve_from(const batch& b);
  void look_up_id(const batch& b, const key_lookup& lookup);
  void look_up_email(const batch& b, const key_lookup& lookup);
  // A finding of look-up \p lookup of \p b, about its value.
  void report(const batch& b, const key_lookup& lookup, std::string_view rule, std::string_view message);

  const upload_header& header_;
  const current_members* current_;
  const bool keep_values_;
  id_map ids_;                   // member ID -> line of its first row
  email_map emails_;             // e-mail key -> line of its first row
  std::string scratch_;          // a key as email_map stores it
  std::uint64_t file_size_ = 0;  // 0: unknown (a pipe), or the tables are sized
  batch_findings found_;         // the tables' findings of the batch
  // The current member that the ID of record member_record_ named (a u row): its
  // addresses, whose look-ups come right after the ID's, are compared with the member's.
  std::uint64_t member_record_ = 0;
  std::uint32_t member_ = 0;
};

}  // namespace kaiin::detail
