// kaiin-crm's files: customers.csv, the customers of --previous, unsubscribed.csv.

#include "jobs/crm/crm_output.h"

#include <fmt/format.h>
#include <algorithm>

#include "core/csv_fields.h"
#include "core/text.h"
#include "kaiin/csv.h"
#include "kaiin/i18n.h"
#include "members/email_address.h"
#include "members/member_columns.h"
#include "members/subscription.h"

namespace kaiin::detail {

namespace {
encoding data_encoding(encoding e) { return e == encoding::cp932 ? encoding::cp932 : encoding::utf8; }
}  // namespace

customer_layout::customer_layout(const std::vector<std::string>& header, const column_map& cols)
    : email_(cols[field::email]),
      mobile_(cols[field::mobile_email]),
      mailmag_(cols[field::mailmag]),
      mobile_mailmag_(cols[field::mobile_mailmag]) {
  // The password and its flag must not leave the shop; the mobile address and its
  // flag become rows of their own.
  const int dropped[] = {cols[field::password], cols[field::crypted_pass], mobile_, mobile_mailmag_};
  header_hash_ = hash_text64("kaiin-crm customers");
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (std::find(std::begin(dropped), std::end(dropped), static_cast<int>(i)) != std::end(dropped)) continue;
    kept_.push_back(i);
    header_hash_ = hash_text64(header[i], header_hash_);
  }
}

std::size_t customer_layout::source(std::size_t k, bool mobile) const {
  std::size_t i = kept_[k];
  if (mobile && static_cast<int>(i) == email_) return static_cast<std::size_t>(mobile_);
  if (mobile && static_cast<int>(i) == mailmag_ && mobile_mailmag_ >= 0)
    return static_cast<std::size_t>(mobile_mailmag_);
  return i;
}

std::uint64_t customer_layout::fingerprint(csv_input& in, const raw_record& r, bool mobile,
                                           std::string& scratch) const {
  std::uint64_t h = header_hash_;
  for (std::size_t k = 0; k < kept_.size(); ++k) {
    std::size_t i = source(k, mobile);
    h = hash_text64(i < r.fields.size() ? in.decode_field(r, i, scratch) : std::string_view(), h);
  }
  return h ? h : 1;  // 0 means "send again" in previous_customers
}

row_writer::row_writer(output_stream& out, encoding from, encoding to, std::string newline, diagnostics& diag)
    : out_(out), from_(data_encoding(from)), to_(data_encoding(to)), newline_(std::move(newline)), diag_(diag) {}

void row_writer::separator() {
  if (!first_) out_.put(',');
  first_ = false;
}

void row_writer::field(csv_input& in, const raw_record& r, std::size_t i) {
  separator();
  if (i >= r.fields.size()) return;
  if (from_ == to_ && in.dialect().delimiter == ',') {  // the bytes as written, quotes and all
    if (r.fields[i].quoted) out_.put('"');
    out_.write(r.raw(i));
    if (r.fields[i].quoted) out_.put('"');
    return;
  }
  std::string_view value = in.decode_field(r, i, buffer_);
  // (The input is read a second time here, and says nothing that time: a character
  // the output lacks is reported from here.)
  if (!encode(value)) report_bad(value, in.name(), r.number, r.line, in.column_name(i));
  put(encoded_);
}

