#include "jobs/fix/changed_record.h"

#include <algorithm>

namespace kaiin::detail {

namespace {

// Says whether encoding a value met a character the target has no code for.
struct encoding_check : problem_sink {
  bool failed = false;
  void on_problem(const coding_problem& p) override { failed |= p.kind != coding_problem::eudc; }
};

}  // namespace

bool encode_value(std::string_view value, encoding file_encoding, std::string& bytes) {
  bytes.clear();
  if (file_encoding != encoding::cp932) {
    bytes.assign(value);
    return true;
  }
  encoding_check check;
  encode_cp932(value, bytes, check);
  return !check.failed;
}

void split_record(std::string_view text, std::vector<csv_field>& fields, csv_dialect dialect) {
  fields.clear();
  std::size_t p = 0;
  for (;;) {
    csv_field f;
    if (p < text.size() && text[p] == '"') {  // to the closing quote; "" is one quote
      f.quoted = true;
      f.begin = ++p;
      for (;; ++p) {
        p = text.find('"', p);
        if (p == std::string_view::npos) p = text.size();  // not for a well-formed record
        if (p + 1 < text.size() && text[p + 1] == '"') {
          f.escaped = true;
          ++p;
          continue;
        }
        break;
      }
      f.end = p;
      p = std::min(p + 1, text.size());
    } else {
      f.begin = p;
      p = std::min(text.find(dialect.delimiter, p), text.size());
      f.end = p;
    }
    fields.push_back(f);
    if (p >= text.size()) return;
    ++p;  // the delimiter
  }
}

void rewrite_record(std::string_view text, std::string_view newline, std::span<const csv_field> fields,
                    std::span<const value_change* const> changes, std::string& out, csv_dialect dialect) {
  std::size_t at = 0;  // in text: what is copied up to
  auto append_value = [&](const value_change& c, bool quoted) {
    if (quoted || needs_quotes(c.bytes, dialect)) {
      out += '"';
      for (char ch : c.bytes) {
        if (ch == '"') out += '"';
        out += ch;
      }
      out += '"';
    } else {
      out.append(c.bytes);
    }
  };
  for (const value_change* change : changes) {
    const value_change& c = *change;
    if (c.column >= fields.size()) {  // a field added at the end (one Excel dropped)
      out.append(text.substr(at));
      at = text.size();
      out += dialect.delimiter;
      append_value(c, false);
      continue;
    }
    const csv_field& f = fields[c.column];
    std::size_t begin = f.begin - (f.quoted ? 1 : 0), end = f.end + (f.quoted ? 1 : 0);
    out.append(text.substr(at, begin - at));
    append_value(c, f.quoted);
    at = end;
  }
  out.append(text.substr(at));
  out.append(newline);
}

}  // namespace kaiin::detail
