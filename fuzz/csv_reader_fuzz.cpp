// Fuzz target: csv_reader on arbitrary bytes, as CSV and as TSV, read whole and a
// few bytes at a time. Beyond not crashing, the reader must keep every byte (the
// records and their newlines put together are the input), agree with itself
// whatever the chunking and when its plain lines are taken in bulk (as
// kaiin-points takes them), place its problems where they are, and what csv_writer
// writes of the values must read back as the same values.

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "core/plain_lines.h"
#include "fuzz_util.h"
#include "kaiin/csv.h"

namespace {

using kaiin::fuzz::require;

struct record {
  std::string text, newline;
  std::vector<std::string> values;
  std::vector<std::pair<kaiin::csv_problem_kind, std::size_t>> problems;
  std::uint64_t line, offset;
  bool operator==(const record&) const = default;
};

std::vector<record> parse(std::string_view data, kaiin::csv_dialect dialect, std::size_t chunk) {
  kaiin::memory_source src(data, chunk);
  kaiin::csv_reader reader(src, dialect);
  std::vector<record> out;
  kaiin::raw_record r;
  std::uint64_t offset = 0, line = 1;
  while (reader.next(r)) {
    require(r.number == out.size(), "records are numbered from 0 in order");
    require(r.offset == offset, "a record starts where the previous one ended");
    require(r.line == line, "a record's line counts the newlines before it");
    require(data.substr(offset, r.text.size()) == r.text, "a record's text is the input's bytes");
    require(r.newline == "\r\n" || r.newline == "\n" || r.newline.empty(), "a newline is CRLF, LF or none");
    require(!r.fields.empty(), "a record has a field");
    std::size_t prev_end = 0;
    for (const kaiin::csv_field& f : r.fields) {
      require(f.begin <= f.end && f.end <= r.text.size(), "a field lies inside its record");
      require(f.begin >= prev_end, "fields are in order and do not overlap");
      prev_end = f.end;
    }
    bool ragged = false;
    for (const kaiin::csv_problem& p : r.problems) {
      require(p.offset <= r.text.size(), "a problem lies inside its record");
      require(p.field <= r.fields.size(), "a problem names a field of its record");
      if (p.kind == kaiin::csv_problem_kind::field_count) {
        ragged = true;
        continue;
      }
      require(r.field_of(p.offset) == p.field, "field_of finds the field a problem is in");
      require(r.line_of(p.offset) == p.line, "line_of finds the line a problem is on");
    }
    require(ragged == (r.number > 0 && r.fields.size() != reader.header_fields()),
            "a field-count problem exactly when the record and the header differ");
    record rec{std::string(r.text), std::string(r.newline), {}, {}, r.line, r.offset};
    for (std::size_t i = 0; i < r.fields.size(); ++i) r.append_value(i, rec.values.emplace_back());
    for (const kaiin::csv_problem& p : r.problems) rec.problems.emplace_back(p.kind, p.offset);
    offset += r.text.size() + r.newline.size();
    line += static_cast<std::uint64_t>(std::count(r.text.begin(), r.text.end(), '\n')) + (r.newline.empty() ? 0 : 1);
    out.push_back(std::move(rec));
    if (r.newline.empty()) require(offset == data.size(), "only the last record lacks a newline");
  }
  require(offset == data.size(), "the records and their newlines are the whole input");
  require(reader.bytes_read() == data.size(), "bytes_read counts the whole input");
  if (!out.empty()) require(reader.header_fields() == out[0].values.size(), "the header's fields are counted");
  return out;
}

// The same records, the plain lines that have the header's field count taken in
// bulk from plain_lines() (split by plain_line_scanner), the rest with next().
std::vector<record> parse_plain(std::string_view data, kaiin::csv_dialect dialect, std::size_t chunk) {
  kaiin::memory_source src(data, chunk);
  kaiin::csv_reader reader(src, dialect);
  std::vector<record> out;
  kaiin::raw_record r;
  std::uint64_t offset = 0;
  for (;;) {
    const kaiin::plain_block block = reader.plain_lines();
    require(block.text.empty() || data.substr(offset, block.text.size()) == block.text,
            "plain lines are the input's bytes from the next record on");
    auto [taken, records] = kaiin::detail::take_plain_lines<16>(
        block.text, dialect.delimiter, reader.header_fields(),
        [&](const kaiin::detail::plain_line<16>& l, std::uint64_t k) {
          require(block.number + k == out.size(), "plain lines are numbered on from the records before");
          record rec{std::string(block.text.substr(l.begin, l.end - l.begin)),
                     std::string(block.text.substr(l.end, l.next - l.end)),
                     {},
                     {},
                     block.line + k,
                     offset + l.begin};
          for (std::size_t i = 0; i < l.fields; ++i) rec.values.emplace_back(l.field(block.text, i));
          out.push_back(std::move(rec));
          return true;
        });
    reader.take_plain(taken, records);
    offset += taken;
    if (records) continue;
    if (!reader.next(r)) break;
    record rec{std::string(r.text), std::string(r.newline), {}, {}, r.line, r.offset};
    for (std::size_t i = 0; i < r.fields.size(); ++i) r.append_value(i, rec.values.emplace_back());
    for (const kaiin::csv_problem& p : r.problems) rec.problems.emplace_back(p.kind, p.offset);
    offset += r.text.size() + r.newline.size();
    out.push_back(std::move(rec));
  }
  require(reader.bytes_read() == data.size(), "bytes_read counts the whole input, plain lines too");
  return out;
}

// Writes the values with csv_writer and reads them back.
void round_trip(const std::vector<record>& records) {
  static kaiin::fuzz::memory_file file;
  {
    kaiin::output_stream out(file.truncate(), "memory", 1 << 16);
    kaiin::csv_writer writer(out);
    for (const record& r : records) writer.write(r.values);
    out.flush();
  }
  std::string written = file.content();
  std::vector<record> again = parse(written, kaiin::csv_dialect::csv(), SIZE_MAX);
  require(again.size() == records.size(), "written records read back as many records");
  for (std::size_t i = 0; i < again.size(); ++i) {
    require(again[i].values == records[i].values, "written values read back the same");
    require(again[i].problems.empty() || (again[i].problems.size() == 1 && i > 0 &&
                                          again[i].problems[0].first == kaiin::csv_problem_kind::field_count),
            "what csv_writer writes is well-formed");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  for (kaiin::csv_dialect dialect : {kaiin::csv_dialect::csv(), kaiin::csv_dialect::tsv()}) {
    std::vector<record> whole = parse(in, dialect, SIZE_MAX);
    // Small chunks put every record boundary, CRLF and "" across reads.
    for (std::size_t chunk : {std::size_t{1}, std::size_t{7}}) {
      if (chunk == 1 && size > 256) continue;
      require(parse(in, dialect, chunk) == whole, "chunked reading gives the same records");
    }
    // Reads of 16 bytes: the lines come a few at a time, a quote and a refill between.
    require(parse_plain(in, dialect, 16) == whole, "plain lines taken in bulk are the same records");
    if (dialect.quoting) round_trip(whole);
  }
  return 0;
}