bool row_writer::encode(std::string_view utf8) {
  bad_.clear();
  const bool ascii = std::all_of(utf8.begin(), utf8.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (to_ != encoding::cp932 || ascii) {  // IDs, addresses, dates, amounts: most fields
    encoded_.assign(utf8);
    return true;
  }
  struct sink : problem_sink {
    std::vector<char32_t>& bad;
    explicit sink(std::vector<char32_t>& b) : bad(b) {}
    void on_problem(const coding_problem& p) override {
      if (p.kind != coding_problem::eudc) bad.push_back(p.code_point);
    }
  } problems(bad_);
  encoded_.clear();
  encode_cp932(utf8, encoded_, problems);
  return bad_.empty();
}

void row_writer::report_bad(std::string_view utf8, const std::string& file, std::uint64_t record, std::uint64_t line,
                            std::string_view column) {
  for (char32_t c : bad_) {
    std::string ch;
    append_utf8(ch, c);
    diag_.report(
        {file, record, line, std::string(column), severity::error, "encoding-unmappable",
         format_tr("{} '{}' in '{}' has no CP932 code: the CRM's file cannot hold it", describe_char(c), ch, utf8)});
  }
}

void row_writer::put(std::string_view cell) {
  if (!needs_quotes(cell)) return out_.write(cell);
  buffer_.clear();
  append_csv_field(buffer_, cell);
  out_.write(buffer_);
}

void row_writer::text(std::string_view utf8, const std::string& file, std::uint64_t record, std::uint64_t line,
                      std::string_view column) {
  separator();
  if (!encode(utf8)) report_bad(utf8, file, record, line, column);
  put(encoded_);
}

void row_writer::end() {
  out_.write(newline_);
  first_ = true;
}

previous_customers read_previous(const std::string& path, source_encoding from, const std::string& profile,
                                 diagnostics& diag) {
  previous_customers p;
  csv_input in(path, from, diag, is_password_header);
  p.file = in.name();
  raw_record r;
  if (!in.next(r)) {
    diag.report({in.name(), 0, 1, std::nullopt, severity::error, "crm-members-empty",
                 _("the member export is empty: it has no header")});
    return p;
  }
  member_columns found = read_columns(profile, in.header());
  const column_map& cols = found.columns;
  for (field f : {field::member_id, field::email, field::mailmag})
    if (cols[f] < 0) {
      diag.report({in.name(), 0, 1, std::nullopt, severity::error, "crm-column-missing",
                   format_tr("there is no {} column ('{}' in profile {}): kaiin-crm needs the member ID, the e-mail "
                             "address and the mail magazine flag",
                             field_name(f), found.profile.header_of(f), found.profile.name())});
      return p;
    }
  customer_layout layout(in.header(), cols);
  member_fields f(in, cols);
  std::string key, scratch;
  while (in.next(r)) {
    if (r.malformed()) continue;  // reported by csv_input
    f.load(r);
    std::uint32_t member = p.ids.insert(f.get(field::member_id)).first;
    std::optional<std::string_view> mobile_flag;
    if (cols[field::mobile_mailmag] >= 0) mobile_flag = f.get(field::mobile_mailmag);
    std::string_view email = f.get(field::email), mobile = f.get(field::mobile_email);
    subscribed_addresses s = subscribed(email, mobile, f.get(field::mailmag), mobile_flag);
    for (bool is_mobile : {false, true}) {
      if (!(is_mobile ? s.mobile : s.pc)) continue;
      std::string_view written = is_mobile ? mobile : email;
      // As the run that read it sent it (spec §4.3): folded, or not at all.
      const member_address a = read_member_address(written);
      if (a.use == address_use::held_back) continue;
      email_key(written, key);
      auto [c, added] = p.customers.add(key, member);
      if (added) {
        p.customers.set_written(c, a.use == address_use::folded ? std::string_view(a.folded) : written);
        p.fingerprints.push_back(layout.fingerprint(in, r, is_mobile, scratch));
        p.seen.push_back(0);
      } else {
        p.fingerprints[c] = 0;  // two members held it: whatever it holds now is sent
      }
    }
  }
  return p;
}

customer_counts write_customers(crm_members& m, row_writer& w, previous_customers* previous) {
  csv_input& in = *m.in;
  customer_layout layout(in.header(), m.columns.columns);
  customer_counts counts;
  // The records kept as the export was read (every record has its number: this runs
  // only on an export without errors), and said nothing of again.
  in.stop_reporting();
  m.kept->rewind();
  raw_record r;
  std::uint32_t member;
  m.kept->next(member, r);  // the header
  for (std::size_t k = 0; k < layout.size(); ++k) w.field(in, r, layout.source(k, false));
  w.end();
  std::string scratch;
  while (m.kept->next(member, r)) {
    const std::uint8_t flags = m.flags[member];
    for (bool mobile : {false, true}) {
      if (!(flags & (mobile ? mobile_row : pc_row))) continue;
      if (previous) {
        std::uint32_t c = *m.customers.find(email_key(in.decode_field(
            r, static_cast<std::size_t>(m.columns.columns[mobile ? field::mobile_email : field::email]), scratch)));
        if (auto old = previous->customers.find(m.customers.key(c))) {
          previous->seen[*old] = 1;
          if (previous->fingerprints[*old] == layout.fingerprint(in, r, mobile, scratch)) {
            ++counts.unchanged;
            continue;
          }
        }
      }
      // An address written folded (spec §4.3) in place of the export's bytes.
      const int address = m.columns.columns[mobile ? field::mobile_email : field::email];
      const bool folded = flags & (mobile ? mobile_folded : pc_folded);
      for (std::size_t k = 0; k < layout.size(); ++k) {
        const std::size_t i = layout.source(k, mobile);
        if (folded && static_cast<int>(i) == address)
          w.text(fold_address(in.decode_field(r, i, scratch)), in.name(), r.number, r.line, in.column_name(i));
        else
          w.field(in, r, i);
      }
      w.end();
      ++counts.written;
    }
  }
  return counts;
}

std::uint64_t write_unsubscribed(previous_customers& p, const crm_members& m, row_writer& w) {
  const std::string none;
  for (std::string_view h : {"email", "member_id", "reason"}) w.text(h, p.file, 0, 1, none);
  w.end();
  std::uint64_t n = 0;
  for (std::uint32_t c = 0; c < p.customers.size(); ++c) {
    if (p.seen[c]) continue;
    std::string id = p.ids.id(p.customers.member(c));
    auto member = m.ids.find(id);
    std::string_view reason = !member                                ? "deleted"
                              : m.holds(*member, p.customers.key(c)) ? "unsubscribed"
                                                                     : "changed-away";
    w.text(p.customers.written(c), p.file, 0, 0, "email");
    w.text(id, p.file, 0, 0, "member_id");
    w.text(reason, p.file, 0, 0, "reason");
    w.end();
    ++n;
  }
  return n;
}

}  // namespace kaiin::detail
