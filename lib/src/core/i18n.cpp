#include "kaiin/i18n.h"

#include <cstdlib>
#include <cstring>
#include <string>
#include <unordered_map>

#ifdef KAIIN_WEB
#include <algorithm>

#include "core/message_table.h"
#else
#include <libintl.h>
#include <unistd.h>

#include <clocale>

#include "core/data_dirs.h"
#include "core/install_dirs.h"
#endif

namespace kaiin {
namespace {

// The locale the environment asks messages in, as glibc reads it.
std::string wanted_locale() {
  for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"})
    if (const char* v = std::getenv(name); v && *v) return v;
  return {};
}

#ifdef KAIIN_WEB

// The page has no libintl: po/ja.po is a table (message_table.h), and messages are
// in Japanese where the locale the environment names is Japanese, as the programs
// decide (the page sets LANG from the browser's languages).
bool japanese() {
  static const bool ja = wanted_locale().starts_with("ja");
  return ja;
}

// The translation of \p msgid, or \p msgid.
const char* lookup(const char* msgid) {
  if (!japanese()) return msgid;
  const detail::message* end = detail::messages + detail::messages_size;
  const detail::message* m =
      std::lower_bound(detail::messages, end, msgid,
                       [](const detail::message& x, const char* id) { return std::strcmp(x.msgid, id) < 0; });
  return m != end && std::strcmp(m->msgid, msgid) == 0 ? m->text : msgid;
}

const char* lookup_plural(const char* singular, const char* plural, std::uint64_t n) {
  if (japanese()) {
    const char* text = lookup(singular);
    if (text != singular) return text;
  }
  return n == 1 ? singular : plural;
}

bool has_catalogue() { return japanese() && detail::messages_size > 0; }

#else

constexpr const char* domain = "kaiin";

std::string locale_dir() {
  if (const char* env = std::getenv("KAIIN_LOCALEDIR"); env && *env) return env;
  // Beside the program first: build/bin finds build/share/locale, and a package
  // unpacked anywhere finds its own translations.
  std::string exe = program_dir();
  if (!exe.empty()) {
    std::string dir = exe + "/../share/locale";
    if (::access((dir + "/ja/LC_MESSAGES/kaiin.mo").c_str(), R_OK) == 0) return dir;
  }
  return install_localedir;
}

struct catalogue {
  catalogue() {
    // Only LC_MESSAGES: the other categories would change how numbers and
    // characters are read, and kaiin's byte handling must not depend on them.
    if (!std::setlocale(LC_MESSAGES, "")) {
      // LANG=ja_JP.UTF-8 where that locale was never generated (a minimal Debian
      // or a container): glibc would fall back to English, but the user asked for
      // Japanese, and messages need nothing of the locale but its language.
      std::string want = wanted_locale();
      // LANGUAGE set and empty counts as unset, as glibc reads it.
      const char* language = std::getenv("LANGUAGE");
      if (want.starts_with("ja") && std::setlocale(LC_MESSAGES, "C.UTF-8") && (!language || !*language))
        ::setenv("LANGUAGE", "ja", 1);
    }
    std::string dir = locale_dir();
    ::bindtextdomain(domain, dir.c_str());
    ::bind_textdomain_codeset(domain, "UTF-8");
    // strerror() translates through glibc's own domain into LC_CTYPE's charset,
    // which stays "C" (ASCII): every Japanese character would print as '?'.
    ::bind_textdomain_codeset("libc", "UTF-8");
  }
};

const catalogue& setup() {
  static const catalogue c;
  return c;
}

const char* lookup(const char* msgid) {
  setup();
  return ::dgettext(domain, msgid);
}

const char* lookup_plural(const char* singular, const char* plural, std::uint64_t n) {
  setup();
  // ngettext takes an unsigned long; past its range the plural form is right anyway.
  return ::dngettext(domain, singular, plural, static_cast<unsigned long>(n));
}

bool has_catalogue() {
  setup();
  // The empty msgid gives the catalogue's header, and only when one was found.
  return *::dgettext(domain, "") != '\0';
}

#endif

}  // namespace

detail::message_text detail::translate_message(const char* msgid) {
  // dgettext takes a lock and reads the environment every call: with a finding a
  // row, that was 6% of kaiin-check --report json's time (perf, 1,000,000
  // findings). A message's translation never changes once the catalogue is set up
  // (kaiin sets no locale or LANGUAGE later), so each thread keeps what dgettext
  // answered, by the msgid's address, with the arguments the message quotes. Most
  // msgids are string literals; the text is compared too, for a caller that passes a
  // buffer of its own, and an untranslated msgid is answered with the caller's
  // pointer (dgettext's answer then is it).
  struct answer {
    std::string msgid;
    const char* text;  // in the catalogue, or nullptr: untranslated
    std::uint64_t quoted;
  };
  thread_local std::unordered_map<const char*, answer> known;
  auto it = known.find(msgid);
  if (it == known.end() || it->second.msgid != msgid) {
    const char* text = lookup(msgid);
    it = known.insert_or_assign(msgid, answer{msgid, text == msgid ? nullptr : text, quoted_arguments(msgid)}).first;
  }
  return {it->second.text ? it->second.text : msgid, it->second.quoted};
}

const char* translate(const char* msgid) { return detail::translate_message(msgid).text; }

std::uint64_t detail::quoted_arguments(const char* msgid) {
  std::uint64_t quoted = 0;
  unsigned index = 0;
  for (const char* p = msgid; *p; ++p) {
    if (*p != '{') continue;
    if (p[1] == '{') {  // "{{": a brace, not a placeholder
      ++p;
      continue;
    }
    const char* end = std::strchr(p, '}');
    if (!end) break;
    if (index < 64 && p > msgid && p[-1] == '\'' && end[1] == '\'') quoted |= std::uint64_t{1} << index;
    ++index;
    p = end;
  }
  return quoted;
}

detail::shown_text detail::shown(std::string_view text, std::size_t max) {
  if (text.size() <= max) return {text, false};  // fewer bytes than characters allowed
  std::size_t at = 0;
  for (std::size_t chars = 0; at < text.size() && chars < max; ++chars) {
    ++at;  // a character's first byte, then the (at most three) bytes that continue it
    for (int k = 0; k < 3 && at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80; ++k) ++at;
  }
  return {text.substr(0, at), at < text.size()};
}

const char* translate_plural(const char* singular, const char* plural, std::uint64_t n) {
  return lookup_plural(singular, plural, n);
}

bool translated() { return has_catalogue(); }

}  // namespace kaiin
