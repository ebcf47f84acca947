// kaiin-find: the addresses asked, from the command line, a list (one a line) or a
// column of a CSV such as an inbox export.

#include <algorithm>

#include "core/byte_scan.h"
#include "core/csv_input.h"
#include "jobs/find/find_lookup.h"
#include "kaiin/encoding.h"
#include "kaiin/error.h"
#include "kaiin/i18n.h"
#include "kaiin/io.h"
#include "members/member_columns.h"

namespace kaiin::detail {

namespace {

// The first bad byte a line's decoding meets (外字 in an address are only
// characters that match nothing).
struct first_problem : problem_sink {
  std::optional<coding_problem> found;
  void on_problem(const coding_problem& p) override {
    if (!found && p.kind == coding_problem::invalid) found = p;
  }
};

// A list of addresses, one a line, decoded as spec §2 says (a BOM, else valid UTF-8,
// else CP932; or as -f says). A small file: read whole.
void ask_lines(const std::string& path, source_encoding from, lookup& l, diagnostics& diag) {
  const std::string bytes = read_file(path);
  const std::string name = path == "-" ? "<stdin>" : path;
  std::string_view text = bytes;
  const bool bom = text.substr(0, 3) == "\xEF\xBB\xBF";
  if (bom) text.remove_prefix(3);
  const bool utf8 =
      bom || from == source_encoding::utf8 ||
      (from == source_encoding::auto_detect && first_invalid(text, encoding::utf8) == std::string_view::npos);
  std::string address;
  std::uint64_t line = 0;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = std::min(text.find('\n', start), text.size());
    std::string_view raw = text.substr(start, end - start);
    start = end + 1;
    ++line;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    address.clear();
    first_problem sink;
    utf8 ? copy_utf8(raw, address, sink) : decode_cp932(raw, address, sink);
    if (sink.found) {
      const std::string bad = detail::hex_bytes(raw.substr(sink.found->offset, sink.found->length));
      diag.report({name, line, line, std::nullopt, severity::error, "encoding-invalid",
                   format_tr("bytes {} at byte {} are not valid {}: the address on this line is not looked up", bad,
                             sink.found->offset + 1, utf8 ? "UTF-8" : "CP932")});
      continue;
    }
    l.ask(address);  // a blank line asks nothing
  }
}

// The addresses in column \p column of a CSV (an inbox export), read as every member
// file is read.
void ask_column(const std::string& path, const std::string& column, source_encoding from, lookup& l,
                diagnostics& diag) {
  csv_input in(path, from, diag, is_password_header);
  raw_record r;
  if (!in.next(r))
    throw data_error("file-empty", _("the address file is empty: it has no header to find --column in"), in.name());
  const std::vector<std::string>& header = in.header();
  auto at = std::find(header.begin(), header.end(), column);
  if (at == header.end()) {
    std::string hint = did_you_mean(column, header);
    throw data_error("header-missing",
                     hint.empty()
                         ? format_tr("there is no column '{}' in the header", column)
                         : format_tr("there is no column '{}' in the header: did you mean '{}'?", column, hint),
                     in.name());
  }
  const auto c = static_cast<std::size_t>(at - header.begin());
  std::string buffer;
  while (in.next(r)) {
    if (r.malformed() || c >= r.fields.size()) continue;  // csv_input said why
    const std::uint64_t errors = diag.errors();
    std::string address(in.decode_field(r, c, buffer));
    if (diag.errors() == errors) l.ask(std::move(address));  // bad bytes: said, and not asked
  }
}

}  // namespace

void read_asked(const find_options& o, lookup& l, diagnostics& diag) {
  for (const std::string& a : o.addresses) {
    if (a == "-")
      ask_lines("-", o.from, l, diag);
    else if (!l.ask(a))
      throw error(format_tr("'{}' holds no address to look up", a));
  }
  if (o.addresses_file.empty()) return;
  if (o.column.empty())
    ask_lines(o.addresses_file, o.from, l, diag);
  else
    ask_column(o.addresses_file, o.column, o.from, l, diag);
}

}  // namespace kaiin::detail
