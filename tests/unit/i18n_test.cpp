#include <doctest/doctest.h>

#include <string>

#include "kaiin/i18n.h"

using namespace kaiin;

TEST_CASE("the arguments a message quotes are found in its English text") {
  CHECK(detail::quoted_arguments("zip code '{}' is not 123-4567{}") == 0b01);
  CHECK(detail::quoted_arguments("member ID '{}' is also on line {}: '{}'") == 0b101);
  CHECK(detail::quoted_arguments("{} '{}' has no {} code ({})") == 0b0010);
  CHECK(detail::quoted_arguments("a brace '{{}}' and '{:>4}'") == 0b1);  // {{ is a brace; a spec is a placeholder
  CHECK(detail::quoted_arguments("nothing quoted: {}, {}") == 0);
}

TEST_CASE("a shown value is its first 80 characters, then an ellipsis") {
  CHECK(detail::shown("short").head == "short");
  CHECK_FALSE(detail::shown("short").cut);
  std::string kana;
  for (int i = 0; i < 100; ++i) kana += "\xE3\x81\x82";  // あ: 3 bytes, 1 character
  CHECK(detail::shown(kana).head.size() == 80 * 3);
  CHECK(detail::shown(kana).cut);
  CHECK_FALSE(detail::shown(kana.substr(0, 80 * 3)).cut);                 // exactly 80 characters: whole
  CHECK(detail::shown(std::string(1000, '\x80')).head.size() == 80 * 4);  // stray bytes: at most 4 a character
}

TEST_CASE("format_tr cuts a quoted value and leaves the rest whole") {
  const std::string long_value(10000, 'x'), long_hint(200, 'h');
  const std::string m = format_tr("zip code '{}' is wrong{}", long_value, long_hint);
  CHECK(m == "zip code '" + std::string(80, 'x') + "\u2026' is wrong" + long_hint);
  CHECK(format_tr("'{}' and {}", "ok", 5) == "'ok' and 5");
  CHECK(format_plural("'{}' has {} field", "'{}' has {} fields", 2, long_value, 2) ==
        "'" + std::string(80, 'x') + "\u2026' has 2 fields");
}
