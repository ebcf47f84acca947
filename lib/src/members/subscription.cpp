#include "members/subscription.h"

#include <string>

#include "core/text.h"

namespace kaiin {

subscribed_addresses subscribed(std::string_view email, std::string_view mobile_email, std::string_view mailmag,
                                std::optional<std::string_view> mobile_mailmag) {
  thread_local std::string pc_key, mobile_key;
  email_key(email, pc_key);
  email_key(mobile_email, mobile_key);
  subscribed_addresses s;
  s.pc = !pc_key.empty() && mailmag == "1";
  s.mobile = !mobile_key.empty() && mobile_mailmag.value_or(mailmag) == "1";
  if (s.mobile && mobile_key == pc_key && s.pc) s.mobile = false;  // one address, one row
  return s;
}

}  // namespace kaiin
