// kaiin-crm (spec §11): the driver and its order side.

#include "kaiin/crm.h"

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <cerrno>
#include <exception>
#include <filesystem>
#include <thread>

#include "core/output_folder.h"
#include "core/output_set.h"
#include "core/report_writer.h"
#include "core/run_lock.h"
#include "core/system_io.h"
#include "core/text.h"
#include "jobs/crm/crm_decide.h"
#include "jobs/crm/crm_members.h"
#include "jobs/crm/crm_orders.h"
#include "jobs/crm/crm_output.h"
#include "kaiin/error.h"
#include "kaiin/i18n.h"

namespace kaiin {

using namespace detail;

std::string default_crm_lock(const std::string& dir) {
  std::string d = dir;
  while (d.size() > 1 && d.back() == '/') d.pop_back();
  std::string base = d.substr(d.rfind('/') + 1);
  if (d == "/" || base == "." || base == ".." || base.empty()) {  // name the folder itself
    d = std::filesystem::absolute(d).lexically_normal().string();
    while (d.size() > 1 && d.back() == '/') d.pop_back();
    if (d == "/") return "/kaiin-crm.lock";
  }
  return d + ".lock";
}

namespace {

// The account in words for people, before the summary line (JSON has the keys).
// What the account calls each reason an order is held back for, in its order.
struct reason_label {
  crm_reason reason;
  const char* label;
};
constexpr reason_label held_back_labels[] = {
    {crm_reason::member_not_subscribed, N_("member not subscribed")},
    {crm_reason::address_invalid, N_("member's address no address")},
    {crm_reason::guest_no_customer, N_("guest with no customer of that address")},
    {crm_reason::unknown_member, N_("unknown member")},
    {crm_reason::partly_shipped, N_("partly shipped")},
    {crm_reason::unshipped, N_("unshipped")},
    {crm_reason::cancelled, N_("cancelled")},
    {crm_reason::returned, N_("returned")},
    {crm_reason::outside_dates, N_("outside the dates")},
};

std::string account_text(const crm_account& a, bool orders_read) {
  // The terms of addresses held back (spec §11) only where there are any: the usual
  // run's account stays as short as it was.
  std::string text =
      a.address_invalid
          ? format_tr(
                "kaiin-crm: members {} = without a subscribed address {} + whose subscribed addresses are no "
                "addresses {} + subscribed {}\n",
                a.members, a.without_subscription, a.address_invalid, a.subscribed())
          : format_tr("kaiin-crm: members {} = without a subscribed address {} + subscribed {}\n", a.members,
                      a.without_subscription, a.subscribed());
  text +=
      format_tr("kaiin-crm: customers {} = subscribed members {} + second addresses {} - shared addresses merged {}\n",
                a.customers, a.subscribed(), a.second_addresses, a.shared_merged);
  if (a.addresses_invalid)
    text += format_tr("kaiin-crm: subscribed addresses held back that are no addresses {} (address-invalid)\n",
                      a.addresses_invalid);
  if (!orders_read) return text;
  std::string reasons;
  for (const auto& [reason, label] : held_back_labels) {
    const std::uint64_t n = a.orders_by_reason[static_cast<std::size_t>(reason)];
    if (reason == crm_reason::address_invalid && !n) continue;  // said only in a run that has it
    reasons += (reasons.empty() ? std::string() : list_separator()) + _(label) + " " + std::to_string(n);
  }
  // TRANSLATORS: the reasons are a list: (member not subscribed 1, unshipped 2, ...)
  text += format_tr("kaiin-crm: orders {} (order rows {}) = written {} + held back {} ({})\n", a.orders, a.order_rows,
                    a.written, a.held_back(), reasons);
  text += format_tr("kaiin-crm: orders written that were placed with an address the member no longer has {}\n",
                    a.address_changed);
  return text;
}

void report_account(const crm_account& a, bool orders_read, diagnostics& diag) {
  diag.summary_json_only("members", a.members);
  diag.summary_json_only("members_without_subscription", a.without_subscription);
  diag.summary_json_only("members_address_invalid", a.address_invalid);
  diag.summary_json_only("addresses_invalid", a.addresses_invalid);
  diag.summary_json_only("second_addresses", a.second_addresses);
  diag.summary_json_only("shared_addresses_merged", a.shared_merged);
  diag.summary_json_only("customers", a.customers);
  if (orders_read) {
    diag.summary_json_only("order_rows", a.order_rows);
    diag.summary_json_only("orders", a.orders);
    diag.summary_json_only("orders_written", a.written);
    diag.summary_json_only("address_changed", a.address_changed);
    std::vector<std::pair<std::string, std::uint64_t>> held;
    for (std::size_t r = 1; r < crm_reason_count; ++r)
      held.emplace_back(std::string(reason_key(static_cast<crm_reason>(r))), a.orders_by_reason[r]);
    diag.summary_json_only("held_back", std::move(held));
  }
  diag.set_account(account_text(a, orders_read));
}

// Before the output folder is made: the inputs can be opened, and none would be
// written over.
void check_inputs(const crm_options& o) {
  if ((o.members == "-") + (o.orders == "-") + (o.previous == "-") > 1)
    throw error(_("only one of --members, --orders and --previous can be standard input"));
  // An input that cannot be opened stops the run before the folder is made, so that
  // a failed run leaves nothing behind (they are opened again to be read).
  for (const std::string* path : {&o.members, &o.orders, &o.previous}) {
    if (path->empty() || *path == "-") continue;
    int fd = ::open(path->c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) detail::fail(N_("cannot open"), *path, errno);
    ::close(fd);
  }
  for (const char* name : {"customers.csv", "orders.csv", "unsubscribed.csv"})
    atomic_output::refuse_inputs(o.dir + "/" + name, {o.members, o.orders, o.previous});
}

// The output set of a run: nothing at all after an error in either export, but for
// the member addresses held back as no address (spec §11: the nightly sync does not
// stop for one member; they are counted, and the files are whole without them). Each
// file is written while no other error is known yet; one found later discards them all.
class crm_files {
 public:
  crm_files(const crm_options& o, const crm_members& members)
      : o_(o), newline_(members.newline), held_back_(members.addresses_invalid) {
    if (members.in) from_ = members.in->source_encoding();
    // A UTF-16 export (Excel's 「Unicode テキスト」), which no CRM imports: UTF-8,
    // which holds every character it can.
    to_ = o.to.value_or(is_utf16(from_) ? encoding::utf8 : from_);
  }
  // customers.csv, from a second reading of the member export.
  void write_customers(crm_members& members, previous_customers* previous, diagnostics& diag) {
    if (!members.readable || stopped(diag)) return;
    output_stream& out = open("customers.csv");
    row_writer w(out, from_, to_, newline_, diag);
    customer_counts n = detail::write_customers(members, w, previous);
    out.release();  // complete: its buffer is not needed until the commit
    if (previous) {
      diag.summary("customers_written", n.written);
      diag.summary("customers_unchanged", n.unchanged);
    }
  }
  // Where decide_orders() writes orders.csv, or null.
  row_writer* orders(diagnostics& diag) {
    if (!stopped(diag)) orders_.emplace(open("orders.csv"), encoding::utf8, to_, newline_, diag);
    return orders_ ? &*orders_ : nullptr;
  }
  void write_unsubscribed(previous_customers* previous, const crm_members& members, diagnostics& diag) {
    if (!previous || stopped(diag)) return;
    row_writer w(open("unsubscribed.csv"), encoding::utf8, to_, newline_, diag);
    diag.summary("unsubscribed", detail::write_unsubscribed(*previous, members, w));
  }
  // All the files, or none when an error was found; the exit status (1 after an
  // address held back, the files written).
  int finish(diagnostics& diag) {
    if (stopped(diag)) {
      outputs_.discard();
      diag.summary("output", _("none (errors found)"));
      return 1;
    }
    outputs_.commit();
    diag.summary("output", o_.dir);
    return diag.exit_status();
  }

