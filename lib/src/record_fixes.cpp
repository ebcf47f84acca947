#include "record_fixes.h"

#include <algorithm>

#include "kaiin/member_fixes.h"
#include "kaiin/profile.h"

namespace kaiin::detail {

namespace {

// Says whether encoding a value met a character the target has no code for.
struct encoding_check : problem_sink {
  bool failed = false;
  void on_problem(const coding_problem& p) override { failed |= p.kind != coding_problem::eudc; }
};

}  // namespace

record_fixer::record_fixer(const upload_header& header, date today, bool fold, encoding file_encoding)
    : header_(header), today_(today), fold_(fold), encoding_(file_encoding) {
  // The password column, and any column a shipped profile reads as one (a second
  // password column this profile does not know): never changed.
  for (std::size_t i = 0; i < header.column_count(); ++i)
    secret_.push_back(static_cast<int>(i) == header.columns()[field::password] ||
                      holds_passwords({header.column_name(i)}));
}

void record_fixer::fix(std::span<const std::string_view> values, std::vector<value_change>& changes) const {
  changes.clear();
  const column_map& cols = header_.columns();
  auto get = [&](field f) {
    int i = cols[f];
    return i >= 0 && static_cast<std::size_t>(i) < values.size() ? values[static_cast<std::size_t>(i)]
                                                                 : std::string_view();
  };
  auto apply = [&](field f, std::string_view rule, fixed_value fixed) {
    if (fixed) changes.push_back({static_cast<std::size_t>(cols[f]), rule, std::string(get(f)), std::move(*fixed), {}});
  };
  // The row's action, as kaiin-check will read the copy: d rows' other fields are
  // ignored, and so are not fixed.
  char action = 0;
  if (header_.has(field::control)) {
    fixed_value control = fix_control(get(field::control));
    std::string_view now = control ? std::string_view(*control) : get(field::control);
    if (now == "n" || now == "u" || now == "d") action = now[0];
    apply(field::control, "control-value", std::move(control));
  }
  apply(field::member_id, "member-id-format", fix_member_id(get(field::member_id)));
  if (action != 'd') {
    for (field f : {field::email, field::mobile_email}) apply(f, "email-syntax", fix_email(get(f)));
    apply(field::zip, "zip-format", fix_zip(get(field::zip)));
    apply(field::pref, "pref-name", fix_pref(get(field::pref)));
    apply(field::birthday, "birthday-date", fix_birthday(get(field::birthday), today_, header_.is_export()));
    for (field f : {field::last_kana, field::first_kana}) apply(f, "kana-format", fix_kana(get(f)));
    apply(field::tel, "tel-format", fix_tel(get(field::tel)));
    apply(field::sex, "sex-value", fix_sex(get(field::sex)));
    for (field f : {field::mailmag, field::mobile_mailmag}) apply(f, "mailmag-value", fix_mailmag(get(f)));
    apply(field::point, "point-format", fix_point(get(field::point)));
    if (header_.has(field::password))  // the flag is checked with the password
      apply(field::crypted_pass, "password-flag", fix_crypted_pass(get(field::crypted_pass)));
  }
  if (fold_ && action != 'd') {
    for (std::size_t i = 0; i < values.size() && i < secret_.size(); ++i) {
      if (secret_[i] ||
          std::any_of(changes.begin(), changes.end(), [&](const value_change& c) { return c.column == i; }))
        continue;
      if (fixed_value folded = fix_fold(values[i])) changes.push_back({i, "fold", std::string(values[i]), *folded, {}});
    }
  }
  std::sort(changes.begin(), changes.end(),
            [](const value_change& a, const value_change& b) { return a.column < b.column; });
  std::erase_if(changes, [&](value_change& c) {
    if (encoding_ != encoding::cp932) {
      c.bytes = c.after;
      return false;
    }
    encoding_check check;
    encode_cp932(c.after, c.bytes, check);
    return check.failed;
  });
}

void split_record(std::string_view text, std::vector<csv_field>& fields) {
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
      p = std::min(text.find(',', p), text.size());
      f.end = p;
    }
    fields.push_back(f);
    if (p >= text.size()) return;
    ++p;  // the comma
  }
}

void rewrite_record(std::string_view text, std::string_view newline, std::span<const csv_field> fields,
                    const std::vector<value_change>& changes, std::string& out) {
  std::size_t at = 0;  // in text: what is copied up to
  for (const value_change& c : changes) {
    const csv_field& f = fields[c.column];
    std::size_t begin = f.begin - (f.quoted ? 1 : 0), end = f.end + (f.quoted ? 1 : 0);
    out.append(text.substr(at, begin - at));
    if (f.quoted || needs_quotes(c.bytes)) {
      out += '"';
      for (char ch : c.bytes) {
        if (ch == '"') out += '"';
        out += ch;
      }
      out += '"';
    } else {
      out.append(c.bytes);
    }
    at = end;
  }
  out.append(text.substr(at));
  out.append(newline);
}

}  // namespace kaiin::detail
