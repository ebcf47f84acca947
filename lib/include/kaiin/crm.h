#pragma once
/// \file
/// kaiin-crm's job (spec §11, クライゼル連携): from a member export and an order export,
/// the files of a CRM that keys customers by e-mail address (one customer a
/// subscribed address, one order row a shipped order, keyed by its customer's
/// address), and an account of every member and order that did not travel, and why.

#include <optional>
#include <string>

#include "kaiin/date.h"
#include "kaiin/detect.h"
#include "kaiin/diagnostics.h"
#include "kaiin/encoding.h"

namespace kaiin {

/// What --shared-address does with an address that two members hold.
enum class shared_address_policy {
  error,        ///< the run stops, listing the members (merge them first)
  keep_latest,  ///< the most recently updated member keeps it; a warning for each other
};

/// A date --shipped-on or --shipped-since names: a date, or "yesterday" (counted
/// from --today).
struct shipped_date {
  std::optional<date> day;  ///< the date given
  bool yesterday = false;   ///< "yesterday" was given
};

/// What to read and write.
struct crm_options {
  std::string members;   ///< the member export (--members)
  std::string orders;    ///< the order export (--orders)
  std::string dir;       ///< the output folder (-d): customers.csv, orders.csv, unsubscribed.csv
  std::string previous;  ///< --previous: the member export of the last run
  std::string profile;   ///< --profile: the member exports' header names
  /// --order-profile: the order export's header names.
  std::string order_profile;
  /// --shipped-on and --shipped-since: only the orders last shipped that day, or since.
  std::optional<shipped_date> shipped_on, shipped_since;
  std::optional<date> today;  ///< --today: what "yesterday" counts from
  /// --shared-address: what an address two members hold does.
  shared_address_policy shared = shared_address_policy::error;
  bool all_orders = false;     ///< held-back shipped orders too, with a reason column
  std::optional<encoding> to;  ///< -t; default: the member export's encoding
  /// -f: the inputs' encoding.
  source_encoding from = source_encoding::auto_detect;
  std::string lock;         ///< --lock FILE; default: DIR.lock beside the output folder
  double wait_seconds = 0;  ///< --wait: how long to wait for another run's lock
};

/// Reads the exports, writes DIR/customers.csv and DIR/orders.csv (and, with
/// --previous, DIR/unsubscribed.csv) as one output set, and the account to \p diag.
/// Returns 0, or 1 when the data has errors (nothing is written then); throws
/// kaiin::error on usage and I/O failures.
int run_crm(const crm_options& options, diagnostics& diag);

/// The lock file a run writing into \p dir holds by default: DIR.lock beside the
/// folder (inside it, the CRM's import would find it among the files).
std::string default_crm_lock(const std::string& dir);

}  // namespace kaiin
