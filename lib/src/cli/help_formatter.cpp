// CLI11 pads --help's first column with std::setw, which counts bytes: a line whose
// name holds 必須 (REQUIRED, 6 bytes, 4 columns) had its description two columns to
// the left of the others. These overrides pad by display width instead.

#include "cli/help_formatter.h"

#include "core/progress.h"

namespace kaiin::cli {

namespace {

// "  NAME" padded to \p width columns, then the description, its later lines
// indented as far (CLI11's detail::format_help, by columns).
std::string two_columns(const std::string& name, const std::string& description, std::size_t width) {
  std::string out = "  " + name;
  if (!description.empty()) {
    std::size_t used = progress::display_width(out);
    if (used >= width) {
      out += '\n';
      used = 0;
    }
    out.append(width - used, ' ');
    for (char c : description) {
      out += c;
      if (c == '\n') out.append(width, ' ');
    }
  }
  return out + '\n';
}

}  // namespace

std::string help_formatter::make_option(const CLI::Option* opt, bool is_positional) const {
  return two_columns(make_option_name(opt, is_positional) + make_option_opts(opt), make_option_desc(opt),
                     column_width_);
}

std::string help_formatter::make_option_opts(const CLI::Option* opt) const {
  if (opt->nonpositional() || !opt->get_option_text().empty()) return CLI::Formatter::make_option_opts(opt);
  std::string out;
  if (opt->get_expected_max() == CLI::detail::expected_max_vector_size) out += " ...";
  if (opt->get_required()) out += " " + get_label("REQUIRED");
  return out;
}

std::string help_formatter::make_subcommand(const CLI::App* sub) const {
  return two_columns(sub->get_display_name(true), sub->get_description(), column_width_);
}

}  // namespace kaiin::cli
