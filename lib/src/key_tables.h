#pragma once
// The key tables of the checker: member IDs and e-mail keys seen so far in the file
// (duplicates, spec §4 and §4.3) and the shop's current members (--current), and
// the stage of the pipeline that looks a batch's keys up and writes its findings in
// record order. Private to the library.

#include <cstdint>
#include <string>
#include <vector>

#include "check_pipeline.h"
#include "compact.h"
#include "kaiin/detect.h"
#include "kaiin/text.h"
#include "upload_header.h"

namespace kaiin::detail {

/// The shop's current members (--current): IDs and e-mail keys. Loaded before any
/// file is checked, then only read.
struct current_members {
  id_index ids;     // member ID -> index (the member's number)
  text_map emails;  // e-mail key -> index

  void load(const std::string& path, source_encoding from, diagnostics& diag);
  /// The PC and the mobile e-mail key of member \p index (empty: none).
  std::string_view pc(std::uint32_t index) const { return key_at(pc_[index]); }
  std::string_view mobile(std::uint32_t index) const { return key_at(mobile_[index]); }

 private:
  static constexpr std::uint32_t no_key = UINT32_MAX;
  std::string_view key_at(std::uint32_t ref) const { return ref == no_key ? std::string_view() : keys_.get(ref); }
  text_arena keys_;
  chunked<std::uint32_t> pc_, mobile_;  // by index: references into keys_, or no_key
};

/// Owned by the thread that runs the pipeline (run_pipeline's caller), which also
/// writes the findings: the tables live as long as one file is checked.
class table_stage {
 public:
  /// \p path: the file, to size the tables from (nothing for a pipe).
  table_stage(const upload_header& header, const current_members* current, const std::string& path);

  /// Looks the keys of \p b up, in record order, then reports \p b's findings in
  /// record order: what reading found first, then the row rules, then the tables.
  void flush(batch& b, diagnostics& diag);

 private:
  // Slots are prefetched this many jobs ahead: a million keys in memory otherwise
  // wait on memory one at a time.
  static constexpr std::size_t prefetch_distance = 12;

  void look_up_id(const batch& b, const job& j);
  void look_up_email(const batch& b, const job& j);
  void report(const job& j, field f, std::string rule, std::string message);

  const upload_header& header_;
  const current_members* current_;
  id_map ids_;                  // member ID -> line of its first row
  text_map emails_;             // e-mail key -> line of its first row
  std::vector<finding> found_;  // the tables' findings of the batch
  // The current member that the ID of record member_record_ named (a u row): its
  // addresses, whose jobs come right after the ID's, are compared with the member's.
  std::uint64_t member_record_ = 0;
  std::uint32_t member_ = 0;
};

}  // namespace kaiin::detail
