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
std::string account_text(const crm_account& a, bool orders_read) {
  std::string text = format_tr("kaiin-crm: members {} = without a subscribed address {} + subscribed {}\n", a.members,
                               a.without_subscription, a.subscribed());
  text +=
      format_tr("kaiin-crm: customers {} = subscribed members {} + second addresses {} - shared addresses merged {}\n",
                a.customers, a.subscribed(), a.second_addresses, a.shared_merged);
  if (!orders_read) return text;
  auto n = [&](crm_reason reason) { return a.orders_by_reason[static_cast<std::size_t>(reason)]; };
  text += format_tr(
      "kaiin-crm: orders {} (order rows {}) = written {} + held back {} (member not subscribed {}, guest with no "
      "customer of that address {}, unknown member {}, partly shipped {}, unshipped {}, cancelled {}, returned {}, "
      "outside the dates {})\n",
      a.orders, a.order_rows, a.written, a.held_back(), n(crm_reason::member_not_subscribed),
      n(crm_reason::guest_no_customer), n(crm_reason::unknown_member), n(crm_reason::partly_shipped),
      n(crm_reason::unshipped), n(crm_reason::cancelled), n(crm_reason::returned), n(crm_reason::outside_dates));
  text += format_tr("kaiin-crm: orders written that were placed with an address the member no longer has {}\n",
                    a.address_changed);
  return text;
}

void report_account(const crm_account& a, bool orders_read, diagnostics& diag) {
  diag.summary_json_only("members", a.members);
  diag.summary_json_only("members_without_subscription", a.without_subscription);
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

// The output set of a run: nothing at all after an error in either export. Each file
// is written while no error is known yet; one found later discards them all.
class crm_files {
 public:
  crm_files(const crm_options& o, const crm_members& members) : o_(o), newline_(members.newline) {
    if (members.in) from_ = members.in->source_encoding();
    to_ = o.to.value_or(from_);
  }
  // customers.csv, from a second reading of the member export.
  void write_customers(crm_members& members, previous_customers* previous, diagnostics& diag) {
    if (!members.readable || diag.errors()) return;
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
    if (!diag.errors()) orders_.emplace(open("orders.csv"), encoding::utf8, to_, newline_, diag);
    return orders_ ? &*orders_ : nullptr;
  }
  void write_unsubscribed(previous_customers* previous, const crm_members& members, diagnostics& diag) {
    if (!previous || diag.errors()) return;
    row_writer w(open("unsubscribed.csv"), encoding::utf8, to_, newline_, diag);
    diag.summary("unsubscribed", detail::write_unsubscribed(*previous, members, w));
  }
  // All the files, or none when an error was found; the exit status.
  int finish(diagnostics& diag) {
    if (diag.errors()) {
      outputs_.discard();
      diag.summary("output", _("none (errors found)"));
      return 1;
    }
    outputs_.commit();
    diag.summary("output", o_.dir);
    return 0;
  }

 private:
  output_stream& open(const char* name) {
    output_stream& s = outputs_.add(o_.dir + "/" + name);
    if (to_ == encoding::utf8_bom) s.write("\xEF\xBB\xBF");
    return s;
  }
  const crm_options& o_;
  std::string newline_;
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
  crm_account account{members.records, members.without_subscription, members.second_addresses,
                      members.slots - members.customers.size(), members.customers.size()};
  const bool orders_read = members.readable && orders.readable;
  if (orders_read) decide_orders(orders, members, o, window_of(o), files.orders(diag), account, diag);
  files.write_unsubscribed(previous ? &*previous : nullptr, members, diag);
  if (members.readable) report_account(account, orders_read, diag);
  return files.finish(diag);
}

}  // namespace kaiin
