// kaiin-crm: customers and shipped orders for an e-mail keyed CRM (クライゼル連携),
// with an account of every member and order that did not travel; safe to run from cron.

#include <unistd.h>

#include <map>

#include "kaiin/cli.h"
#include "kaiin/crm.h"
#include "kaiin/i18n.h"

namespace {

// --shipped-on and --shipped-since: a date, or yesterday (counted from --today).
void add_shipped_option(CLI::App& app, const char* name, std::optional<kaiin::shipped_date>& to,
                        const std::string& help) {
  app.add_option_function<std::string>(
         name,
         [&to, name](const std::string& text) {
           kaiin::shipped_date d;
           if (text == "yesterday")
             d.yesterday = true;
           else if (!(d.day = kaiin::parse_date(text)))
             throw CLI::ValidationError(name,
                                        kaiin::format_tr("'{}' is not a date written YYYY-MM-DD (or yesterday)", text));
           to = d;
         },
         help)
      ->option_text("DATE|yesterday");
}

}  // namespace

int main(int argc, char** argv) {
  kaiin::crm_options options;
  kaiin::cli::report_options report;
  bool verbose = false;
  auto app = kaiin::cli::make_app(
      "kaiin-crm",
      _("Write the customers and shipped orders of an e-mail keyed CRM (クライゼル連携), and account for every "
        "member and order that does not travel."),
      "  kaiin-crm -v --members samples/crm_members.csv --orders samples/crm_orders.csv -d crm\n"
      "  kaiin-crm -v --members samples/crm_members.csv --orders samples/crm_orders.csv --previous "
      "samples/crm_members_old.csv --shipped-on yesterday --today 2026-11-30 -d crm\n"
      "  kaiin-crm --members samples/crm_members.csv --orders samples/crm_orders.csv --all-orders --report json -d "
      "crm\n"
      "  kaiin-crm --members samples/crm_members_shared.csv --orders samples/crm_orders.csv -d crm  # exit 1\n"
      "  kaiin-crm --members samples/crm_members_shared.csv --orders samples/crm_orders.csv --shared-address "
      "keep-latest -d crm\n");
  app->add_option("--members", options.members, _("the member export (会員CSV)"))->required()->option_text("EXPORT");
  app->add_option("--orders", options.orders, _("the order export (受注CSV), one row per order line"))
      ->required()
      ->option_text("ORDERS");
  app->add_option("-d,--dir", options.dir,
                  _("the folder customers.csv and orders.csv (and unsubscribed.csv) go to, made when missing"))
      ->required()
      ->option_text("DIR");
  app->add_option("--previous", options.previous,
                  _("the member export of the last run: customers.csv holds only new or changed customers, and "
                    "unsubscribed.csv the addresses that stopped"))
      ->option_text("OLD");
  add_shipped_option(*app, "--shipped-on", options.shipped_on, _("only orders whose last shipment was on that day"));
  add_shipped_option(*app, "--shipped-since", options.shipped_since,
                     _("only orders whose last shipment was on that day or later"));
  app->get_option("--shipped-on")->excludes("--shipped-since");
  kaiin::cli::add_today_option(*app, options.today, _("the day yesterday is counted from"));
  static const std::map<std::string, kaiin::shared_address_policy> policies{
      {"error", kaiin::shared_address_policy::error}, {"keep-latest", kaiin::shared_address_policy::keep_latest}};
  app->add_option("--shared-address", options.shared,
                  _("an address two members hold: error (the default: the run stops and lists them) or keep-latest "
                    "(the member updated last keeps it; a warning for each other)"))
      ->transform(CLI::CheckedTransformer(policies))
      ->option_text("error|keep-latest");
  app->add_flag("--all-orders", options.all_orders,
                _("also write the shipped orders held back for want of a customer, with the reason in a column"));
  kaiin::encoding to = kaiin::encoding::utf8;
  CLI::Option* to_option = kaiin::cli::add_to_option(*app, to, _("the files written"), _("the member export's"));
  kaiin::cli::add_from_option(*app, options.from);
  kaiin::cli::add_profile_option(*app, options.profile, _("the member exports"));
  kaiin::cli::add_list_profiles_option(*app);
  kaiin::cli::add_order_profile_option(*app, options.order_profile);
  kaiin::cli::add_list_order_profiles_option(*app);
  app->add_option("--lock", options.lock, _("the lock file a run holds (default: DIR.lock, beside the folder)"))
      ->option_text("FILE");
  kaiin::cli::add_wait_option(*app, options.wait_seconds, _("holding the lock"));
  kaiin::cli::add_report_options(*app, report);
  app->add_flag("-v,--verbose", verbose, _("the account on standard error, also when it is not a terminal"));

  return kaiin::cli::run_tool(*app, argc, argv, [&] {
    // For cron: silent on success unless asked, and always when output is not a terminal.
    report.quiet = !verbose && (report.quiet || !::isatty(STDOUT_FILENO));
    if (to_option->count()) options.to = to;
    return kaiin::cli::report_on_stderr(report, "kaiin-crm", false,
                                        [&](kaiin::diagnostics& diag) { return kaiin::run_crm(options, diag); });
  });
}