 private:
  bool stopped(const diagnostics& diag) const { return errors_stop_outputs(diag, held_back_); }
  output_stream& open(const char* name) {
    output_stream& s = outputs_.add(o_.dir + "/" + name);
    if (to_ == encoding::utf8_bom) s.write("\xEF\xBB\xBF");
    return s;
  }
  const crm_options& o_;
  std::string newline_;
  std::uint64_t held_back_;
  encoding from_ = encoding::utf8, to_ = encoding::utf8;
  output_set outputs_;
  std::optional<row_writer> orders_;
};

// The first reading of the order export, on a thread of its own while the main
// thread reads the members: the two are independent until the orders are decided
// (at 1,000,000 members and 2,000,000 orders the members' stages take 2.3 s of
// the orders' 2.8 s). What it made is the main thread's after join().
class order_reading_thread {
 public:
  order_reading_thread(const crm_options& o, diagnostics& diag)
      : thread_([this, &o, &diag] {
          try {
            orders_ = read_orders(o, diag);
          } catch (...) {
            failure_ = std::current_exception();
          }
        }) {}
  crm_orders join(diagnostics& diag) {
    thread_.join();
    if (failure_) std::rethrow_exception(failure_);
    report_orders(orders_, diag);
    return std::move(orders_);
  }

 private:
  crm_orders orders_;
  std::exception_ptr failure_;
  std::jthread thread_;  // last: joined (when join() was not reached) before the rest goes
};

}  // namespace

int run_crm(const crm_options& o, diagnostics& diag) {
  check_inputs(o);
  output_folder folder(o.dir);  // removed again unless the files are written into it
  run_lock lock(o.lock.empty() ? default_crm_lock(o.dir) : o.lock, o.dir, "kaiin-crm", o.wait_seconds);
  std::optional<previous_customers> previous;
  if (!o.previous.empty()) previous = read_previous(o.previous, o.from, o.profile, diag);
  order_reading_thread reading(o, diag);
  crm_members members = read_members(o.members, o.from, o.profile, diag);
  if (members.readable) decide_customers(members, o.shared, diag);
  crm_files files(o, members);
  files.write_customers(members, previous ? &*previous : nullptr, diag);
  members.in.reset();  // read for the last time: its buffers go before the orders are decided
  crm_orders orders = reading.join(diag);
  crm_account account{members.records,
                      members.without_subscription,
                      members.members_address_invalid,
                      members.second_addresses,
                      members.slots - members.customers.size(),
                      members.customers.size(),
                      members.addresses_invalid};
  const bool orders_read = members.readable && orders.readable;
  if (orders_read) decide_orders(orders, members, o, window_of(o), files.orders(diag), account, diag);
  files.write_unsubscribed(previous ? &*previous : nullptr, members, diag);
  if (members.readable) report_account(account, orders_read, diag);
  return files.finish(diag);
}

}  // namespace kaiin
