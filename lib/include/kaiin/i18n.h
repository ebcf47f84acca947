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

#include <cstdint>
#include <string>
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

/// fmt::format with a translated format string.
template <typename... Args>
std::string format_tr(const char* msgid, Args&&... args) {
  return fmt::format(fmt::runtime(translate(msgid)), std::forward<Args>(args)...);
}

/// fmt::format with the translated form of a message for the count \p n:
/// `format_plural("the record has {} field", "the record has {} fields", n, n)`. \p n
/// picks the form only: pass it among \p args where the message shows it.
template <typename... Args>
std::string format_plural(const char* singular, const char* plural, std::uint64_t n, Args&&... args) {
  return fmt::format(fmt::runtime(translate_plural(singular, plural, n)), std::forward<Args>(args)...);
}

}  // namespace kaiin

#ifndef _
#define _(msgid) ::kaiin::translate(msgid)
#endif
#ifndef N_
#define N_(msgid) msgid
#endif
