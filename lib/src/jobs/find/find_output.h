#pragma once
// kaiin-find's answers (spec §12): a block an address for a person, one JSON object
// an address or one CSV row an address and member for scripts. Private to the
// library.

#include <string>
#include <vector>

#include "jobs/find/find_lookup.h"
#include "kaiin/io.h"

namespace kaiin::detail {

/// One address's answer, as every format writes it.
struct answer {
  const asked_address& asked;
  const wanted_key& key;
  lookup_status status;
  std::vector<std::uint32_t> orders;  ///< newest first
};

/// The orders of answer \p a that are member \p m's: placed under the member's ID,
/// newest first as in a.orders. Where two members hold the address, each member's
/// block lists these, so that an order is never shown under another member.
std::vector<std::uint32_t> member_orders(const lookup& l, const answer& a, const found_member& m);
/// The guest orders of answer \p a (no member ID, placed with the address), newest first.
std::vector<std::uint32_t> guest_orders(const lookup& l, const answer& a);

/// Writes the answers, one an address asked in the order asked, in \p format.
/// \p escaped counts the CSV cells --escape-formulas escaped.
void write_answers(output_stream& out, const lookup& l, const std::vector<answer>& answers, find_format format,
                   bool escape_formulas, std::uint64_t& escaped);

/// The block of one answer, as the text format writes it (a test reads it).
std::string text_block(const lookup& l, const answer& a);
/// The JSON object of one answer, without its newline.
std::string json_answer(const lookup& l, const answer& a);

}  // namespace kaiin::detail
