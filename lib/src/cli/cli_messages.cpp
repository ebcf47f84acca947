// The words of CLI11 a user reads, in kaiin's style and the user's language:
// --help's headings, and the usage errors met most (CLI11 has no catalogue of its
// own, and its messages start upper-case and list a transformer's internals).

#include "cli/cli_messages.h"

#include <regex>
#include <string>
#include <vector>

#include "kaiin/i18n.h"

namespace kaiin::cli {

void translate_help(CLI::App& app) {
  auto formatter = app.get_formatter();
  // TRANSLATORS: --help's headings: "Usage: kaiin-points [OPTIONS] SUBCOMMAND", "Positionals:".
  for (const char* label :
       {N_("Usage"), N_("OPTIONS"), N_("SUBCOMMAND"), N_("SUBCOMMANDS"), N_("Positionals"), N_("REQUIRED")})
    formatter->label(label, translate(label));
  // Group names are the options' and subcommands' own, CLI11's defaults are English;
  // options added after this call take the translated default.
  app.option_defaults()->group(_("Options"));
  for (CLI::Option* opt : app.get_options())
    if (opt->get_group() == "Options") opt->group(_("Options"));
  for (CLI::App* sub : app.get_subcommands({})) {
    if (sub->get_group() == "Subcommands") sub->group(_("Subcommands"));
    translate_help(*sub);
  }
}

std::string usage_error(const CLI::ParseError& e, const CLI::App& app) {
  const std::string what = e.what();
  std::smatch m;
  auto matches = [&](const char* pattern) { return std::regex_match(what, m, std::regex(pattern)); };
  if (dynamic_cast<const CLI::ExtrasError*>(&e)) {
    if (matches("The following argument was not expected: (.*)"))
      return format_tr("the following argument was not expected: {}", m.str(1));
    if (matches("The following arguments were not expected: (.*)"))
      return format_tr("the following arguments were not expected: {}", m.str(1));
  }
  if (dynamic_cast<const CLI::RequiredError*>(&e)) {
    if (what == "A subcommand is required") {
      std::string names;
      for (const CLI::App* sub : app.get_subcommands({})) names += (names.empty() ? "" : _(", ")) + sub->get_name();
      return format_tr("a subcommand is required: {}", names);
    }
    if (matches("(\\S+) is required")) return format_tr("{} is required", m.str(1));
  }
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&e) && matches("(\\S+): \\d+ required .* missing"))
    return format_tr("{} needs a value", m.str(1));
  // A value that a CheckedTransformer refused: "--to: Check bad value in
  // {cp932->2,utf-8->0} OR {2,0} FAILED" names the valid values among its internals.
  if (dynamic_cast<const CLI::ValidationError*>(&e) &&
      matches("(\\S+): Check (.*) value in \\{(.*)\\} OR \\{.*\\} FAILED")) {
    std::string valid, list = m.str(3);
    for (std::size_t start = 0; start <= list.size();) {
      std::size_t comma = list.find(',', start);
      if (comma == std::string::npos) comma = list.size();
      std::string item = list.substr(start, comma - start);
      item = item.substr(0, item.find("->"));
      if (!item.empty()) valid += (valid.empty() ? "" : _(", ")) + item;
      start = comma + 1;
    }
    return format_tr("{}: '{}' is not one of {}", m.str(1), m.str(2), valid);
  }
  if (dynamic_cast<const CLI::ConversionError*>(&e) && matches("Could not convert: (\\S+) = (.*)"))
    return format_tr("{}: '{}' is not a number", m.str(1), m.str(2));
  return what;
}

}  // namespace kaiin::cli
