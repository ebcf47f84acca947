// Order profiles (data/orders/*.csv) and how they map an export's header.

#include <fmt/format.h>
#include <algorithm>
#include <charconv>
#include <map>
#include <mutex>

#include "core/data_dirs.h"
#include "core/text.h"
#include "kaiin/error.h"
#include "kaiin/i18n.h"
#include "members/profile.h"
#include "members/profile_file.h"
#include "orders/order_fields.h"
#include "orders/order_profile.h"

namespace kaiin {

namespace {
constexpr std::array<std::string_view, order_field_count> names = {
    "order_id",        "member_id",  "email", "mobile_email", "ordered_at",  "status",
    "shipping_status", "shipped_on", "total", "used_points",  "shipping_fee"};
constexpr std::array<std::string_view, 3> value_names = {"shipped", "cancelled", "returned"};

// "送料#2" is the second column named 送料: the name and 2; "送料" is any (0).
std::pair<std::string_view, int> split_occurrence(std::string_view header) {
  std::size_t hash = header.rfind('#');
  if (hash == std::string_view::npos || hash == 0 || hash + 1 == header.size()) return {header, 0};
  int n = 0;
  auto [end, ec] = std::from_chars(header.data() + hash + 1, header.data() + header.size(), n);
  if (ec != std::errc() || end != header.data() + header.size() || n < 1) return {header, 0};
  return {header.substr(0, hash), n};
}
}  // namespace

std::string_view order_field_name(order_field f) { return names[static_cast<std::size_t>(f)]; }

std::optional<order_field> order_field_named(std::string_view name) {
  for (std::size_t i = 0; i < order_field_count; ++i)
    if (names[i] == name) return static_cast<order_field>(i);
  return std::nullopt;
}

order_profile order_profile::load(const std::string& path, std::string name) {
  order_profile p;
  p.path_ = path;
  p.name_ = name.empty() ? detail::profile_name_of(path) : std::move(name);
  for (const detail::profile_row& row : detail::read_profile_rows(path)) {
    auto value = std::find(value_names.begin(), value_names.end(), row.field);
    if (value != value_names.end()) {
      p.values_[static_cast<std::size_t>(value - value_names.begin())].push_back(row.header);
      continue;
    }
    auto which = order_field_named(row.field);
    if (!which && row.field != "other") {
      std::vector<std::string> known(names.begin(), names.end());
      known.insert(known.end(), value_names.begin(), value_names.end());
      known.emplace_back("other");
      std::string hint = did_you_mean(row.field, known);
      throw error(format_tr("unknown order field '{}'{}", row.field,
                            hint.empty() ? "" : format_tr(" (did you mean '{}'?)", hint)),
                  path, row.line);
    }
    auto [header, occurrence] = split_occurrence(row.header);
    p.headers_.push_back({std::string(header), occurrence, which, row.confirmed});
    p.names_.emplace(header);
  }
  if (std::none_of(p.headers_.begin(), p.headers_.end(), [](const entry& e) { return e.f.has_value(); }))
    throw error(_("the profile maps no headers"), path);
  return p;
}

const order_profile::entry* order_profile::exact(std::string_view header, int occurrence) const {
  if (!names_.contains(header)) return nullptr;
  for (const auto& e : headers_)
    if (e.header == header && e.occurrence == occurrence) return &e;
  return nullptr;
}

const order_profile::entry* order_profile::find(std::string_view header, int occurrence) const {
  auto colon = header.find(':');
  for (int o : {occurrence, 0}) {
    if (const entry* e = exact(header, o)) return e;
    if (colon != std::string_view::npos) {  // 項目名:項目ID (ebisumart)
      if (const entry* e = exact(header.substr(0, colon), o)) return e;
      if (const entry* e = exact(header.substr(colon + 1), o)) return e;
    }
  }
  return nullptr;
}

std::optional<order_field> order_profile::match(std::string_view header, int occurrence) const {
  const entry* e = find(header, occurrence);
  return e ? e->f : std::nullopt;
}

bool order_profile::knows(std::string_view header, int occurrence) const { return find(header, occurrence); }

bool order_profile::names_occurrence(std::string_view header) const {
  auto colon = header.find(':');
  for (const auto& e : headers_) {
    if (e.occurrence == 0) continue;
    if (e.header == header || (colon != std::string_view::npos &&
                               (e.header == header.substr(0, colon) || e.header == header.substr(colon + 1))))
      return true;
  }
  return false;
}

bool order_profile::maps(order_field f) const {
  return std::any_of(headers_.begin(), headers_.end(), [f](const entry& e) { return e.f == f; });
}

std::string order_profile::header_of(order_field f) const {
  for (const auto& e : headers_)
    if (e.f == f) return e.occurrence ? fmt::format("{}#{}", e.header, e.occurrence) : e.header;
  return std::string(order_field_name(f));
}

bool order_profile::confirmed(std::string_view header) const {
  auto [name, occurrence] = split_occurrence(header);
  for (const auto& e : headers_)
    if (e.header == name && e.occurrence == occurrence) return e.confirmed;
  return false;
}

bool order_profile::means(order_value what, std::string_view value) const {
  const auto& list = values_[static_cast<std::size_t>(what)];
  return std::find(list.begin(), list.end(), value) != list.end();
}

const std::vector<order_profile>& builtin_order_profiles() {
  // Read once a folder: a fuzzer or a test asks thousands of times, and a profile
  // file costs a fast-cpp-csv-parser of several megabytes of buffers.
  static std::mutex guard;
  static std::map<std::string, std::vector<order_profile>> loaded;
  for (const std::string& base : data_dirs()) {
    std::string dir = base + "/orders";
    std::lock_guard lock(guard);
    if (auto it = loaded.find(dir); it != loaded.end()) return it->second;
    std::vector<std::string> files = csv_files_in(dir);
    if (files.empty()) continue;
    std::stable_partition(files.begin(), files.end(), [](const std::string& f) { return f == "kaiin.csv"; });
    std::vector<order_profile> out;
    for (const std::string& f : files) out.push_back(order_profile::load(dir + "/" + f));
    return loaded[dir] = std::move(out);
  }
  throw error(
      _("no order profiles found: kaiin's data files are not installed (set KAIIN_DATADIR to the folder "
        "holding orders/)"));
}

order_profile find_order_profile(const std::string& name_or_path) {
  if (name_or_path.find('/') != std::string::npos || name_or_path.ends_with(".csv"))
    return order_profile::load(name_or_path);
  std::vector<std::string> known;
  for (const order_profile& p : builtin_order_profiles()) {
    if (p.name() == name_or_path) return p;
    known.push_back(p.name());
  }
  std::string hint = did_you_mean(name_or_path, known);
  throw error(format_tr("unknown order profile '{}'{}; the order profiles are: {}", name_or_path,
                        hint.empty() ? "" : format_tr(" (did you mean '{}'?)", hint), fmt::join(known, ", ")));
}

namespace {
// A header's names, counted once for all the profiles it is matched against (every
// shipped one, then the best again): the two maps of a header of hundreds of columns
// built for each profile were 8% of the orders fuzz target's time (perf).
struct header_names {
  explicit header_names(const std::vector<std::string>& header) : occurrence(header.size()) {
    std::map<std::string_view, int> seen;  // how many columns so named came before
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (header[i].empty()) continue;
      columns_named[header[i]].push_back(i);
      occurrence[i] = ++seen[header[i]];
    }
  }
  std::map<std::string_view, std::vector<std::size_t>> columns_named;
  std::vector<int> occurrence;  // of each column among those so named, from 1
};

order_columns map_named(const order_profile& p, const std::vector<std::string>& header, const header_names& names) {
  order_columns m;
  m.index.fill(-1);
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i].empty()) continue;
    const auto& same = names.columns_named.find(header[i])->second;
    if (same.size() > 1 && !p.names_occurrence(header[i])) continue;  // ambiguous: reported below
    const int o = same.size() > 1 ? names.occurrence[i] : 1;
    if (!p.knows(header[i], o)) continue;  // (and match() would look again to say so)
    ++m.matched;
    std::optional<order_field> f = p.match(header[i], o);
    if (f && m[*f] < 0) m.index[static_cast<std::size_t>(*f)] = static_cast<int>(i);
  }
  for (const auto& [name, columns] : names.columns_named)
    if (columns.size() > 1 && !p.names_occurrence(name)) m.ambiguous.emplace_back(std::string(name), columns);
  std::sort(m.ambiguous.begin(), m.ambiguous.end(),
            [](const auto& a, const auto& b) { return a.second.front() < b.second.front(); });
  return m;
}
}  // namespace

order_columns map_order_columns(const order_profile& p, const std::vector<std::string>& header) {
  return map_named(p, header, header_names(header));
}

const order_profile& best_order_profile(const std::vector<order_profile>& profiles,
                                        const std::vector<std::string>& header) {
  const header_names names(header);
  return detail::best_scoring(profiles, [&](const order_profile& p) { return map_named(p, header, names).matched; });
}

}  // namespace kaiin
