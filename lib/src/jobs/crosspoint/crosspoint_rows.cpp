#include "jobs/crosspoint/crosspoint_rows.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "core/byte_scan.h"
#include "core/compact.h"
#include "core/cp932.h"
#include "kaiin/i18n.h"
#include "members/email_address.h"
#include "members/member_rules.h"

namespace kaiin::detail {

using detail::address_use;

// Eight bytes at a time: a byte at a time, this look at every record was 7% of
// kaiin-crosspoint's time at 1,000,000 members (perf).
bool has_tab_or_newline(std::string_view s) {
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    if (has_byte(w, '\t') | has_byte(w, '\r') | has_byte(w, '\n')) return true;
  }
  for (; i < s.size(); ++i)
    if (s[i] == '\t' || s[i] == '\r' || s[i] == '\n') return true;
  return false;
}

namespace {

// has_tab_or_newline() of a whole record, which is mostly without: three passes of
// memchr (a vector loop in glibc) take a quarter of the eight-bytes-at-once look's
// instructions on 230-byte records (callgrind, 100,000 members: 80 -> 18 million).
bool record_has_tab_or_newline(std::string_view s) {
  return std::memchr(s.data(), '\t', s.size()) || std::memchr(s.data(), '\n', s.size()) ||
         std::memchr(s.data(), '\r', s.size());
}

struct any_problem : problem_sink {
  bool found = false;
  void on_problem(const coding_problem&) override { found = true; }
};

// Which single bytes and which pairs round-trip, found once with the tables'
// own decoder and encoder; a bit each, so that the pairs' 8 KB stay in the cache
// (this look at every byte was a fifth of the reading thread's time with a
// std::bitset, perf).
struct round_trip_table {
  std::array<std::uint64_t, 4> single{};
  std::array<std::uint64_t, 1024> pair{};
  bool ascii = true;  // every byte 00-7F round-trips
  static bool has(const std::uint64_t* bits, unsigned i) { return bits[i >> 6] >> (i & 63) & 1; }
  static void set(std::uint64_t* bits, unsigned i) { bits[i >> 6] |= std::uint64_t{1} << (i & 63); }
  round_trip_table() {
    auto round_trips = [](std::string_view bytes) {
      any_problem problem;
      std::string text, back;
      decode_cp932(bytes, text, problem);
      if (!problem.found) encode_cp932(text, back, problem);
      return !problem.found && back == bytes;
    };
    for (unsigned b = 0; b < 256; ++b) {
      const char c = static_cast<char>(b);
      if (!is_lead(b)) {
        if (round_trips(std::string_view(&c, 1))) set(single.data(), b);
        continue;
      }
      for (unsigned t = 0x40; t <= 0xFC; ++t) {
        const char two[2] = {c, static_cast<char>(t)};
        if (round_trips(std::string_view(two, 2))) set(pair.data(), b << 8 | t);
      }
    }
    for (unsigned b = 0; b < 0x80; ++b) ascii = ascii && has(single.data(), b);
  }
};

}  // namespace

bool round_trips_cp932(std::string_view bytes) {
  static const round_trip_table table;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  // Most values are ASCII, skipped a word at a time; a run of kanji and kana is then
  // looked at without going back to the skip after each character (names and
  // addresses alternate the two: the skip's setup, each time, was most of this).
  const unsigned low = table.ascii ? 0x80 : 0;
  for (std::size_t i = table.ascii ? skip_ascii(p, 0, n) : 0; i < n; i = skip_ascii(p, i, n)) {
    while (i < n && p[i] >= low) {
      const unsigned b = p[i];
      if (round_trip_table::has(table.single.data(), b)) {
        ++i;
      } else if (i + 1 < n && round_trip_table::has(table.pair.data(), b << 8 | p[i + 1])) {
        i += 2;  // only a lead byte's pairs are set
      } else {
        return false;
      }
    }
  }
  return true;
}

namespace {

// Encodes one line of the load file into the target encoding, reporting a character
// it cannot hold at its value's place.
class line_encoder : public problem_sink {
 public:
  line_encoder(csv_input& in, encoding to, const raw_record& r, const std::vector<std::size_t>& starts,
               const std::vector<int>& fields)
      : in_(in), to_(to), r_(r), starts_(starts), fields_(fields) {}
  void on_problem(const coding_problem& p) override {
    if (p.kind == coding_problem::eudc) return;  // reported when the input was read
    auto column =
        static_cast<std::size_t>(std::upper_bound(starts_.begin(), starts_.end(), p.offset) - starts_.begin() - 1);
    coding_problem at = p;
    int field = fields_[column];
    at.offset = field >= 0 ? r_.fields[static_cast<std::size_t>(field)].begin : 0;  // the value's place
    in_.report(r_, at, to_);
  }

 private:
  csv_input& in_;
  encoding to_;
  const raw_record& r_;
  const std::vector<std::size_t>& starts_;
  const std::vector<int>& fields_;
};

}  // namespace

