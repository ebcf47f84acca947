#pragma once
// kaiin-crm's order side (spec §10, §11): the one reading of the order export groups
// its rows and keeps each order's first row in a spool; once both exports are read,
// each order is decided from its first row, counted in the account, and written to
// orders.csv. Private to the library.

#include <cstdint>
#include <memory>
#include <vector>

#include "jobs/crm/crm_decide.h"
#include "jobs/crm/crm_members.h"
#include "jobs/crm/crm_output.h"
#include "jobs/crm/crm_spool.h"
#include "kaiin/crm.h"
#include "orders/order_table.h"

namespace kaiin::detail {

/// The order export once read: its reader (the names of its columns, and the rows
/// that disagree read again), its orders grouped, their first rows, and what the
/// reading found, held until report_orders() hands it to the diagnostics.
struct crm_orders {
  std::unique_ptr<order_reader> in;
  order_table table;
  std::unique_ptr<order_spool> first_rows;  // order i's first row is the i-th
  bool readable = false;                    // the header has the columns the job needs
  std::uint64_t rows = 0;
  std::vector<finding> findings;
  std::vector<order_disagreement> disagreements;
};

/// The reading: every row checked and grouped with its order. It touches no shared
/// state (its findings are collected, \p diag is only kept for later), so it runs on
/// a thread of its own while the members are read.
crm_orders read_orders(const crm_options& options, diagnostics& diag);
/// Back on the main thread: the reading's findings reported in the order they were
/// found, then the rows of one order that disagree, naming both lines.
void report_orders(crm_orders& orders, diagnostics& diag);

/// The shipping dates of --shipped-on and --shipped-since, "yesterday" resolved.
date_window window_of(const crm_options& options);

/// Each order decided from its first row and counted in \p account; the
/// orders that travel (and with --all-orders the held-back shipped ones) written
/// through \p w, none when it is null (an error was found: nothing is written).
void decide_orders(crm_orders& orders, const crm_members& members, const crm_options& options, const date_window& dates,
                   row_writer* w, crm_account& account, diagnostics& diag);

}  // namespace kaiin::detail
