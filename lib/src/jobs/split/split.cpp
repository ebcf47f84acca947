#include "kaiin/split.h"

#include <sys/stat.h>

#include <fmt/format.h>
#include <algorithm>
#include <memory>
#include <vector>

#include "core/csv_input.h"
#include "core/output_folder.h"
#include "core/output_set.h"
#include "core/text.h"
#include "kaiin/error.h"
#include "kaiin/i18n.h"
#include "members/member_columns.h"
#include "members/profile.h"

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
    std::uint64_t unit = 1;
    for (auto [suffix, factor] :
         {std::pair{"KiB", 1024u}, {"MiB", 1024u * 1024}, {"KB", 1000u}, {"MB", 1000u * 1000}}) {
      if (kind == "bytes" && n.ends_with(suffix)) {
        n.remove_suffix(std::string_view(suffix).size());
        unit = factor;
        break;
      }
    }
    std::optional<std::uint64_t> value = parse_count(n, 1);
    if (!value)
      throw error(count_error(kind == "rows" ? "--by rows:N" : _("--by bytes:N (N may end in KB, MB, KiB or MiB)"),
                              text.substr(colon + 1), 1));
    o.mode = kind == "rows" ? split_mode::rows : split_mode::bytes;
    o.limit = *value * unit;
    return;
  }
  throw error(format_tr("--by '{}' is not action, address, rows:N or bytes:N (e.g. rows:5000, bytes:200KB)", text));
}

namespace {

// ---- the input every mode reads ----

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

// The member CSV being split: its records with their bytes checked, the preamble
// every output starts with, and the cells --escape-formulas escaped.
class split_input {
 public:
  split_input(const split_options& o, diagnostics& diag)
      : o_(o),
        diag_(diag),
        in_(o.input, o.from, diag, is_password_header),
        enc_(in_.source_encoding() == encoding::cp932 ? encoding::cp932 : encoding::utf8),
        bytes_(in_) {}

  /// Reads the header and makes the preamble; false for an empty input.
  bool read_header() {
    if (!in_.next(r_)) return false;
    bytes_.check(r_, enc_);
    if (in_.source_encoding() == encoding::utf8_bom) preamble_ = "\xEF\xBB\xBF";
    escaped += append_text(preamble_, r_, o_.escape_formulas);  // the header's cells too
    preamble_.append(r_.newline.empty() ? "\r\n" : r_.newline);
    return true;
  }
  /// The next record, its bytes checked; false at the end, or once --max-errors is reached.
  bool next() {
    if (!in_.next(r_)) return false;
    bytes_.check(r_, enc_);
    return !diag_.limit_reached();
  }
  const raw_record& record() const { return r_; }
  /// The record as the files of action, rows and bytes hold it: escaped where asked,
  /// its newline included.
  std::string_view whole_record() {
    record_.clear();
    escaped += append_text(record_, r_, o_.escape_formulas);
    record_.append(r_.newline);
    return record_;
  }

  /// The columns of \p required (and the others), found by the profiles as
  /// kaiin-check finds them.
  column_map columns(std::initializer_list<field> required) {
    member_columns found = read_columns(o_.profile, in_.header());
    require_columns(found, in_.name(), required);
    diag_.summary("profile", found.profile.name());
    return found.columns;
  }
  /// Every mode copies the password column, when there is one, to its files.
  bool holds_passwords() const { return kaiin::holds_passwords(in_.header(), o_.profile); }

  const std::string& preamble() const { return preamble_; }
  const std::string& name() const { return in_.name(); }
  std::string column_name(int i) const { return in_.column_name(static_cast<std::size_t>(i)); }
  std::uint64_t records() const { return in_.records(); }

  std::uint64_t escaped = 0;  ///< cells with formula_escape, of every output

 private:
  const split_options& o_;
  diagnostics& diag_;
  csv_input in_;
  encoding enc_;
  byte_check bytes_;
  raw_record r_;
  std::string preamble_, record_;
};

// The bytes of field \p f of \p r as written, or empty when the file lacks it.
std::string_view raw_value(const raw_record& r, const column_map& cols, field f) {
  return cols[f] >= 0 && static_cast<std::size_t>(cols[f]) < r.fields.size() ? r.raw(static_cast<std::size_t>(cols[f]))
                                                                             : std::string_view();
}

// ---- the modes: what each does with a record, and says at the end ----

class splitter {
 public:
  virtual ~splitter() = default;
  virtual void add(const raw_record& r) = 0;
  /// The summary lines of the files written (after they are).
  virtual void summarize(diagnostics& diag) const = 0;
  /// The names of the files in --dir that this run wrote (once committed).
  virtual std::vector<std::string> written() const { return {}; }
};

// --by action: n and u rows to STEM.nu.csv, d rows to STEM.d.csv. A control value
// other than n, u or d is an error: the file is not split.
class by_action : public splitter {
 public:
  by_action(split_input& in, output_set& outputs, const split_options& o, std::string stem, diagnostics& diag)
      : in_(in),
        outputs_(outputs),
        dir_(o.dir),
        stem_(std::move(stem)),
        diag_(diag),
        cols_(in.columns({field::control})),
        secret_(in.holds_passwords()) {}

