// The e-mail rule's parts (members/email_address.h): the first problem of an
// address, the words of the warnings, the carriers' domains, and what the programs
// that read an export make of an address. tests/unit/email_corpus_test.cpp runs the
// whole rule over the corpus of public suites.

#include <doctest/doctest.h>

#include <string>

#include "core/text.h"
#include "members/email_address.h"
#include "members/member_fixes.h"

using namespace kaiin;
using detail::address_use;
using detail::email_problem;
using detail::find_email_problem;

namespace {
std::string message_of(const rule_result& r) { return r ? r->message : std::string("(none)"); }
bool has(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }
}  // namespace

TEST_CASE("the first problem of an address, the most telling first") {
  CHECK(find_email_problem("") == email_problem::none);
  CHECK(find_email_problem("taro@example.com") == email_problem::none);
  CHECK(find_email_problem("!#$%&'*+/=?^_`{|}~-@example.com") == email_problem::none);
  CHECK(find_email_problem("taro@example.com\r\n") == email_problem::line_break);
  CHECK(find_email_problem("ta ro@exam\nple") == email_problem::line_break);  // before the space and the dot
  CHECK(find_email_problem("taro\t@example.com") == email_problem::tab);
  CHECK(find_email_problem("taro\x1b@example.com") == email_problem::control);
  CHECK(find_email_problem("taro\x7f@example.com") == email_problem::control);
  CHECK(find_email_problem("ta ro@example.com") == email_problem::space);
  CHECK(find_email_problem("ｔａｒｏ＠例え.jp") == email_problem::non_ascii);  // half-width, it is still no address
  CHECK(find_email_problem("ｔａｒｏ＠example.com") == email_problem::full_width);
  CHECK(find_email_problem("taro.example.com") == email_problem::no_at);
  CHECK(find_email_problem("a@b@example.com") == email_problem::many_at);
  CHECK(find_email_problem("@example.com") == email_problem::empty_local);
  CHECK(find_email_problem("ta(ro)@example.com") == email_problem::local_char);
  CHECK(find_email_problem("taro@") == email_problem::empty_domain);
  CHECK(find_email_problem("taro@exa_mple.com") == email_problem::domain_char);
  CHECK(find_email_problem("F/s/f/a@feo+re.com") == email_problem::domain_char);
  CHECK(find_email_problem("taro@example..com") == email_problem::domain_dots);
  CHECK(find_email_problem("taro@example.com.") == email_problem::domain_dots);
  CHECK(find_email_problem("taro@-example.com") == email_problem::label_hyphen);
  CHECK(find_email_problem("taro@example.co-") == email_problem::label_hyphen);
  CHECK(find_email_problem("taro@ex-ample.com") == email_problem::none);
  CHECK(find_email_problem("a@" + std::string(63, 'b') + ".com") == email_problem::none);
  CHECK(find_email_problem("a@" + std::string(64, 'b') + ".com") == email_problem::label_length);
  CHECK(find_email_problem("taro@example") == email_problem::no_dot);
  CHECK(find_email_problem(".taro@example.com") == email_problem::leading_dot);
  CHECK(find_email_problem("ta..ro@example.com") == email_problem::double_dot);
  CHECK(find_email_problem("taro.@example.com") == email_problem::dot_before_at);
  CHECK(detail::is_error(email_problem::no_dot));
  CHECK_FALSE(detail::is_error(email_problem::dot_before_at));
}

TEST_CASE("the dot warnings say which dot, and call it a mobile form only at a carrier's domain") {
  CHECK(has(message_of(check_email(".taro@docomo.ne.jp")), "starts with '.'"));
  CHECK(has(message_of(check_email("ta..ro@docomo.ne.jp")), "has '..' before '@'"));
  CHECK(has(message_of(check_email("taro.@docomo.ne.jp")), "has a '.' right before '@'"));
  CHECK(has(message_of(check_email("taro.@docomo.ne.jp")), "an old form of docomo's mobile addresses"));
  CHECK(has(message_of(check_email("taro.@EZweb.ne.jp")), "an old form of au's mobile addresses"));
  CHECK(has(message_of(check_email("taro.@dk.pdx.ne.jp")), "WILLCOM"));
  CHECK(check_email("taro.@docomo.ne.jp")->rule == "email-legacy-mobile");
  for (const char* other : {"taro.@example.com", "taro.@mail.docomo.ne.jp", "taro.@pdx.ne.jp", "taro.@xdocomo.ne.jp"}) {
    CAPTURE(other);
    const rule_result r = check_email(other);
    REQUIRE(r);
    CHECK(r->severity == severity::warning);
    CHECK(r->rule == "email-dots");
    CHECK_FALSE(has(r->message, "mobile"));
  }
  CHECK(detail::carrier_of("i.softbank.jp") == "SoftBank");
  CHECK(detail::carrier_of("softbank.jp").empty());
}

