// kaiin-find (spec §12, Re:lation連携): the driver.

#include "kaiin/find.h"

#include "jobs/find/find_lookup.h"
#include "jobs/find/find_output.h"
#include "kaiin/atomic_output.h"
#include "kaiin/error.h"
#include "kaiin/i18n.h"
#include "kaiin/io.h"

namespace kaiin {

using namespace detail;

namespace {

// Standard input can be read once: by one of the files, or by the list of addresses.
void check_inputs(const find_options& o) {
  int stdin_users = (o.members == "-") + (o.orders == "-") + (o.addresses_file == "-");
  for (const std::string& a : o.addresses) stdin_users += a == "-";
  if (stdin_users > 1)
    throw error(_("only one of --members, --orders, --addresses and the addresses can be standard input (-)"));
  if (o.addresses.empty() && o.addresses_file.empty())
    throw error(_("no address to look up: give addresses, --addresses FILE or - (standard input)"));
  atomic_output::refuse_inputs(o.output, {o.members, o.orders, o.addresses_file});
}

// Each address asked with its members, its orders newest first, and its status.
std::vector<answer> decide(const lookup& l) {
  std::vector<answer> answers;
  answers.reserve(l.asked.size());
  for (const asked_address& a : l.asked) {
    const wanted_key& k = l.keys[a.key];
    answers.push_back(
        {a, k, status_of(k.members.size()), l.orders_read ? l.orders_of(k) : std::vector<std::uint32_t>()});
  }
  return answers;
}

void summarise(const lookup& l, const std::vector<answer>& answers, std::uint64_t escaped, bool escape_formulas,
               diagnostics& diag) {
  std::uint64_t count[3] = {};
  for (const answer& a : answers) ++count[static_cast<int>(a.status)];
  diag.summary("addresses", answers.size());
  diag.summary("found", count[static_cast<int>(lookup_status::found)]);
  diag.summary("ambiguous", count[static_cast<int>(lookup_status::ambiguous)]);
  diag.summary("not_found", count[static_cast<int>(lookup_status::not_found)]);
  diag.summary("members_read", l.member_records);
  if (l.orders_read) diag.summary("order_rows", l.order_rows);
  if (escape_formulas) diag.add_escaped(escaped);
}

}  // namespace

int run_find(const find_options& o, diagnostics& diag) {
  check_inputs(o);
  lookup l;
  read_asked(o, l, diag);
  atomic_output out(o.output);  // nothing reaches it unless every file could be read
  find_members(o, l, diag);
  if (!o.orders.empty() && !find_orders(o, l, diag)) return 1;  // nothing is written
  const std::vector<answer> answers = decide(l);
  std::uint64_t escaped = 0;
  write_answers(out.stream(), l, answers, o.format, o.escape_formulas, escaped);
  out.commit();
  summarise(l, answers, escaped, o.escape_formulas, diag);
  std::vector<lookup_status> statuses;
  for (const answer& a : answers) statuses.push_back(a.status);
  return find_exit_status(statuses, o.quiet_missing, diag.errors() > 0);
}

}  // namespace kaiin
