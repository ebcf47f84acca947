#include "members/profile.h"

#include <dirent.h>

#include <fmt/format.h>
#include <sys/stat.h>
#include <algorithm>

#include "core/data_dirs.h"
#include "core/fixed_column_csv.h"
#include "core/text.h"
#include "kaiin/error.h"
#include "kaiin/i18n.h"
#include "members/member_columns.h"
#include "members/profile_file.h"

namespace kaiin {

namespace {
constexpr std::array<std::string_view, field_count> names = {
    "control", "member_id",    "password", "crypted_pass", "last_name",  "first_name", "last_kana", "first_kana",
    "email",   "mobile_email", "zip",      "pref",         "address1",   "address2",   "tel",       "birthday",
    "sex",     "mailmag",      "point",    "rank",         "registered", "memo",       "updated",   "mobile_mailmag"};

bool is_dir(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

std::string_view field_name(field f) { return names[static_cast<std::size_t>(f)]; }

std::optional<field> field_named(std::string_view name) {
  for (std::size_t i = 0; i < field_count; ++i)
    if (names[i] == name) return static_cast<field>(i);
  return std::nullopt;
}

std::vector<std::string> field_names() { return {names.begin(), names.end()}; }

namespace detail {

std::vector<profile_row> read_profile_rows(const std::string& path) {
  std::vector<profile_row> rows;
  try {
    auto in = open_fixed_csv<3>(path);
    in->read_header(io::ignore_missing_column, "field", "header", "confirmed");
    if (!in->has_column("field") || !in->has_column("header"))
      throw error(_("a profile has the columns field, header and an optional confirmed"), path, 1);
    profile_row row;
    std::string confirmed;
    while (in->read_row(row.field, row.header, confirmed)) {
      row.line = in->get_file_line();
      if (row.header.empty()) throw error(_("the header name is empty"), path, row.line);
      if (confirmed != "yes" && confirmed != "no" && !confirmed.empty())
        throw error(format_tr("confirmed is '{}', not yes or no", confirmed), path, row.line);
      row.confirmed = confirmed == "yes";
      rows.push_back(row);
    }
  } catch (...) {
    rethrow_as_kaiin_error(path);
  }
  if (rows.empty()) throw error(_("the profile maps no headers"), path);
  return rows;
}

std::string profile_name_of(const std::string& path) {
  std::string name = path.substr(path.rfind('/') + 1);
  if (name.size() > 4 && name.ends_with(".csv")) name.resize(name.size() - 4);
  return name;
}

}  // namespace detail

profile profile::load(const std::string& path, std::string name) {
  profile p;
  p.path_ = path;
  p.name_ = name.empty() ? detail::profile_name_of(path) : std::move(name);
  for (const detail::profile_row& row : detail::read_profile_rows(path)) {
    auto which = field_named(row.field);
    if (!which) {
      std::string hint = did_you_mean(row.field, field_names());
      throw error(
          format_tr("unknown field '{}'{}", row.field, hint.empty() ? "" : format_tr(" (did you mean '{}'?)", hint)),
          path, row.line);
    }
    p.headers_.push_back({row.header, *which, row.confirmed});
    p.field_of_.emplace(row.header, *which);  // the first of a name given twice
  }
  return p;
}

std::optional<field> profile::match(std::string_view header) const {
  auto exact = [&](std::string_view h) -> std::optional<field> {
    if (auto it = field_of_.find(h); it != field_of_.end()) return it->second;
    return std::nullopt;
  };
  if (auto f = exact(header)) return f;
  if (auto colon = header.find(':'); colon != std::string_view::npos) {
    if (auto f = exact(header.substr(0, colon))) return f;
    if (auto f = exact(header.substr(colon + 1))) return f;
  }
  return std::nullopt;
}

std::string profile::header_of(field f) const {
  for (const auto& e : headers_)
    if (e.f == f) return e.header;
  return std::string(field_name(f));
}

std::vector<std::string> profile::headers() const {
  std::vector<std::string> out;
  for (const auto& e : headers_) out.push_back(e.header);
  return out;
}

bool profile::confirmed(std::string_view header) const {
  for (const auto& e : headers_)
    if (e.header == header) return e.confirmed;
  return false;
}

namespace {

// The profiles of the first data folder that has any, kaiin's own first.
std::vector<profile> load_builtin_profiles() {
  for (const std::string& base : data_dirs()) {
    std::string dir = base + "/profiles";
    if (!is_dir(dir)) continue;
    std::vector<std::string> files;
    if (DIR* d = ::opendir(dir.c_str())) {
      while (dirent* e = ::readdir(d)) {
        std::string n = e->d_name;
        if (n.size() > 4 && n.ends_with(".csv")) files.push_back(n);
      }
      ::closedir(d);
    }
    std::sort(files.begin(), files.end(), [](const std::string& a, const std::string& b) {
      return (a == "kaiin.csv") != (b == "kaiin.csv") ? a == "kaiin.csv" : a < b;
    });
    std::vector<profile> out;
    for (const std::string& f : files) out.push_back(profile::load(dir + "/" + f));
    if (!out.empty()) return out;
  }
  throw error(
      _("no profiles found: kaiin's data files are not installed (set KAIIN_DATADIR to the "
        "folder holding profiles/)"));
}

}  // namespace

const std::vector<profile>& builtin_profiles() {
  // Read once per process (a failure is tried again at the next call): a run asks
  // several times (the best match, holds_passwords), and each read lists the folder
  // and loads every file in it.
  static const std::vector<profile> profiles = load_builtin_profiles();
  return profiles;
}

profile find_profile(const std::string& name_or_path) {
  if (name_or_path.find('/') != std::string::npos || name_or_path.ends_with(".csv")) return profile::load(name_or_path);
  std::vector<std::string> known;
  for (const profile& p : builtin_profiles()) {
    if (p.name() == name_or_path) return p;
    known.push_back(p.name());
  }
  std::string hint = did_you_mean(name_or_path, known);
  throw error(format_tr("unknown profile '{}'{}; the profiles are: {}", name_or_path,
                        hint.empty() ? "" : format_tr(" (did you mean '{}'?)", hint), fmt::join(known, ", ")));
}

std::vector<std::string> read_ranks(const std::string& path) {
  std::vector<std::string> ranks;
  try {
    auto in = open_fixed_csv<1>(path);
    in->set_header("rank");
    std::string rank;
    bool first = true;
    while (in->read_row(rank)) {
      if (!(first && rank == "rank") && !rank.empty()) ranks.push_back(rank);
      first = false;
    }
  } catch (...) {
    rethrow_as_kaiin_error(path);
  }
  return ranks;
}

column_map map_columns(const profile& p, const std::vector<std::string>& header) {
  column_map m;
  m.index.fill(-1);
  for (std::size_t i = 0; i < header.size(); ++i) {
    auto f = p.match(header[i]);
    if (f && m[*f] < 0) {
      m.index[static_cast<std::size_t>(*f)] = static_cast<int>(i);
      ++m.matched;
    } else {
      m.unknown.push_back(i);
    }
  }
  return m;
}

const profile& best_profile(const std::vector<profile>& profiles, const std::vector<std::string>& header) {
  return detail::best_scoring(profiles, [&](const profile& p) { return map_columns(p, header).matched; });
}

member_columns read_columns(const std::string& name, const std::vector<std::string>& header) {
  profile p = name.empty() ? best_profile(builtin_profiles(), header) : find_profile(name);
  column_map cols = map_columns(p, header);
  return {std::move(p), cols};
}

bool holds_passwords(const std::vector<std::string>& header, const std::string& name) {
  // Any shipped profile, not only the best match: a header one platform reads as the
  // password is a password column whichever profile the rest of the file fits.
  auto has_password = [&](const profile& p) {
    for (const std::string& h : header)
      if (p.match(h) == field::password) return true;
    return false;
  };
  for (const profile& p : builtin_profiles())
    if (has_password(p)) return true;
  return !name.empty() && has_password(find_profile(name));
}

bool is_password_header(std::string_view header_name) { return holds_passwords({std::string(header_name)}); }

void require_columns(const member_columns& m, const std::string& file, std::initializer_list<field> fields,
                     std::string_view why) {
  for (field f : fields)
    if (m.columns[f] < 0)
      throw data_error("header-missing",
                       format_tr("there is no {} column ('{}' in profile {}){}", field_name(f), m.profile.header_of(f),
                                 m.profile.name(), why),
                       file);
}

}  // namespace kaiin
