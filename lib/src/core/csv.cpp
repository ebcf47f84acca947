#include "kaiin/csv.h"

#include <fmt/format.h>
#include <algorithm>
#include <cstring>

#include "core/byte_scan.h"
#include "core/csv_fields.h"
#include "kaiin/error.h"
#include "kaiin/i18n.h"

namespace kaiin {

namespace {
// A megabyte, or less for a file known to be smaller: a reader opened on a small
// file (a fuzz input, a profile) need not allocate and, under ASan, poison more.
constexpr std::size_t full_capacity = 1 << 20;
std::size_t initial_capacity(const byte_source& in) {
  std::uint64_t size = in.size_hint();
  return size ? static_cast<std::size_t>(std::clamp<std::uint64_t>(size + 1, 4096, full_capacity)) : full_capacity;
}

enum class state { field_start, unquoted, quoted, after_quote };
}  // namespace

void raw_record::append_value(std::size_t i, std::string& out) const {
  if (!fields[i].escaped) {
    out.append(raw(i));
    return;
  }
  const std::size_t at = out.size();
  out.resize(at + raw(i).size());
  out.resize(static_cast<std::size_t>(copy_value(i, out.data() + at) - out.data()));
}

char* raw_record::copy_value(std::size_t i, char* o) const {
  const std::string_view v = raw(i);
  std::copy(v.begin(), v.end(), o);
  return o + (fields[i].escaped ? unescape_quotes(o, v.size()) : v.size());
}

std::size_t unescape_quotes(char* v, std::size_t size) {
  std::size_t out = 0;
  for (std::size_t k = 0; k < size; ++k, ++out) {
    v[out] = v[k];
    if (v[k] == '"' && k + 1 < size && v[k + 1] == '"') ++k;
  }
  return out;
}

std::uint64_t raw_record::line_of(std::size_t offset) const {
  return line + static_cast<std::uint64_t>(std::count(text.begin(), text.begin() + offset, '\n'));
}

std::size_t raw_record::field_of(std::size_t offset) const {
  // The last field whose content starts at or before the offset (a quote counts).
  auto it = std::upper_bound(fields.begin(), fields.end(), offset,
                             [](std::size_t off, const csv_field& f) { return off < f.begin - (f.quoted ? 1 : 0); });
  return it == fields.begin() ? 0 : static_cast<std::size_t>(it - fields.begin() - 1);
}

csv_reader::csv_reader(byte_source& in, csv_dialect dialect, std::uint64_t base_offset)
    : in_(in),
      dialect_(dialect),
      buf_(new char[initial_capacity(in)]),
      capacity_(initial_capacity(in)),
      next_read_(capacity_),
      consumed_(base_offset) {
  special_[static_cast<unsigned char>(dialect.delimiter)] = true;
  special_[static_cast<unsigned char>('\n')] = special_[static_cast<unsigned char>('\r')] = true;
  if (dialect.quoting) special_[static_cast<unsigned char>('"')] = true;
}

csv_reader::~csv_reader() = default;

// Makes room and reads more; false at the end of the input.
bool csv_reader::fill() {
  if (eof_) return false;
  mask_at_ = no_mask;  // the bytes may move
  if (begin_ > 0) {
    std::memmove(buf_.get(), buf_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == capacity_) {  // one record fills the buffer: grow it
    std::size_t bigger = capacity_ * 2;
    std::unique_ptr<char[]> next(new char[bigger]);
    std::memcpy(next.get(), buf_.get(), end_);
    buf_ = std::move(next);
    capacity_ = bigger;
  }
  std::size_t n = in_.read(buf_.get() + end_, std::min(capacity_ - end_, next_read_));
  next_read_ = std::min(next_read_ * 2, capacity_);
  if (n == 0) eof_ = true;
  end_ += n;
  return n > 0;
}

namespace {

// The bytes that may end an unquoted field: the delimiter, a quote (when quoting),
// CR and LF.
detail::byte_set4 field_ends(csv_dialect d) { return {d.delimiter, d.quoting ? '"' : '\n', '\n', '\r'}; }

}  // namespace

// The first byte at or after \p p that may end an unquoted field.
std::size_t csv_reader::find_special(const char* b, std::size_t p, std::size_t n) const {
  while (p < n && !special_[static_cast<unsigned char>(b[p])]) ++p;
  return p;
}

// One loop over the states of a record (field start, unquoted, quoted, after a
// quote), kept whole on purpose: it reads every byte every program reads, 31% of
// kaiin-conv's instructions from CP932 to UTF-8 and 9% of kaiin-check's on an upload
// (callgrind, 20,000 members). The states share the scan's position, field, state and
// line in locals that stay in registers; split a function a state, they would be
// shared through memory, and loaded again after each field stored, as the field-end
// bytes were when they were members (below). Measurements chose its shape: masks of
// 64 bytes (22% less time reading a million members than masks of 16), the step to
// the next field written out twice (a lambda measured 12% slower on the conversion
// benchmark), a mask kept for the short records inside it (a 17-byte point row was
// four masks' work).
bool csv_reader::next(raw_record& r) {
  r.fields.clear();
  r.problems.clear();
  state st = state::field_start;
  std::size_t p = 0;  // scan position, relative to begin_ (which fill() may move)
  csv_field field;
  std::uint64_t line = line_, open_line = line_;
  bool saw_bare_cr = false;
  std::size_t newline_len = 0;
  bool done = false;
  const char delim = dialect_.delimiter;
  // Broadcast once a record, into a local the loop below keeps in registers (built
  // from the members for every sixteen bytes, they were loaded again each time: the
  // stores of the fields found may alias them).
  const detail::byte_set4 ends = field_ends(dialect_);

  auto problem = [&](csv_problem_kind k, std::size_t at) { r.problems.push_back({k, at, line, r.fields.size()}); };
  auto end_field = [&](std::size_t at) {
    if (st != state::after_quote) field.end = at;
    r.fields.push_back(field);
    field = csv_field{};
    st = state::field_start;
  };

  while (!done) {
    const char* b = buf_.get() + begin_;
    const std::size_t n = end_ - begin_;
    if (p >= n) {
      if (fill()) continue;
      // The end of the input.
      if (st == state::field_start && r.fields.empty() && p == 0) return false;
      if (st == state::field_start) {  // after a trailing delimiter: one more empty field
        field.begin = p;
        st = state::unquoted;
      } else if (st == state::quoted) {
        r.problems.push_back({csv_problem_kind::unterminated_quote, field.begin - 1, open_line, r.fields.size()});
        field.end = p;
        st = state::unquoted;
      }
      end_field(p);
      break;
    }
    switch (st) {
      case state::field_start:
        if (dialect_.quoting && b[p] == '"') {
          field.quoted = true;
          field.begin = ++p;
          open_line = line;
          st = state::quoted;
        } else {
          field.begin = p;
          st = state::unquoted;
        }
        break;
      case state::unquoted:
      case state::after_quote: {
        if (st == state::unquoted) {
          // From delimiter to delimiter without leaving this loop, the common case:
          // each set bit of a mask of 64 bytes (16 near the end of what is read)
          // is a byte to look at. Sixteen bytes a mask left the loop over masks
          // every one to three fields, a mispredicted branch each time. (The step
          // to the next field is written out in both branches: as a lambda it
          // measured 12% slower on the conversion benchmark.)
          for (bool stop = false; !stop;) {
            std::size_t width = 64;
            std::uint64_t mask;
            if (const std::size_t shift = begin_ + p - mask_at_; shift < 64) {
              // Inside the mask of a record before (short records): its bits from here.
              mask = mask_bits_ >> shift;
              width = 64 - shift;
            } else if (p + 64 <= n) {
              mask = ends.mask64(b + p);
              mask_at_ = begin_ + p;
              mask_bits_ = mask;
            } else if (p + 16 <= n) {
              width = 16;
              mask = ends.mask16(b + p);
            } else {  // the end of what is read: a byte at a time
              p = find_special(b, p, n);
              if (p + 1 >= n || b[p] != delim || b[p + 1] == '"') break;
              field.end = p;
              r.fields.push_back(field);
              field = csv_field{};
              field.begin = ++p;
              continue;
            }
            const std::size_t block = p;
            for (;; mask &= mask - 1) {
              if (!mask) {
                p = block + width;
                break;
              }
              p = block + detail::lowest_bit64(mask);
              if (p + 1 >= n || b[p] != delim || b[p + 1] == '"') {
                stop = true;
                break;
              }
              field.end = p;
              r.fields.push_back(field);
              field = csv_field{};
              field.begin = ++p;
            }
          }
          if (p >= n) break;
        }
        char c = b[p];
        if (c == delim) {
          end_field(p);
          ++p;
        } else if (c == '\n') {
          end_field(p);
          newline_len = 1;
          done = true;
        } else if (c == '\r') {
          if (p + 1 >= n && !eof_) {
            if (fill()) continue;
          }
          const char* b2 = buf_.get() + begin_;
          if (p + 1 < end_ - begin_ && b2[p + 1] == '\n') {
            end_field(p);
            newline_len = 2;
            done = true;
          } else {
            if (!saw_bare_cr) problem(csv_problem_kind::bare_cr, p);
            saw_bare_cr = true;
            if (st == state::after_quote) st = state::unquoted;
            ++p;
          }
        } else if (st == state::after_quote) {
          problem(csv_problem_kind::text_after_quote, p);
          field.end = p;  // keep what follows the quote in the field: nothing is lost
          st = state::unquoted;
        } else {  // a quote inside an unquoted field: kept as a character
          problem(csv_problem_kind::bare_quote, p);
          ++p;
        }
        break;
      }
      case state::quoted: {
        const char* q = static_cast<const char*>(std::memchr(b + p, '"', n - p));
        std::size_t upto = q ? static_cast<std::size_t>(q - b) : n;
        line += static_cast<std::uint64_t>(std::count(b + p, b + upto, '\n'));
        p = upto;
        if (!q) break;
        if (p + 1 >= n && !eof_) {
          if (fill()) continue;
        }
        const char* b2 = buf_.get() + begin_;
        if (p + 1 < end_ - begin_ && b2[p + 1] == '"') {
          field.escaped = true;
          p += 2;
        } else {
          field.end = p;
          ++p;
          st = state::after_quote;
        }
        break;
      }
    }
  }
  const char* b = buf_.get() + begin_;
  r.text = std::string_view(b, p);
  r.newline = std::string_view(b + p, newline_len);
  r.number = records_++;
  r.line = line_;
  r.offset = consumed_;
  if (r.number == 0) {
    header_fields_ = r.fields.size();
  } else if (r.fields.size() != header_fields_) {
    r.problems.push_back({csv_problem_kind::field_count, 0, line_, r.fields.size()});
  }
  std::size_t total = p + newline_len;
  begin_ += total;
  consumed_ += total;
  line_ = line + (newline_len > 0 ? 1 : 0);
  return true;
}

plain_block csv_reader::plain_lines() {
  if (records_ == 0) return {};  // the header first: it says how many fields a record has
  if (!std::memchr(buf_.get() + begin_, '\n', end_ - begin_) && !fill()) return {};
  const char* b = buf_.get() + begin_;
  std::size_t n = end_ - begin_;
  if (dialect_.quoting) {
    const std::uint64_t from = consumed_, to = consumed_ + n;
    if (quote_at_ != no_quote && quote_at_ < from) {  // passed: search on from here
      quote_at_ = no_quote;
      quote_searched_to_ = from;
    }
    if (quote_at_ == no_quote && quote_searched_to_ < to) {
      const std::uint64_t start = std::max(quote_searched_to_, from);
      if (const void* q = std::memchr(b + (start - from), '"', to - start))
        quote_at_ = from + static_cast<std::uint64_t>(static_cast<const char*>(q) - b);
      quote_searched_to_ = to;
    }
    if (quote_at_ != no_quote) n = quote_at_ - from;
  }
  const void* last = n ? memrchr(b, '\n', n) : nullptr;
  if (!last) return {};
  return {std::string_view(b, static_cast<std::size_t>(static_cast<const char*>(last) - b) + 1), records_, line_};
}

void csv_reader::resume_at(std::uint64_t offset, std::uint64_t line, std::uint64_t number) {
  quote_at_ = no_quote;
  quote_searched_to_ = 0;
  begin_ = end_ = 0;
  mask_at_ = no_mask;
  eof_ = false;
  consumed_ = offset;
  line_ = line;
  records_ = number;
  // A few records are wanted there, most likely: reads start small and grow back.
  // Reading a whole buffer at each of kaiin-crosspoint's 3,800 visits was a
  // quarter of a second of system time (1,000,000 members).
  next_read_ = std::min<std::size_t>(16 << 10, capacity_);
}

bool needs_quotes(std::string_view field, csv_dialect dialect) {
  for (char c : field)
    if (c == dialect.delimiter || c == '"' || c == '\r' || c == '\n') return true;
  return false;
}

void append_csv_field(std::string& out, std::string_view field, csv_dialect dialect) {
  if (!dialect.quoting) {
    if (!tsv_clean(field) || field.find(dialect.delimiter) != std::string_view::npos)
      throw error(_("a TSV field cannot hold TAB, CR or LF"));
    out.append(field);
    return;
  }
  if (!needs_quotes(field, dialect)) {
    out.append(field);
    return;
  }
  out.push_back('"');
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

bool append_csv_field(std::string& out, std::string_view field, csv_dialect dialect, bool escape_formulas) {
  if (!escape_formulas || !looks_like_formula(field)) {
    append_csv_field(out, field, dialect);
    return false;
  }
  // The escape goes inside the field's quotes, where it has any: before the opening
  // quote it would make a quote inside an unquoted field, which readers refuse.
  std::string escaped(1, formula_escape);
  escaped.append(field);
  append_csv_field(out, escaped, dialect);
  return true;
}

bool looks_like_formula(std::string_view field) {
  if (field.empty()) return false;
  switch (field.front()) {  // a switch, not a search: every value of an upload is asked
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r': break;
    default: return false;
  }
  // A signed decimal number is a value, not a formula: [+-]?[0-9]+([.][0-9]+)?
  std::size_t i = field.front() == '+' || field.front() == '-' ? 1 : 0;
  auto digits = [&] {
    std::size_t start = i;
    while (i < field.size() && field[i] >= '0' && field[i] <= '9') ++i;
    return i > start;
  };
  if (!digits()) return true;
  if (i < field.size() && field[i] == '.') {
    ++i;
    if (!digits()) return true;
  }
  return i != field.size();
}

std::size_t append_escaping_formulas(std::string& out, const raw_record& r,
                                     const std::function<void(std::string_view, std::size_t)>& piece) {
  auto append = [&](std::size_t from, std::size_t to) {
    std::string_view text = r.text.substr(from, to - from);
    if (piece)
      piece(text, from);
    else
      out.append(text);
  };
  std::size_t from = 0, escaped = 0;
  for (std::size_t i = 0; i < r.fields.size(); ++i) {
    if (!looks_like_formula(r.raw(i))) continue;
    append(from, r.fields[i].begin);
    out.push_back(formula_escape);
    from = r.fields[i].begin;
    ++escaped;
  }
  append(from, r.text.size());
  return escaped;
}

void csv_writer::write_field(std::string_view field) {
  if (escape_formulas_ && looks_like_formula(field)) {
    ++escaped_;
    scratch_.clear();
    append_csv_field(scratch_, field, dialect_, true);
    out_.write(scratch_);
    return;
  }
  if (dialect_.quoting && !needs_quotes(field, dialect_)) {  // the common case: as it is
    out_.write(field);
    return;
  }
  scratch_.clear();
  append_csv_field(scratch_, field, dialect_);
  out_.write(scratch_);
}

}  // namespace kaiin
