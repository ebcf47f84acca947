#include "core/stream_names.h"

#include "kaiin/i18n.h"

namespace kaiin {

namespace {

// TRANSLATORS: the names of standard input and output where a file name would be.
constexpr const char* stream_names[] = {N_("<stdin>"), N_("<stdout>")};

}  // namespace

std::string_view shown_name(std::string_view name) {
  if (name.empty() || name.front() != '<') return name;  // a file: the common case, one comparison
  static const std::string shown[] = {translate(stream_names[0]), translate(stream_names[1])};
  for (std::size_t i = 0; i < std::size(stream_names); ++i)
    if (name == stream_names[i]) return shown[i];
  return name;
}

std::string with_shown_names(std::string text) {
  for (const char* name : stream_names) {
    const std::string_view shown = shown_name(name);
    const std::string_view raw = name;
    for (std::size_t at = text.find(raw); at != std::string::npos; at = text.find(raw, at + shown.size()))
      text.replace(at, raw.size(), shown);
  }
  return text;
}

}  // namespace kaiin
