#pragma once
// kaiin-crm's files (spec §11): customers.csv written from a second reading of the
// member export, the customers sent last time (--previous) and the addresses that
// stopped (unsubscribed.csv), and CSV rows in the output's encoding. Private to the
// library.

#include <cstdint>
#include <string>
#include <vector>

#include "core/compact.h"
#include "core/csv_input.h"
#include "jobs/crm/crm_members.h"
#include "kaiin/encoding.h"
#include "kaiin/io.h"

namespace kaiin::detail {

/// The columns of customers.csv: the member export's, without the password, its
/// flag, the mobile address and mobile_mailmag. A row of a mobile address has that
/// address in the e-mail column and its own flag in the mailmag column.
class customer_layout {
 public:
  customer_layout(const std::vector<std::string>& header, const column_map& columns);
  /// The input column whose value output column \p k holds, in the row of the PC
  /// address or (\p mobile) of the mobile one.
  std::size_t source(std::size_t k, bool mobile) const;
  std::size_t size() const { return kept_.size(); }
  /// A fingerprint of a customer row: its columns' names and values, decoded (so
  /// that the same row in another encoding has the same one).
  std::uint64_t fingerprint(csv_input& in, const raw_record& r, bool mobile, std::string& scratch) const;

 private:
  std::vector<std::size_t> kept_;
  int email_ = -1, mobile_ = -1, mailmag_ = -1, mobile_mailmag_ = -1;
  std::uint64_t header_hash_ = 0;
};

/// Writes CSV rows in the output's encoding: fields copied as they are written
/// where input and output share an encoding, else decoded and encoded (a character
/// the output cannot hold is an error at its place).
class row_writer {
 public:
  row_writer(output_stream& out, encoding from, encoding to, std::string newline, diagnostics& diag);
  /// Field \p i of \p r (read by \p in) as the next field of the row.
  void field(csv_input& in, const raw_record& r, std::size_t i);
  /// \p utf8 as the next field; a character the output lacks is reported as in
  /// \p file at \p line, column \p column.
  void text(std::string_view utf8, const std::string& file, std::uint64_t record, std::uint64_t line,
            std::string_view column);
  /// Ends the row.
  void end();
  const std::string& newline() const { return newline_; }

 private:
  void separator();
  // \p utf8 in the output's encoding into encoded_; false when a character has no
  // code there (bad_ holds them).
  bool encode(std::string_view utf8);
  void report_bad(std::string_view utf8, const std::string& file, std::uint64_t record, std::uint64_t line,
                  std::string_view column);
  void put(std::string_view cell);
  output_stream& out_;
  encoding from_, to_;
  std::string newline_;
  diagnostics& diag_;
  bool first_ = true;
  std::string buffer_, encoded_;
  std::vector<char32_t> bad_;
};

/// The customers sent last time: the --previous export read as this run reads one.
struct previous_customers {
  std::string file;
  customer_table customers;             // member: the old member's number in ids
  chunked<std::uint64_t> fingerprints;  // 0: send again whatever it holds (it was shared)
  chunked<std::uint8_t> seen;           // still a customer in this run
  id_index ids;                         // the old export's member IDs
};
previous_customers read_previous(const std::string& path, source_encoding from, const std::string& profile,
                                 diagnostics& diag);

/// What write_customers() wrote.
struct customer_counts {
  std::uint64_t written = 0, unchanged = 0;
};
/// Reads the member export again and writes its customer rows to \p w (a header
/// first); with \p previous, only rows that are new or changed since then, marking
/// the customers seen.
customer_counts write_customers(crm_members& members, row_writer& w, previous_customers* previous);

/// Writes the addresses of \p previous that are no customer any more, with the
/// member ID they had and why they stopped (unsubscribed, deleted, changed-away);
/// returns how many.
std::uint64_t write_unsubscribed(previous_customers& previous, const crm_members& members, row_writer& w);

}  // namespace kaiin::detail
