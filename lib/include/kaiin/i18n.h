#pragma once
/// \file
/// Messages in the user's language: gettext with glibc's libintl, text domain
/// "kaiin". English is the source language; po/ja.po holds the Japanese.
///
/// Wrap every message a person reads in _(): `_("cannot open {}")`. Format strings
/// go through fmt at run time, so a translation may reorder its arguments with
/// `{0}`, `{1}`. N_() marks a string for translation where it is defined (a table)
/// and _() translates it where it is used.

#include <fmt/format.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace kaiin {

/// \p msgid in the language of the locale (LC_ALL, LC_MESSAGES, LANG; LANGUAGE as
/// glibc reads it), or \p msgid itself. The first call sets up the catalogue.
const char* translate(const char* msgid);

/// \p singular or \p plural, as the language of the locale writes a count of \p n
/// (ngettext: English has two forms, Japanese one).
const char* translate_plural(const char* singular, const char* plural, std::uint64_t n);

/// True when messages come out in Japanese (a Japanese locale and the catalogue
/// found); tests and --help use it to say which language is on.
bool translated();

namespace detail {

/// The characters of a value a message shows: a value quoted in a message ('{}') is
/// cut after this many, so that a finding about a 10,000-character value (or a header
/// that is a whole line of a binary file) stays one readable line.
inline constexpr std::size_t shown_chars = 80;

/// A text as a message shows it: \p head, and "…" after it when it was cut.
struct shown_text {
  std::string_view head;  ///< the text, or its first shown_chars characters
  bool cut = false;       ///< characters were left out after head
};

/// \p text cut after its first \p max characters (UTF-8; a byte that does not start a
/// character counts as one).
shown_text shown(std::string_view text, std::size_t max = shown_chars);

/// Bit i set when the English \p msgid writes its argument i in quotes ('{}'): a value
/// or a name, which format_tr() shows cut to shown_chars characters. Arguments past
/// the 64th are never cut.
std::uint64_t quoted_arguments(const char* msgid);

/// \p msgid translated, and its quoted_arguments(): both kept from the first call.
struct message_text {
  const char* text;      ///< the translation, or msgid itself
  std::uint64_t quoted;  ///< quoted_arguments(msgid)
};
/// The same as translate(), with the arguments to cut.
message_text translate_message(const char* msgid);

/// Argument \p arg of a message, cut where the message quotes it (\p quoted): a
/// string as a view of itself, or of \p cut holding its first shown_chars characters
/// and "…"; anything else as it is.
template <typename T>
decltype(auto) message_argument(bool quoted, T&& arg, std::string& cut) {
  if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    std::string_view text(arg);
    if (!quoted) return text;
    const shown_text s = shown(text);
    if (!s.cut) return text;
    cut.assign(s.head);
    cut += "\u2026";
    return std::string_view(cut);
  } else {
    return std::forward<T>(arg);
  }
}

template <typename... Args, std::size_t... I>
std::string format_message(const char* format, std::uint64_t quoted, std::index_sequence<I...>, Args&&... args) {
  std::string cut[sizeof...(Args) + 1];  // a string cut, for each argument that is
  return fmt::format(fmt::runtime(format),
                     message_argument(I < 64 && (quoted >> I & 1), std::forward<Args>(args), cut[I])...);
}

}  // namespace detail

/// fmt::format with a translated format string. A string argument the English
/// message quotes ('{}': a value from the data, a column name) is cut after
/// detail::shown_chars characters, with "…": every message cuts its values alike.
template <typename... Args>
std::string format_tr(const char* msgid, Args&&... args) {
  const detail::message_text m = detail::translate_message(msgid);
  if (!m.quoted) return fmt::format(fmt::runtime(m.text), std::forward<Args>(args)...);
  return detail::format_message(m.text, m.quoted, std::index_sequence_for<Args...>{}, std::forward<Args>(args)...);
}

/// fmt::format with the translated form of a message for the count \p n:
/// `format_plural("the record has {} field", "the record has {} fields", n, n)`. \p n
/// picks the form only: pass it among \p args where the message shows it. Quoted
/// arguments are cut as format_tr() cuts them.
template <typename... Args>
std::string format_plural(const char* singular, const char* plural, std::uint64_t n, Args&&... args) {
  return detail::format_message(translate_plural(singular, plural, n), detail::quoted_arguments(singular),
                                std::index_sequence_for<Args...>{}, std::forward<Args>(args)...);
}

}  // namespace kaiin

#ifndef _
#define _(msgid) ::kaiin::translate(msgid)
#endif
#ifndef N_
#define N_(msgid) msgid
#endif
