#include "kaiin/split.h"

#include <sys/stat.h>

#include <fmt/format.h>
#include <charconv>
#include <filesystem>
#include <optional>

#include "kaiin/csv_input.h"
#include "kaiin/error.h"
#include "kaiin/i18n.h"
#include "kaiin/output_set.h"
#include "kaiin/profile.h"

namespace kaiin {

void parse_split_by(const std::string& text, split_options& o) {
  if (text == "action" || text == "address") {
    o.mode = text == "action" ? split_mode::action : split_mode::address;
    return;
  }
  auto colon = text.find(':');
  std::string kind = text.substr(0, colon);
  if (colon != std::string::npos && (kind == "rows" || kind == "bytes")) {
    std::string_view n = std::string_view(text).substr(colon + 1);
    std::uint64_t value = 0, unit = 1;
    for (auto [suffix, factor] :
         {std::pair{"KiB", 1024u}, {"MiB", 1024u * 1024}, {"KB", 1000u}, {"MB", 1000u * 1000}}) {
      if (kind == "bytes" && n.ends_with(suffix)) {
        n.remove_suffix(std::string_view(suffix).size());
        unit = factor;
        break;
      }
    }
    auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), value);
    if (ec == std::errc() && end == n.data() + n.size() && value > 0) {
      o.mode = kind == "rows" ? split_mode::rows : split_mode::bytes;
      o.limit = value * unit;
      return;
    }
  }
  throw error(format_tr("--by '{}' is not action, address, rows:N or bytes:N (e.g. rows:5000, bytes:200KB)", text));
}

namespace {

// The input's file name without folders and .csv: the default prefix of outputs.
std::string stem_of(const split_options& o) {
  if (!o.prefix.empty()) return o.prefix;
  if (o.input == "-") throw error(_("name the output files with --prefix when reading standard input"));
  std::string name = o.input.substr(o.input.rfind('/') + 1);
  for (std::string ext : {".csv", ".CSV", ".txt", ".TXT"})
    if (name.size() > ext.size() && name.ends_with(ext)) name.resize(name.size() - ext.size());
  return name;
}

// Reports every byte of the record that is not valid in the input's encoding. The
// check runs on the raw record at validator speed; only a bad record is decoded
// again to report each bad byte with its place.
struct byte_check : problem_sink {
  csv_input& in;
  const raw_record* r = nullptr;
  explicit byte_check(csv_input& i) : in(i) {}
  void on_problem(const coding_problem& p) override {
    if (p.kind == coding_problem::invalid) in.report(*r, p);
  }
  void check(const raw_record& rec, encoding e) {
    if (first_invalid(rec.text, e) == std::string_view::npos) return;
    r = &rec;
    std::string scratch;
    e == encoding::cp932 ? decode_cp932(rec.text, scratch, *this) : copy_utf8(rec.text, scratch, *this);
  }
};

// Appends \p r's text, with formula_escape where --escape-formulas (\p escape) asks;
// returns how many fields got one.
std::size_t append_text(std::string& out, const raw_record& r, bool escape) {
  if (escape) return append_escaping_formulas(out, r);
  out.append(r.text);
  return 0;
}

// Writes field \p i of \p r as it was written, quotes included, and with \p escape
// formula_escape before it where it looks like a formula; true when it got one.
bool put_field(output_stream& out, const raw_record& r, std::size_t i, bool escape) {
  if (r.fields[i].quoted) out.put('"');
  const bool formula = escape && looks_like_formula(r.raw(i));
  if (formula) out.put(formula_escape);
  out.write(r.raw(i));
  if (r.fields[i].quoted) out.put('"');
  return formula;
}

}  // namespace