  void add(const raw_record& r) override {
    std::string_view record = in_.whole_record();
    std::string_view control = raw_value(r, cols_, field::control);
    if (control != "n" && control != "u" && control != "d") {
      diag_.report({in_.name(), r.number, r.line, in_.column_name(cols_[field::control]), severity::error,
                    "control-value", format_tr("control value '{}' is not n, u or d: the file is not split", control)});
      return;
    }
    const bool is_delete = control == "d";
    ++(is_delete ? delete_rows_ : new_and_update_rows_);
    if (diag_.errors()) return;
    output_stream*& out = is_delete ? del_ : nu_;
    if (!out) {  // a file that would be empty is never made
      out = &outputs_.add(fmt::format("{}/{}.{}.csv", dir_, stem_, is_delete ? "d" : "nu"), secret_);
      out->write(in_.preamble());
    }
    out->write(record);
  }

  void summarize(diagnostics& diag) const override {
    diag.summary("new_and_update_rows", new_and_update_rows_);
    diag.summary("delete_rows", delete_rows_);
    diag.summary("files_written", fmt::format("{}{}{}", nu_ ? stem_ + ".nu.csv" : "", nu_ && del_ ? ", " : "",
                                              del_ ? stem_ + ".d.csv" : (nu_ ? "" : _("none"))));
  }
  std::vector<std::string> written() const override {
    std::vector<std::string> names;
    if (nu_) names.push_back(stem_ + ".nu.csv");
    if (del_) names.push_back(stem_ + ".d.csv");
    return names;
  }

 private:
  split_input& in_;
  output_set& outputs_;
  std::string dir_, stem_;
  diagnostics& diag_;
  column_map cols_;
  bool secret_;
  output_stream *nu_ = nullptr, *del_ = nullptr;
  std::uint64_t new_and_update_rows_ = 0, delete_rows_ = 0;
};

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

// --by address (the CRM export keyed by e-mail): one row an address, the PC or the
// mobile address in the e-mail column, the mobile column left empty. With
// --subscribed-only, only members who receive the mail magazine.
class by_address : public splitter {
 public:
  by_address(split_input& in, output_set& outputs, const split_options& o, diagnostics& diag)
      : in_(in), o_(o), diag_(diag), cols_(in.columns(required(o))), out_(outputs.add(o.output, in.holds_passwords())) {
    out_.write(in.preamble());
  }

  void add(const raw_record& r) override {
    if (o_.subscribed_only && raw_value(r, cols_, field::mailmag) != "1") {
      ++not_subscribed_;
      return;
    }
    const int email = cols_[field::email], mobile = cols_[field::mobile_email];
    std::vector<int> sources;  // the columns whose address gets a row
    std::string_view pc = raw_value(r, cols_, field::email), mobile_address = raw_value(r, cols_, field::mobile_email);
    if (!pc.empty()) sources.push_back(email);
    if (mobile >= 0 && !mobile_address.empty() && mobile_address != pc) sources.push_back(mobile);
    if (sources.empty()) {
      ++without_address_;
      diag_.report({in_.name(), r.number, r.line, in_.column_name(email), severity::warning, "split-no-address",
                    _("the member has no e-mail address: no row is written for them")});
      return;
    }
    if (diag_.errors()) return;
    for (int source : sources) {  // fields are escaped one by one as they are written
      for (std::size_t i = 0; i < r.fields.size(); ++i) {
        if (i) out_.put(',');
        if (static_cast<int>(i) == email)
          in_.escaped += put_field(out_, r, static_cast<std::size_t>(source), o_.escape_formulas);
        else if (static_cast<int>(i) != mobile)
          in_.escaped += put_field(out_, r, i, o_.escape_formulas);
      }
      out_.write(r.newline.empty() ? std::string_view("\r\n") : r.newline);
      ++rows_written_;
    }
  }

  void summarize(diagnostics& diag) const override {
    diag.summary("rows_written", rows_written_);
    diag.summary("members_without_address", without_address_);
    if (o_.subscribed_only) diag.summary("members_not_subscribed", not_subscribed_);
  }

 private:
  static std::initializer_list<field> required(const split_options& o) {
    static const std::initializer_list<field> email{field::email}, subscribed{field::email, field::mailmag};
    return o.subscribed_only ? subscribed : email;
  }