member_reader::member_reader(csv_input& in, const member_reading& how)
    : in_(in),
      how_(how),
      copy_cp932_(how.to == encoding::cp932 && in.detected().data_encoding() == encoding::cp932 && !how.chars),
      starts_(how.map->size()) {
  for (const map_column& c : *how.map) fields_.push_back(c.index);
}

bool member_reader::fill(member_batch& b) {
  while (b.rows.size() < member_batch::rows_wanted) {
    in_.collect_into(&b.read.findings);
    if (!in_.next(r_)) return false;
    member_row row;
    row.number = r_.number;
    row.line = r_.line;
    row.offset = r_.offset;
    row.malformed = r_.malformed();
    if (!row.malformed) {
      // A CP932 record whose bytes all round-trip has no finding to decode and needs
      // no encoding: its line is its values' bytes, and only the values the job
      // reads are decoded. Decoding every value to UTF-8 and encoding it back was a
      // third of kaiin-crosspoint's time at 1,000,000 members (perf).
      bool copy = copy_cp932_ && round_trips_cp932(r_.text);
      if (!copy) in_.decode_fields(r_, values_);
      decode_needed(copy);
      const std::string_view id = needed_[0];
      row.id_at = static_cast<std::uint32_t>(b.text.size());
      row.id_size = static_cast<std::uint32_t>(id.size());
      b.text.append(id);
      // What the calling thread reports once the member's ID is its own.
      row.findings_first = static_cast<std::uint32_t>(b.member_findings.size());
      in_.collect_into(&b.member_findings);
      if (std::string_view p = needed_[1]; !p.empty()) {
        if (auto v = check_point(p))
          report(b, field::point, v->severity, v->rule, v->message);
        else
          row.point = std::stoull(std::string(p));
      }
      if (read_addresses(b, row) && copy) {  // an address not as written: the line is made of values
        in_.decode_fields(r_, values_);
        copy = false;
      }
      check_rank(b);
      copy ? copy_line(b, row) : make_line(b, row);
      row.findings_end = static_cast<std::uint32_t>(b.member_findings.size());
    }
    b.read.mark_row();
    b.rows.push_back(row);
  }
  return true;
}

// needed_: the values the job reads, from values_ or (\p alone: the record was not
// decoded) decoded one by one.
void member_reader::decode_needed(bool alone) {
  for (std::size_t i = 0; i < needed_fields.size(); ++i) {
    const int at = (*how_.columns)[needed_fields[i]];
    if (!alone)
      needed_[i] = values_.get(at);
    else if (at < 0 || static_cast<std::size_t>(at) >= r_.fields.size())
      needed_[i] = {};
    else
      needed_[i] = in_.decode_field(r_, static_cast<std::size_t>(at), needed_buffers_[i]);
  }
}

// The member's PC and mobile addresses, by their e-mail keys (spec §4.3), as
// kaiin-crm reads them: one valid once folded goes into the load file folded, with a
// warning; one that is no address is left out of the load file and of the merge, an
// error (the load file is still written). True when an address is not as written.
bool member_reader::read_addresses(member_batch& b, member_row& row) {
  bool replaced = false;
  for (std::size_t i = 0; i < 2; ++i) {
    replaced_[i] = false;
    const std::string_view v = needed_[2 + i];
    email_key(v, key_);
    if (!key_.empty()) {
      member_address a = read_member_address(v);
      if (a.use != address_use::as_is) {
        const verdict f =
            member_address_finding(v, a, N_("the load file has '{}'"), N_("the load file leaves it empty"));
        report(b, needed_fields[2 + i], f.severity, f.rule, f.message);
        replaced = replaced_[i] = true;
        address_form_[i] = std::move(a.folded);  // empty for one held back
      }
      if (a.use == address_use::held_back) {
        ++row.addresses_held_back;
        key_.clear();
      }
    }
    row.has_key[i] = !key_.empty();
    if (row.has_key[i]) row.fingerprints[i] = hash_text64(key_);
  }
  return replaced;
}

// The member's line of the load file: the map's columns, TAB between them, encoded.
void member_reader::make_line(member_batch& b, member_row& row) {
  const bool look = record_has_tab_or_newline(r_.text);
  const std::vector<map_column>& map = *how_.map;
  const column_map& cols = *how_.columns;
  const bool replacing = replaced_[0] || replaced_[1];
  line_.clear();
  for (std::size_t i = 0; i < map.size(); ++i) {
    if (i) line_.push_back('\t');
    starts_[i] = line_.size();
    if (map[i].index < 0) continue;
    if (replacing && ((replaced_[0] && map[i].index == cols[field::email]) ||
                      (replaced_[1] && map[i].index == cols[field::mobile_email]))) {
      line_.append(address_form_[map[i].index == cols[field::email] ? 0 : 1]);  // ASCII, no TAB
      continue;
    }
    std::string_view v = values_.get(map[i].index);
    line_.append(look && has_tab_or_newline(v) ? clean(b, row, static_cast<std::size_t>(map[i].index), v) : v);
  }
  row.line_at = static_cast<std::uint32_t>(b.text.size());
  line_encoder encoder(in_, how_.to, r_, starts_, fields_);
  if (how_.to == encoding::cp932)
    encode_cp932(line_, b.text, encoder, how_.chars);
  else
    copy_utf8(line_, b.text, encoder, how_.chars);
  row.line_size = static_cast<std::uint32_t>(b.text.size() - row.line_at);
}

