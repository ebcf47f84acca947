// kaiin-find: look a sender's address up in the member and order exports, the member
// and their orders (Re:lation連携), for a person or a script.

#include <map>

#include "kaiin/cli.h"
#include "kaiin/find.h"
#include "kaiin/i18n.h"

int main(int argc, char** argv) {
  kaiin::find_options options;
  kaiin::cli::report_options report;
  auto app = kaiin::cli::make_app(
      "kaiin-find",
      _("Look e-mail addresses up in the member export and the order export: the member who holds each (either "
        "address column, compared as kaiin compares addresses) and their orders, newest first."),
      "  kaiin-find --members samples/crm_members.csv --orders samples/crm_orders.csv taro.yamada@example.jp\n"
      "  kaiin-find --members samples/crm_members.csv --orders samples/crm_orders.csv --format json "
      "HANAKO.S@EZWEB.NE.JP\n"
      "  kaiin-find --members samples/crm_members.csv --orders samples/crm_orders.csv --addresses "
      "samples/find_addresses.txt --quiet-missing\n"
      "  kaiin-find --members samples/crm_members.csv --orders samples/crm_orders.csv --addresses samples/inbox.csv "
      "--column 差出人 --format csv -o answers.csv  # exit 1\n"
      "  kaiin-find --members samples/crm_members_shared.csv sakura@example.jp  # exit 1\n");
  app->add_option("ADDRESS", options.addresses,
                  _("the addresses to look up (- reads more from standard input, one a line)"));
  app->add_option("--members", options.members, _("the member export (会員CSV)"))->required()->option_text("EXPORT");
  app->add_option("--orders", options.orders,
                  _("the order export (受注CSV), one row per order line: each member's orders and the guest "
                    "orders placed with the address"))
      ->option_text("ORDERS");
  app->add_option("--addresses", options.addresses_file,
                  _("more addresses to look up from FILE, one a line (- : standard input)"))
      ->option_text("FILE");
  app->add_option("--column", options.column,
                  _("with --addresses: FILE is a CSV (an inbox export) whose column NAME holds the addresses"))
      ->option_text("NAME")
      ->needs("--addresses");
  static const std::map<std::string, kaiin::find_format> formats{
      {"text", kaiin::find_format::text}, {"json", kaiin::find_format::json}, {"csv", kaiin::find_format::csv}};
  app->add_option("--format", options.format,
                  _("the answers as text (a block an address, for people), json (one object an address) or csv (a "
                    "row an address and member, for Excel)"))
      ->transform(CLI::CheckedTransformer(formats))
      ->option_text("text|json|csv");
  kaiin::cli::add_output_option(*app, options.output, _("the answers"));
  app->add_flag("--quiet-missing", options.quiet_missing,
                _("an address no member holds does not make the exit status 1 (an ambiguous one still does)"));
  kaiin::cli::add_from_option(*app, options.from);
  kaiin::cli::add_profile_option(*app, options.profile, _("the member export"));
  kaiin::cli::add_list_profiles_option(*app);
  kaiin::cli::add_order_profile_option(*app, options.order_profile);
  kaiin::cli::add_list_order_profiles_option(*app);
  kaiin::cli::add_report_options(*app, report);
  kaiin::cli::add_escape_formulas_option(*app, report.escape_formulas, _("a --format csv answer"));

  return kaiin::cli::run_tool(*app, argc, argv, [&] {
    options.escape_formulas = report.escape_formulas;
    return kaiin::cli::report_on_stderr(report, "kaiin-find", false,
                                        [&](kaiin::diagnostics& diag) { return kaiin::run_find(options, diag); });
  });
}