  split_input& in_;
  const split_options& o_;
  diagnostics& diag_;
  column_map cols_;
  output_stream& out_;
  std::uint64_t rows_written_ = 0, without_address_ = 0, not_subscribed_ = 0;
};

// --by rows:N or bytes:N: STEM.001.csv ... of at most N records or bytes, the header
// in each. A record is never cut: one larger than the limit alone is an error.
class by_size : public splitter {
 public:
  by_size(split_input& in, output_set& outputs, const split_options& o, const std::string& stem, diagnostics& diag)
      : in_(in),
        limit_(o.limit),
        diag_(diag),
        files_(outputs, o.dir, stem, in.preamble(), o.mode == split_mode::rows ? o.limit : 0,
               o.mode == split_mode::bytes ? o.limit : 0, in.holds_passwords()) {}

  void add(const raw_record& r) override {
    std::string_view record = in_.whole_record();
    if (!files_.fits(record)) {
      diag_.report({in_.name(), r.number, r.line, std::nullopt, severity::error, "split-record-too-large",
                    format_tr("the record is {} bytes, with the header {}: more than the {} bytes a file may "
                              "hold, and a record is never cut",
                              record.size(), record.size() + in_.preamble().size(), limit_)});
    }
    if (!diag_.errors()) files_.add(record);
  }

  void summarize(diagnostics& diag) const override {
    std::string names;
    for (const auto& [name, rows] : files_.files())
      names += (names.empty() ? "" : ", ") + format_plural("{} ({} row)", "{} ({} rows)", rows, name, rows);
    diag.summary("files_written", names.empty() ? std::string(_("none")) : names);
  }
  std::vector<std::string> written() const override {
    std::vector<std::string> names;
    for (const auto& file : files_.files()) names.push_back(file.first);
    return names;
  }

 private:
  split_input& in_;
  std::uint64_t limit_;
  diagnostics& diag_;
  numbered_files files_;
};

std::unique_ptr<splitter> make_splitter(split_input& in, output_set& outputs, const split_options& o,
                                        const std::string& stem, diagnostics& diag) {
  switch (o.mode) {
    case split_mode::action: return std::make_unique<by_action>(in, outputs, o, stem, diag);
    case split_mode::address: return std::make_unique<by_address>(in, outputs, o, diag);
    case split_mode::rows:
    case split_mode::bytes: break;
  }
  return std::make_unique<by_size>(in, outputs, o, stem, diag);
}

// Warns of the files in --dir that a split by \p o's mode would name and that this
// run did not write (\p written): left from an earlier split, they would be taken for
// part of this one, after a run that wrote fewer files as after one that failed.
void warn_of_earlier_files(const split_options& o, const std::string& stem, const std::vector<std::string>& written,
                           diagnostics& diag) {
  std::vector<std::string> named;  // the file after the last numbered one is enough to say
  if (o.mode == split_mode::action)
    named = {stem + ".nu.csv", stem + ".d.csv"};
  else
    named = {numbered_file_name(stem, written.size() + 1)};
  for (const std::string& name : named) {
    if (std::find(written.begin(), written.end(), name) != written.end()) continue;
    const std::string path = o.dir + "/" + name;
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0)
      diag.report({path, 0, 0, std::nullopt, severity::warning, "split-stale-file",
                   _("this file is left from an earlier split, not part of this one: remove it before uploading")});
  }
}

// Reads the input and writes its files (\p written names those in --dir); the status.
int split_files(const split_options& o, const std::string& stem, std::vector<std::string>& written, diagnostics& diag) {
  split_input in(o, diag);
  if (!in.read_header()) throw data_error("file-empty", _("the file is empty: a header is missing"), in.name());
  output_set outputs;
  std::unique_ptr<splitter> mode = make_splitter(in, outputs, o, stem, diag);
  while (in.next()) mode->add(in.record());

  diag.summary("input", in.name());
  diag.summary("records", in.records());
  diag.add_escaped(in.escaped);
  if (commit_unless_errors(outputs, diag, "files")) return 1;
  mode->summarize(diag);
  written = mode->written();
  return 0;
}

}  // namespace

int run_split(const split_options& o, diagnostics& diag) {
  const bool by_file_name = o.mode != split_mode::address;  // action, rows, bytes: files named STEM... in --dir
  atomic_output::refuse_inputs(by_file_name ? std::string("-") : o.output, {o.input});
  std::vector<std::string> written;  // the files written in --dir
  if (!by_file_name) return split_files(o, {}, written, diag);
  const std::string stem = stem_of(o);
  output_folder folder(o.dir);  // removed again when the run writes nothing there
  try {
    const int status = split_files(o, stem, written, diag);
    warn_of_earlier_files(o, stem, written, diag);
    return status;
  } catch (const data_error&) {  // nothing written: every file there is an earlier one
    warn_of_earlier_files(o, stem, written, diag);
    throw;
  }
}

}  // namespace kaiin
