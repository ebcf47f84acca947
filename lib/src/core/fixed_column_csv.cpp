#include "core/fixed_column_csv.h"

#include "core/encoding_names.h"
#include "kaiin/i18n.h"

#include <fmt/format.h>
#include <cstring>

namespace kaiin {

namespace {
constexpr std::size_t chunk = 1 << 16;

// Remembers where the first undecodable byte is.
struct decode_errors : problem_sink {
  void on_problem(const coding_problem& p) override {
    if (p.kind == coding_problem::invalid && first == std::string_view::npos) first = p.offset;
  }
  std::size_t first = std::string_view::npos;
};
}  // namespace

decoding_source::decoding_source(const std::string& path, source_encoding from)
    : file_(std::make_unique<file_source>(path)) {
  detection_ = detect_encoding(*file_, from);
}

decoding_source::~decoding_source() = default;

bool decoding_source::refill() {
  if (eof_) return false;
  std::size_t carried = raw_.size();
  raw_.resize(carried + chunk);
  std::size_t n = file_->read(raw_.data() + carried, chunk);
  raw_.resize(carried + n);
  if (n == 0) eof_ = true;
  if (raw_.empty()) return false;
  std::string_view text(raw_);
  std::size_t keep = eof_ ? 0 : incomplete_tail(text, detection_.data_encoding());
  text.remove_suffix(keep);
  decoded_.clear();
  handed_ = 0;
  decode_errors errors;
  if (detection_.data_encoding() == encoding::cp932)
    decode_cp932(text, decoded_, errors);
  else
    copy_utf8(text, decoded_, errors);
  std::size_t nul = text.find('\0');
  std::size_t bad = std::min(nul, errors.first);
  if (bad != std::string_view::npos) {
    std::uint64_t line = line_ + static_cast<std::uint64_t>(std::count(text.begin(), text.begin() + bad, '\n'));
    std::string what = bad == nul
                           ? std::string(_("a NUL byte"))
                           : format_tr("a byte that is not {} (0x{:02X})", encoding_name(detection_.data_encoding()),
                                       static_cast<unsigned char>(text[bad]));
    throw error(what, file_->name(), line);
  }
  line_ += static_cast<std::uint64_t>(std::count(text.begin(), text.end(), '\n'));
  raw_.erase(0, text.size());
  return true;
}

int decoding_source::read(char* buffer, int size) {
  // Fill the request whole: fast-cpp-csv-parser takes a short first read for the end
  // of the file, so handing out one decoded chunk at a time would cut files short.
  std::size_t done = 0, want = static_cast<std::size_t>(size);
  while (done < want) {
    if (handed_ == decoded_.size() && !refill()) break;
    std::size_t n = std::min(want - done, decoded_.size() - handed_);
    std::memcpy(buffer + done, decoded_.data() + handed_, n);
    handed_ += n;
    done += n;
  }
  // fast-cpp-csv-parser looks at the byte after the data before it checks for the
  // end: a '\n' left there (a reused buffer) made it read past the end of its buffer
  // (found by fixed_csv_fuzz, whose buffers are reused). A NUL there cannot be taken
  // for a line's end.
  if (done < want) buffer[done] = '\0';
  return static_cast<int>(done);
}

void rethrow_as_kaiin_error(const std::string& file, bool header_is_data) {
  try {
    throw;
  } catch (const error&) {
    throw;
  } catch (const io::error::base& e) {
    unsigned line = 0;
    if (auto* l = dynamic_cast<const io::error::with_file_line*>(&e)) line = static_cast<unsigned>(l->file_line);
    std::string column;
    if (auto* c = dynamic_cast<const io::error::with_column_name*>(&e)) column = c->column_name;
    std::string what, header_rule;  // header_rule: a problem of the header, and its rule id
    if (dynamic_cast<const io::error::too_few_columns*>(&e))
      what = _("too few columns");
    else if (dynamic_cast<const io::error::too_many_columns*>(&e))
      what = _("too many columns");
    else if (dynamic_cast<const io::error::escaped_string_not_closed*>(&e))
      what = _("a quote is not closed on this line (fields of this file cannot hold newlines)");
    else if (dynamic_cast<const io::error::line_length_limit_exceeded*>(&e))
      what = _("the line is too long");
    else if (dynamic_cast<const io::error::header_missing*>(&e))
      what = _("the file is empty: a header is missing"), header_rule = "file-empty";
    else if (dynamic_cast<const io::error::missing_column_in_header*>(&e))
      what = format_tr("the header lacks the column '{}'", column), header_rule = "header-missing";
    else if (dynamic_cast<const io::error::extra_column_in_header*>(&e))
      what = format_tr("the header has an unknown column '{}'", column), header_rule = "header-unknown";
    else if (dynamic_cast<const io::error::duplicated_column_in_header*>(&e))
      what = format_tr("the header has the column '{}' twice", column), header_rule = "header-duplicate";
    else
      what = format_tr("a value of column '{}' cannot be read", column);
    std::string name = file == "-" ? "<stdin>" : file;
    if (header_is_data && !header_rule.empty()) throw data_error(header_rule, what, name);
    throw error(what, name, line);
  }
}

}  // namespace kaiin