int run_split(const split_options& o, diagnostics& diag) {
  atomic_output::refuse_inputs(o.mode == split_mode::address ? o.output : std::string("-"), {o.input});
  const std::string stem = o.mode == split_mode::address ? std::string() : stem_of(o);
  if (o.mode != split_mode::address) {  // the folder is made when missing, as mkdir -p would
    std::error_code ec;
    std::filesystem::create_directories(o.dir, ec);
    struct stat st {};
    if (::stat(o.dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
      throw error(format_tr("cannot make the folder: {}", ec ? ec.message() : std::string(_("not a folder"))), o.dir);
  }
  csv_input in(o.input, o.from, diag);
  const encoding enc = in.source_encoding() == encoding::cp932 ? encoding::cp932 : encoding::utf8;
  byte_check bytes(in);
  output_set outputs;
  raw_record r;
  if (!in.next(r)) {  // an empty input: nothing to split, nothing written
    diag.summary("input", in.name());
    diag.summary("records", std::uint64_t{0});
    diag.summary("files", std::uint64_t{0});
    return diag.exit_status();
  }
  bytes.check(r, enc);
  std::string preamble = in.source_encoding() == encoding::utf8_bom ? "\xEF\xBB\xBF" : "";
  std::uint64_t escaped = 0;  // --escape-formulas: the header's cells too
  escaped += append_text(preamble, r, o.escape_formulas);
  preamble.append(r.newline.empty() ? "\r\n" : r.newline);

  // The columns the mode needs, found by the profiles as kaiin-check finds them.
  column_map cols{};
  cols.index.fill(-1);
  if (o.mode == split_mode::action || o.mode == split_mode::address) {
    member_columns found = read_columns(o.profile, in.header());
    if (o.mode == split_mode::action) require_columns(found, in.name(), {field::control});
    if (o.mode == split_mode::address) require_columns(found, in.name(), {field::email});
    if (o.mode == split_mode::address && o.subscribed_only) require_columns(found, in.name(), {field::mailmag});
    cols = found.columns;
    diag.summary("profile", found.profile.name());
  }
  auto value = [&](field f) {
    return cols[f] >= 0 && static_cast<std::size_t>(cols[f]) < r.fields.size()
               ? r.raw(static_cast<std::size_t>(cols[f]))
               : std::string_view();
  };

  // Every mode copies the password column, when there is one, to its files.
  const bool secret = holds_passwords(in.header(), o.profile);
  std::unique_ptr<numbered_files> numbered;
  if (o.mode == split_mode::rows || o.mode == split_mode::bytes)
    numbered =
        std::make_unique<numbered_files>(outputs, o.dir, stem, preamble, o.mode == split_mode::rows ? o.limit : 0,
                                         o.mode == split_mode::bytes ? o.limit : 0, secret);
  output_stream* nu = nullptr;
  output_stream* del = nullptr;
  output_stream* by_address = nullptr;
  std::uint64_t counts[2] = {0, 0};  // action: n+u rows, d rows; address: rows, members without one
  std::uint64_t unsubscribed = 0;
  if (o.mode == split_mode::address) {
    by_address = &outputs.add(o.output, secret);
    by_address->write(preamble);
  }
  std::string record;
  while (in.next(r)) {
    bytes.check(r, enc);
    if (diag.limit_reached()) break;
    record.clear();  // (by address, fields are escaped one by one as they are written)
    escaped += append_text(record, r, o.escape_formulas && o.mode != split_mode::address);
    record.append(r.newline);
    switch (o.mode) {
      case split_mode::rows:
      case split_mode::bytes:
        if (!numbered->fits(record)) {
          diag.report({in.name(), r.number, r.line, std::nullopt, severity::error, "split-record-too-large",
                       format_tr("the record is {} bytes, with the header {}: more than the {} bytes a file may "
                                 "hold, and a record is never cut",
                                 record.size(), record.size() + preamble.size(), o.limit)});
        }
        if (!diag.errors()) numbered->add(record);
        break;
      case split_mode::action: {
        std::string_view control = value(field::control);
        if (control != "n" && control != "u" && control != "d") {
          diag.report({in.name(), r.number, r.line, in.column_name(static_cast<std::size_t>(cols[field::control])),
                       severity::error, "control-value",
                       format_tr("control value '{}' is not n, u or d: the file is not split", control)});
          break;
        }
        bool is_delete = control == "d";
        ++counts[is_delete];
        if (diag.errors()) break;
        output_stream*& out = is_delete ? del : nu;
        if (!out) {  // a file that would be empty is never made
          out = &outputs.add(fmt::format("{}/{}.{}.csv", o.dir, stem, is_delete ? "d" : "nu"), secret);
          out->write(preamble);
        }
        out->write(record);
        break;
      }
      case split_mode::address: {
        if (o.subscribed_only && value(field::mailmag) != "1") {
          ++unsubscribed;
          break;
        }
        const int email = cols[field::email], mobile = cols[field::mobile_email];
        std::vector<int> sources;  // the columns whose address gets a row
        if (!value(field::email).empty()) sources.push_back(email);
        if (mobile >= 0 && !value(field::mobile_email).empty() && value(field::mobile_email) != value(field::email))
          sources.push_back(mobile);
        if (sources.empty()) {
          ++counts[1];
          diag.report({in.name(), r.number, r.line, in.column_name(static_cast<std::size_t>(email)), severity::warning,
                       "split-no-address", _("the member has no e-mail address: no row is written for them")});
          break;
        }
        if (diag.errors()) break;
        for (int source : sources) {  // one row an address, in the e-mail column
          for (std::size_t i = 0; i < r.fields.size(); ++i) {
            if (i) by_address->put(',');
            if (static_cast<int>(i) == email)
              escaped += put_field(*by_address, r, static_cast<std::size_t>(source), o.escape_formulas);
            else if (static_cast<int>(i) != mobile)
              escaped += put_field(*by_address, r, i, o.escape_formulas);
          }
          by_address->write(r.newline.empty() ? std::string_view("\r\n") : r.newline);
          ++counts[0];
        }
        break;
      }
    }
  }

  diag.summary("input", in.name());
  diag.summary("records", in.records());
  diag.add_escaped(escaped);
  if (commit_unless_errors(outputs, diag, "files")) return 1;
  switch (o.mode) {
    case split_mode::action:
      diag.summary("new_and_update_rows", counts[0]);
      diag.summary("delete_rows", counts[1]);
      diag.summary("files_written", fmt::format("{}{}{}", nu ? stem + ".nu.csv" : "", nu && del ? ", " : "",
                                                del ? stem + ".d.csv" : (nu ? "" : _("none"))));
      break;
    case split_mode::address:
      diag.summary("rows_written", counts[0]);
      diag.summary("members_without_address", counts[1]);
      if (o.subscribed_only) diag.summary("members_not_subscribed", unsubscribed);
      break;
    default: {
      std::string names;
      for (const auto& [name, rows] : numbered->files())
        names += (names.empty() ? "" : ", ") + format_tr("{} ({} rows)", name, rows);
      diag.summary("files_written", names.empty() ? std::string(_("none")) : names);
      // A file left from an earlier, longer split would be taken for part of this one.
      struct stat st {};
      std::string stale = o.dir + "/" + numbered->name(numbered->files().size() + 1);
      if (::stat(stale.c_str(), &st) == 0)
        diag.report({stale, 0, 0, std::nullopt, severity::warning, "split-stale-file",
                     _("this file is left from an earlier split, not part of this one: remove it before uploading")});
      break;
    }
  }
  return 0;
}

}  // namespace kaiin
