#pragma once
/// \file
/// Which addresses of a member receive the mail magazine (spec §4, §5, §11): the PC
/// address when mailmag is 1, the mobile address when its own flag (mobile_mailmag,
/// where the file has one) or else mailmag is 1, and an address only once when a
/// member holds it in both columns. kaiin-crm's customers are these addresses.

#include <optional>
#include <string_view>

namespace kaiin {

/// The subscribed addresses of one member.
struct subscribed_addresses {
  bool pc = false;      ///< the e-mail (PC) address receives the mail magazine
  bool mobile = false;  ///< the mobile address does, and it is not the PC address again
  /// One of the addresses at least receives it.
  bool any() const { return pc || mobile; }
  bool operator==(const subscribed_addresses&) const = default;
};

/// The addresses of a member with \p email and \p mobile_email that receive the mail
/// magazine, given the member's \p mailmag and \p mobile_mailmag (nullopt where the
/// file has no mobile_mailmag column: mailmag then holds for both). 1 means
/// subscribed, anything else not. Addresses compare as spec §4.3 says: the same
/// address in both columns is one address, subscribed when either flag says so
/// (reported as mobile when only the mobile flag does).
subscribed_addresses subscribed(std::string_view email, std::string_view mobile_email, std::string_view mailmag,
                                std::optional<std::string_view> mobile_mailmag);

}  // namespace kaiin