// A value holding a TAB, CR or LF, which an unquoted TSV cannot hold.
std::string_view tsv_value(std::string_view v, const std::string& column, const std::string& file,
                           const member_row& row, bool sanitize, std::string& buffer, std::vector<finding>& found,
                           std::uint32_t& values, std::uint32_t& chars) {
  const std::size_t bad = v.find_first_of("\t\r\n");
  const std::string what = v[bad] == '\t' ? _("a TAB") : v[bad] == '\r' ? _("a CR") : _("an LF");
  if (!sanitize) {
    found.push_back(
        {file, row.number, row.line, column, severity::error, "crosspoint-tab-newline",
         column + ": " +
             format_tr("the value holds {}, which an unquoted TSV cannot hold; --sanitize writes spaces instead",
                       what)});
    return {};
  }
  buffer.assign(v);
  std::uint32_t n = 0;
  for (char& c : buffer)
    if (c == '\t' || c == '\r' || c == '\n') c = ' ', ++n;
  ++values;
  chars += n;
  found.push_back({file, row.number, row.line, column, severity::warning, "crosspoint-sanitized",
                   column + ": " +
                       format_plural("{} TAB, CR or LF replaced by a space",
                                     "{} TAB, CR or LF characters replaced by a space each", n, n)});
  return buffer;
}

// The line of a record whose bytes round-trip: its values' bytes, TAB between them.
// (Copied on the calling thread instead, from the record's text, the threads' shares
// of the work were even, yet the run took more CPU and more time on this shared
// two-core machine: 1.40-1.76 s of CPU against 1.25-1.31 s, perf stat.)
void member_reader::copy_line(member_batch& b, member_row& row) {
  const std::vector<map_column>& map = *how_.map;
  row.line_at = static_cast<std::uint32_t>(b.text.size());
  auto field_of = [&](const map_column& c) {  // -1: none (not mapped, or a short record)
    return c.index >= 0 && static_cast<std::size_t>(c.index) < r_.fields.size() ? c.index : -1;
  };
  if (!record_has_tab_or_newline(r_.text)) {
    // Nothing to clean (most records): the values written in place, not appended one
    // by one (appending values and TABs was a third of the reading thread's
    // instructions).
    std::size_t room = map.size();
    for (const map_column& c : map)
      if (const int f = field_of(c); f >= 0) room += r_.raw(static_cast<std::size_t>(f)).size();
    const std::size_t at = b.text.size();
    b.text.resize(at + room);
    char* o = b.text.data() + at;
    for (std::size_t i = 0; i < map.size(); ++i) {
      if (i) *o++ = '\t';
      if (const int f = field_of(map[i]); f >= 0) o = r_.copy_value(static_cast<std::size_t>(f), o);
    }
    b.text.resize(static_cast<std::size_t>(o - b.text.data()));
  } else {
    for (std::size_t i = 0; i < map.size(); ++i) {
      if (i) b.text.push_back('\t');
      const int f = field_of(map[i]);
      if (f < 0) continue;
      const auto field = static_cast<std::size_t>(f);
      if (has_tab_or_newline(r_.raw(field))) {
        std::string value;
        r_.append_value(field, value);
        b.text.append(clean(b, row, field, value));
      } else {
        r_.append_value(field, b.text);
      }
    }
  }
  row.line_size = static_cast<std::uint32_t>(b.text.size() - row.line_at);
}

std::string_view member_reader::clean(member_batch& b, member_row& row, std::size_t field, std::string_view v) {
  return tsv_value(v, in_.column_name(field), in_.name(), row, how_.sanitize, value_, b.member_findings,
                   row.sanitized_values, row.sanitized_chars);
}

// An unknown rank becomes ランク無し in CROSS POINT: a warning.
void member_reader::check_rank(member_batch& b) {
  std::string_view rank = needed_[4];
  const std::vector<std::string>* ranks = how_.ranks;
  if (!ranks || rank.empty() || std::find(ranks->begin(), ranks->end(), rank) != ranks->end()) return;
  report(b, field::rank, severity::warning, "rank-unknown",
         format_tr("rank '{}' is not set up in CROSS POINT: the member would get ランク無し", rank));
}

void member_reader::report(member_batch& b, field f, severity s, std::string rule, std::string message) {
  b.member_findings.push_back({in_.name(), r_.number, r_.line,
                               in_.column_name(static_cast<std::size_t>((*how_.columns)[f])), s, std::move(rule),
                               std::move(message)});
}

}  // namespace kaiin::detail
