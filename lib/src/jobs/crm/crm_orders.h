#pragma once
// kaiin-crm's order side (spec §10, §11): pass one over the order export groups its
// rows; pass two decides each order at its first row, counts it in the account, and
// writes orders.csv. Private to the library.

#include <cstdint>
#include <memory>
#include <vector>

#include "jobs/crm/crm_decide.h"
#include "jobs/crm/crm_members.h"
#include "jobs/crm/crm_output.h"
#include "kaiin/crm.h"
#include "orders/order_table.h"

namespace kaiin::detail {

/// The order export after pass one: its reader (for pass two), its orders grouped,
/// and what pass one found, held until report_orders() hands it to the diagnostics.
struct crm_orders {
  std::unique_ptr<order_reader> in;
  order_table table;
  bool readable = false;  // the header has the columns the job needs
  std::uint64_t rows = 0;
  std::vector<finding> findings;
  std::vector<order_disagreement> disagreements;
};

/// Pass one: every row checked and grouped with its order. It touches no shared
/// state (its findings are collected, \p diag is only kept for later), so it runs on
/// a thread of its own while the members are read.
crm_orders read_orders(const crm_options& options, diagnostics& diag);
/// Back on the main thread: pass one's findings reported in the order they were
/// found, then the rows of one order that disagree, naming both lines.
void report_orders(crm_orders& orders, diagnostics& diag);

/// The shipping dates of --shipped-on and --shipped-since, "yesterday" resolved.
date_window window_of(const crm_options& options);

/// Pass two: each order decided at its first row and counted in \p account; the
/// orders that travel (and with --all-orders the held-back shipped ones) written
/// through \p w, none when it is null (an error was found: nothing is written).
void decide_orders(crm_orders& orders, const crm_members& members, const crm_options& options, const date_window& dates,
                   row_writer* w, crm_account& account, diagnostics& diag);

}  // namespace kaiin::detail
