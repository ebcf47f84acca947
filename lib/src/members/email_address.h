#pragma once
// The e-mail rule of spec §4.3 in one place: what an address is (the WHATWG valid
// e-mail address, the rule of <input type=email>, with a dot in the domain), what
// is wrong with one that is not, which domains are a Japanese carrier's, and what a
// program reading an export makes of a member's address. kaiin-check's rule
// (check_email), kaiin-fix's fix (fix_email) and kaiin-crm, -find, -split and
// -crosspoint all decide here. Private to the library.

#include <cstdint>
#include <string>
#include <string_view>

#include "members/member_rules.h"

namespace kaiin::detail {

/// What is wrong with an address, the most telling first; the last three are
/// accepted by the forms and only warned about.
enum class email_problem : std::uint8_t {
  none,
  line_break,     ///< a CR or LF anywhere
  tab,            ///< a TAB
  control,        ///< another control character
  space,          ///< a space
  non_ascii,      ///< a character that is neither ASCII nor full-width ASCII
  full_width,     ///< full-width ASCII or the ideographic space
  no_at,          ///< no '@'
  many_at,        ///< more than one '@'
  empty_local,    ///< nothing before '@'
  local_char,     ///< a character the part before '@' cannot hold: ( ) < > [ ] : ; \ , "
  empty_domain,   ///< nothing after '@'
  domain_char,    ///< a character a domain cannot hold (it holds letters, digits, '-' and '.')
  domain_dots,    ///< '..' in the domain, or a '.' at either end of it
  label_hyphen,   ///< a part of the domain starts or ends with '-'
  label_length,   ///< a part of the domain is longer than 63 characters
  no_dot,         ///< no '.' in the domain
  leading_dot,    ///< the address starts with '.' (a warning)
  double_dot,     ///< '..' before '@' (a warning)
  dot_before_at,  ///< a '.' right before '@' (a warning)
};
/// True for the problems that make a value no address (errors).
inline bool is_error(email_problem p) { return p != email_problem::none && p < email_problem::leading_dot; }

/// The first problem of \p v, and the character or domain part it concerns.
struct email_diagnosis {
  email_problem problem = email_problem::none;
  std::string_view part;  ///< in \p v: the character (its UTF-8 bytes) or the domain part at fault
};
/// What is wrong with \p v, if anything (an empty address has nothing wrong).
email_diagnosis diagnose_email(std::string_view v);
/// diagnose_email(v).problem, at the cost of one look at each byte for an address
/// that is valid (nearly all): the details are only worked out for the others.
email_problem find_email_problem(std::string_view v);

/// The carrier of a Japanese mobile domain (data/email/*.csv: "docomo" for
/// docomo.ne.jp, "WILLCOM" for dk.pdx.ne.jp under *.pdx.ne.jp), compared without
/// regard to case; empty for any other domain. The files of every data folder are
/// read (once), so a user adds domains with a file of their own there.
std::string carrier_of(std::string_view domain);

/// What a program that reads an export (kaiin-crm, -find, -split, -crosspoint) does
/// with a member's address (spec §4.3, §11).
enum class address_use : std::uint8_t {
  as_is,      ///< valid as it is (an old mobile form too): it travels as it is
  folded,     ///< valid once folded (fold_address()): it travels in that form, with a warning
  held_back,  ///< no address even folded: it does not travel; an error, counted
};
/// A member's address as such a program reads it.
struct member_address {
  address_use use = address_use::as_is;
  std::string folded;  ///< for folded: the form it travels in
};
/// What becomes of member's address \p v; an empty one is as_is (there is none).
member_address read_member_address(std::string_view v);
/// The form member's address \p v travels in: folded where it must be (and can be),
/// else as it is.
std::string travelling_form(std::string_view v);
/// The finding such a program reports about \p v when it is not used as it is:
/// email-folded, a warning, for one used folded, saying \p used_as (a message of the
/// program's, marked N_(), with {} for the folded form: "the CRM gets '{}'");
/// email-invalid, an error saying what is wrong, for one held back, and \p held_back
/// (a message marked N_(): what the program did instead).
verdict member_address_finding(std::string_view v, const member_address& a, const char* used_as, const char* held_back);

}  // namespace kaiin::detail