TEST_CASE("an address is fixed as a form would take it, and only into a valid one") {
  CHECK(fix_email("taro@example.com\r\n") == "taro@example.com");
  CHECK(fix_email("taro@exam\r\nple.com") == "taro@example.com");  // a form takes line breaks out anywhere
  CHECK(fix_email("\ttaro@example.com\f") == "taro@example.com");
  CHECK(fix_email("Ａ5@Example.com ") == "A5@Example.com");  // the case is kept
  CHECK(fix_email("yui..@docomo.ne.jp\n") == "yui..@docomo.ne.jp");
  CHECK_FALSE(fix_email("taro@example.com"));
  CHECK_FALSE(fix_email("taro@example.com\x0b"));           // a vertical tab is no blank a form trims
  CHECK_FALSE(fix_email("taro@example.com\xC2\xA0"));       // nor a no-break space
  CHECK_FALSE(fix_email("my@baddashfw.\xEF\xBC\x8D.com"));  // half-width, a part would be '-'
  CHECK_FALSE(fix_email(" taro@example "));                 // trimmed, no dot in the domain
  CHECK_FALSE(fix_email(" \r\n "));                         // a fix never empties a value
  // kaiin-check's hint is the same value.
  CHECK(check_email("taro@example.com\r\n")->fix == "taro@example.com");
  CHECK(has(message_of(check_email("taro@example.com\r\n")), "has a line break: write 'taro@example.com'"));
  CHECK(has(message_of(check_email("山田@example.jp")), "has '山'"));
  CHECK(has(message_of(check_email("taro@example.com\xC2\xA0")), "U+00A0 NO-BREAK SPACE"));
}

TEST_CASE("the key of an address is its folded form in lower case") {
  CHECK(email_key("Ａ5@Example.com ") == "a5@example.com");
  CHECK(email_key("a5@example.com\r\n") == "a5@example.com");
  CHECK(email_key("a5@exam\nple.com") == "a5@example.com");
  CHECK(fold_address("Ａ5@Example.com\u3000") == "A5@Example.com");
}

TEST_CASE("a program reading an export uses an address as it is, folded, or not at all") {
  CHECK(detail::read_member_address("taro@example.com").use == address_use::as_is);
  CHECK(detail::read_member_address("taro.@docomo.ne.jp").use == address_use::as_is);  // valid, with a warning
  CHECK(detail::read_member_address("").use == address_use::as_is);
  const detail::member_address folded = detail::read_member_address("Ａ5@Example.com ");
  CHECK(folded.use == address_use::folded);
  CHECK(folded.folded == "A5@Example.com");
  CHECK(detail::read_member_address("taro@example").use == address_use::held_back);
  CHECK(detail::read_member_address("Ａ5@Example").use == address_use::held_back);

  const verdict warn = detail::member_address_finding("Ａ5@Example.com ", folded, "written as '{}'", "no row");
  CHECK(warn.severity == severity::warning);
  CHECK(warn.rule == "email-folded");
  CHECK(has(warn.message, "written as 'A5@Example.com'"));
  const verdict held = detail::member_address_finding("taro@example", detail::read_member_address("taro@example"),
                                                      "written as '{}'", "no customer row");
  CHECK(held.severity == severity::error);
  CHECK(held.rule == "email-invalid");
  CHECK(held.message ==
        "e-mail address 'taro@example' has no '.' in its domain 'example': shops mail over the "
        "internet, to domains with a dot: no customer row");
}

namespace {

// The rule written the plain way, a byte at a time: what find_email_problem(),
// which reads eight bytes at a time, must agree with (none, a warning, or an error).
email_problem plain_rule(std::string_view v) {
  if (v.empty()) return email_problem::none;
  const std::size_t at = v.find('@');
  if (at == 0 || at == std::string_view::npos || v.find('@', at + 1) != std::string_view::npos)
    return email_problem::no_at;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); };
  for (char c : v.substr(0, at))
    if (!alnum(c) && std::string_view(".!#$%&'*+/=?^_`{|}~-").find(c) == std::string_view::npos)
      return email_problem::local_char;
  const std::string_view domain = v.substr(at + 1);
  if (domain.find('.') == std::string_view::npos) return email_problem::no_dot;
  for (std::size_t start = 0; start <= domain.size();) {
    const std::size_t end = std::min(domain.find('.', start), domain.size());
    const std::string_view label = domain.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return email_problem::label_hyphen;
    for (char c : label)
      if (!alnum(c) && c != '-') return email_problem::domain_char;
    start = end + 1;
  }
  const std::string_view local = v.substr(0, at);
  if (local.front() == '.') return email_problem::leading_dot;
  if (local.find("..") != std::string_view::npos) return email_problem::double_dot;
  if (local.back() == '.') return email_problem::dot_before_at;
  return email_problem::none;
}

}  // namespace

TEST_CASE("eight bytes at a time, the rule says what it says a byte at a time") {
  // Random strings over the characters that matter, of every length across the
  // eight-byte words (0-40), and the same with a valid address around them.
  const std::string alphabet = "aZ09.@-_+\x01\x7f\xc3\xa9 .@.";
  std::uint32_t state = 2463534242u;
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state;
  };
  int valid = 0, warnings = 0, errors = 0;
  for (int n = 0; n < 200000; ++n) {
    std::string v;
    const std::size_t length = next() % 41;
    for (std::size_t k = 0; k < length; ++k) v.push_back(alphabet[next() % alphabet.size()]);
    if (n % 2) v = "ab" + v + "@example.jp";
    const email_problem fast = find_email_problem(v), plain = plain_rule(v);
    const bool same = detail::is_error(fast) ? detail::is_error(plain) : fast == plain;
    if (!same) CHECK_MESSAGE(same, "'" << v << "': " << int(fast) << " against " << int(plain));
    ++(fast == email_problem::none ? valid : detail::is_error(fast) ? errors : warnings);
  }
  // Each verdict often enough for the comparison to mean something.
  CHECK(valid > 1000);
  CHECK(warnings > 1000);
  CHECK(errors > 1000);
}
