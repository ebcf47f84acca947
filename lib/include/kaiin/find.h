#pragma once
/// \file
/// kaiin-find's job (spec §12, Re:lation連携): the members who hold each address asked
/// (in either address column, compared as spec §4.3 says) and their orders, newest
/// first, for people (a block an address) or scripts (JSON Lines, CSV). One pass over
/// each file, whatever the number of addresses; memory grows with what is asked and
/// found, not with the files.

#include <string>
#include <vector>

#include "kaiin/detect.h"
#include "kaiin/diagnostics.h"

namespace kaiin {

/// How the answers are written.
enum class find_format {
  text,  ///< a block an address, for a person
  json,  ///< one JSON object an address (JSON Lines)
  csv,   ///< one row an address and member, UTF-8 with a BOM and CRLF (Excel)
};

/// What to look up, where, and how to answer.
struct find_options {
  std::string members;  ///< the member export (--members)
  std::string orders;   ///< the order export (--orders), or empty: members only
  /// Addresses given as arguments; "-" reads more from standard input, one a line.
  std::vector<std::string> addresses;
  std::string addresses_file;  ///< --addresses FILE ("-": standard input)
  std::string column;          ///< --column NAME: FILE is a CSV, the addresses in that column
  /// --format: how the answers are written.
  find_format format = find_format::text;
  std::string output = "-";      ///< -o: where the answers go, written atomically
  bool quiet_missing = false;    ///< an address nobody holds does not make the exit status 1
  bool escape_formulas = false;  ///< --escape-formulas, for --format csv
  std::string profile;           ///< --profile: the member export's header names
  std::string order_profile;     ///< --order-profile
  /// -f: the inputs' encoding.
  source_encoding from = source_encoding::auto_detect;
};

/// Reads the addresses asked, then the member export and the order export once each,
/// and writes one answer an address, in the order asked. Returns 0 when every
/// address belongs to exactly one member; 1 when one is held by two members or more
/// (ambiguous), when one is held by none (unless quiet_missing), or when either file
/// has errors (the answers are written all the same). Throws kaiin::error on usage
/// and I/O failures (nothing is written then).
int run_find(const find_options& options, diagnostics& diag);

}  // namespace kaiin
