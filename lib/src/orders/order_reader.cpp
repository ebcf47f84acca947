// Reading an order export row by row, and checking each row (spec §10).

#include <fmt/format.h>
#include <algorithm>
#include <unordered_map>

#include "core/text.h"
#include "kaiin/error.h"
#include "kaiin/i18n.h"
#include "members/member_columns.h"
#include "members/member_rules.h"
#include "members/profile.h"
#include "orders/order_fields.h"
#include "orders/order_reader.h"

namespace kaiin {

namespace {

// An amount as exports write it: digits, optionally a decimal part ("1234.00").
bool is_amount(std::string_view v) {
  std::size_t dot = v.find('.');
  std::string_view whole = v.substr(0, dot);
  auto digits = [](std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  return digits(whole) && (dot == std::string_view::npos || digits(v.substr(dot + 1)));
}

// Shipping dates are kept as days from 1970 in 16 bits (order_table).
bool in_table_range(const date& d) { return d.year >= 1970 && d.year <= 2149; }

}  // namespace

order_reader::order_reader(const std::string& path, source_encoding from, const std::string& profile, diagnostics& diag,
                           std::vector<finding>* collect)
    : diag_(diag), collect_(collect) {
  // Rewindable: kaiin-crm reads the file twice (and a third time to name the lines
  // of rows that disagree).
  in_ = std::make_unique<csv_input>(path, from, diag, is_password_header, csv_dialect::csv(), true);
  in_->collect_into(collect);
  if (!in_->next(record_)) {
    empty_ = true;
    profile_ = profile.empty() ? builtin_order_profiles().front() : find_order_profile(profile);
    columns_.index.fill(-1);
    return;
  }
  if (profile.empty()) {
    profile_ = best_order_profile(builtin_order_profiles(), in_->header());
  } else {
    profile_ = find_order_profile(profile);
  }
  columns_ = map_order_columns(profile_, in_->header());
}

order_reader::~order_reader() = default;

void order_reader::collect_into(std::vector<finding>* out) {
  collect_ = out;
  in_->collect_into(out);
}

std::string order_reader::column_name(order_field f) const {
  int c = columns_[f];
  return c >= 0 ? in_->column_name(static_cast<std::size_t>(c)) : profile_.header_of(f);
}

bool order_reader::require(const std::vector<order_field>& fields) {
  if (empty_) {
    emit({name(), 0, 1, std::nullopt, severity::error, "order-file-empty",
          _("the order file is empty: it has no header")});
    return false;
  }
  bool ok = true;
  for (const auto& [header, columns] : columns_.ambiguous) {
    std::vector<std::size_t> shown;
    for (std::size_t c : columns) shown.push_back(c + 1);
    emit({name(), 0, 1, header, severity::error, "order-header-twice",
          format_tr("the header '{}' is in {} columns ({}): order profile {} does not say which one it "
                    "means (a profile names one as {}#N)",
                    header, columns.size(), fmt::join(shown, ", "), profile_.name(), header)});
    ok = false;
  }
  for (order_field f : fields) {
    if (columns_[f] >= 0) continue;
    std::string header = profile_.header_of(f);
    bool said = std::any_of(columns_.ambiguous.begin(), columns_.ambiguous.end(),
                            [&](const auto& a) { return a.first == header; });
    if (!said)
      emit({name(), 0, 1, std::nullopt, severity::error, "order-column-missing",
            profile_.maps(f) ? format_tr("there is no {} column ('{}' in order profile {})", order_field_name(f),
                                         header, profile_.name())
                             : format_tr("there is no {} column: order profile {} names none (pass "
                                         "--order-profile FILE naming it)",
                                         order_field_name(f), profile_.name())});
    ok = false;
  }
  return ok;
}

void order_reader::rewind() {
  in_->rewind();
  in_->next(record_);  // the header
}

std::string_view order_reader::field(order_field f) {
  int c = columns_[f];
  if (c < 0 || static_cast<std::size_t>(c) >= record_.fields.size()) return {};
  if (use_all_) return all_.get(c);
  return in_->decode_field(record_, static_cast<std::size_t>(c), buffers_[static_cast<std::size_t>(f)]);
}

bool order_reader::next_if(order_row& row, const std::function<bool(std::uint64_t record)>& wanted) {
  if (empty_ || !in_->next(record_)) return false;
  if (wanted(record_.number)) return fill(row, false);
  row = order_row{};
  row.record = record_.number;
  row.line = record_.line;
  row.usable = false;
  return true;
}

bool order_reader::next(order_row& row, bool check_row) {
  if (empty_ || !in_->next(record_)) return false;
  return fill(row, check_row);
}

bool order_reader::fill(order_row& row, bool check_row) {
  row = order_row{};
  row.record = record_.number;
  row.line = record_.line;
  // A record whose bytes are bad is decoded whole, which reports every bad byte;
  // otherwise only the fields an order needs are decoded.
  use_all_ = check_row && !in_->valid_bytes(record_);  // a second reading: said the first time
  if (use_all_) in_->decode_fields(record_, all_);
  row.order_id = field(order_field::order_id);
  row.member_id = field(order_field::member_id);
  row.email = field(order_field::email);
  row.mobile_email = field(order_field::mobile_email);
  row.ordered_at = field(order_field::ordered_at);
  row.status = field(order_field::status);
  row.shipping_status = field(order_field::shipping_status);
  row.shipped_on = field(order_field::shipped_on);
  row.total = field(order_field::total);
  row.used_points = field(order_field::used_points);
  row.cancelled = profile_.means(order_value::cancelled, row.status);
  row.returned = profile_.means(order_value::returned, row.status);
  if (!row.shipped_on.empty())
    if (auto t = parse_date_time(row.shipped_on); t && in_table_range(t->date)) row.shipped_date = t->date;
  // A row is shipped by its shipping status where the profile has one, else by a
  // shipping date (spec §10).
  row.shipped = columns_[order_field::shipping_status] >= 0 ? profile_.means(order_value::shipped, row.shipping_status)
                                                            : row.shipped_date.has_value();
  // Its values would be in the wrong columns: reported by csv_input, not grouped.
  row.usable = !record_.malformed() && !row.order_id.empty();
  if (check_row) check(row);
  return true;
}

void order_reader::report(const order_row& row, order_field f, std::string_view value, kaiin::severity s,
                          std::string rule, std::string message) {
  emit({name(), row.record, row.line, column_name(f), s, std::move(rule), std::move(message),
        diag_.wants_values() ? std::optional<std::string>(value) : std::nullopt});
}

void order_reader::check(order_row& row) {
  if (record_.malformed()) return;  // csv_input said why; the values are not where they belong
  if (row.order_id.empty())
    report(row, order_field::order_id, row.order_id, severity::error, "order-id-empty",
           _("the row has no order ID: it cannot be grouped with its order"));
  if (columns_[order_field::ordered_at] >= 0) {
    if (row.ordered_at.empty())
      report(row, order_field::ordered_at, row.ordered_at, severity::error, "order-date", _("the order date is empty"));
    else if (!parse_date_time(row.ordered_at))
      report(row, order_field::ordered_at, row.ordered_at, severity::error, "order-date",
             format_tr("order date '{}' is not a date and time written YYYY/MM/DD HH:MM:SS", row.ordered_at));
  }
  if (!row.shipped_on.empty() && !row.shipped_date)
    report(row, order_field::shipped_on, row.shipped_on, severity::error, "order-shipped-date",
           format_tr("shipping date '{}' is not a date from 1970 to 2149 written YYYY/MM/DD (a time may follow)",
                     row.shipped_on));
  if (row.shipped && row.shipped_on.empty() && columns_[order_field::shipping_status] >= 0)
    report(row, order_field::shipped_on, row.shipped_on, severity::warning, "order-shipped-no-date",
           format_tr("the row is shipped ('{}') but has no shipping date: its order's shipping date comes from "
                     "its other rows",
                     row.shipping_status));
  if (columns_[order_field::total] >= 0) {
    if (row.total.empty())
      report(row, order_field::total, row.total, severity::error, "order-total", _("the order total is empty"));
    else if (!is_amount(row.total))
      report(
          row, order_field::total, row.total, severity::error, "order-total",
          format_tr("order total '{}' is not an amount in yen (digits, without commas or a currency sign)", row.total));
  }
  if (!row.used_points.empty() && !is_amount(row.used_points))
    report(row, order_field::used_points, row.used_points, severity::error, "order-points",
           format_tr("used points '{}' are not a number (digits, without commas)", row.used_points));
  // An order's address never decides where a member's order goes, and a guest order
  // whose address is no customer's is held back and counted: address problems are
  // warnings here, whatever they are in a member file.
  for (order_field f : {order_field::email, order_field::mobile_email}) {
    std::string_view v = f == order_field::email ? row.email : row.mobile_email;
    if (auto verdict = check_email(v)) report(row, f, v, severity::warning, verdict->rule, verdict->message);
  }
}

}  // namespace kaiin
