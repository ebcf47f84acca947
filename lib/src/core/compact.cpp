#include "core/compact.h"

#include <algorithm>
#include <cstring>

#include "core/text.h"
#include "kaiin/error.h"
#include "kaiin/i18n.h"

namespace kaiin::detail {

namespace {
constexpr std::size_t block_size = std::size_t{1} << 20;
constexpr std::size_t max_blocks = std::size_t{1} << 12;  // 32-bit references

// A text's length before it, seven bits a byte (one byte below 128).
std::size_t put_length(char* at, std::size_t n) {
  std::size_t i = 0;
  for (; n >= 0x80; n >>= 7) at[i++] = static_cast<char>((n & 0x7F) | 0x80);
  at[i++] = static_cast<char>(n);
  return i;
}
}  // namespace

std::uint32_t hash_number(std::uint64_t n) {
  n ^= n >> 33;  // splitmix64's finaliser
  n *= 0xff51afd7ed558ccdull;
  n ^= n >> 33;
  n *= 0xc4ceb9fe1a85ec53ull;
  n ^= n >> 33;
  return static_cast<std::uint32_t>(n);
}

std::uint32_t hash_text(std::string_view s) { return string_table::hash(s); }

std::uint64_t hash_text64(std::string_view s, std::uint64_t seed) {
  // Eight bytes at a time, each word multiplied in and the result mixed (as in the
  // finalisers of MurmurHash3): keys are short, and this is per key. A seed chains
  // texts; string_table::hash is the low half with seed 0.
  std::uint64_t h = (0x9E3779B97F4A7C15ull + seed * 0xc4ceb9fe1a85ec53ull) ^ s.size();
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = (h ^ w) * 0xff51afd7ed558ccdull;
    h ^= h >> 29;
  }
  std::uint64_t tail = 0;
  if (i < s.size()) std::memcpy(&tail, s.data() + i, s.size() - i);
  h = (h ^ tail) * 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 32;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 29;
  return h;
}

std::uint32_t text_arena::add(std::string_view text) {
  const std::size_t need = text.size() + 10;
  std::size_t block;
  std::size_t offset;
  if (need > block_size) {  // a block of its own
    blocks_.push_back(std::make_unique<char[]>(need));
    sizes_.push_back(need);
    memory_ += need;
    block = blocks_.size() - 1;
    offset = 0;
    used_ = current_;  // the next short text starts a new block
  } else {
    if (blocks_.empty() || used_ + need > current_) {
      // A small table stays small: blocks of 4 KiB, 16 KiB, ... up to 1 MiB.
      current_ = std::min(block_size, std::max<std::size_t>(current_ * 4, 4096));
      while (current_ < need) current_ *= 2;
      blocks_.push_back(std::make_unique<char[]>(current_));
      sizes_.push_back(current_);
      memory_ += current_;
      used_ = 0;
    }
    block = blocks_.size() - 1;
    offset = used_;
  }
  if (block >= max_blocks) throw error(_("out of memory: more than 4 GiB of IDs and addresses"));
  char* at = blocks_[block].get() + offset;
  std::size_t n = put_length(at, text.size());
  std::memcpy(at + n, text.data(), text.size());
  if (need <= block_size) used_ += n + text.size();
  return static_cast<std::uint32_t>(block << offset_bits | offset);
}

std::string_view text_arena::get(std::uint32_t ref) const {
  const char* at = blocks_[ref >> offset_bits].get() + (ref & ((1u << offset_bits) - 1));
  std::size_t n = 0;
  unsigned shift = 0;
  for (;; shift += 7) {
    auto b = static_cast<unsigned char>(*at++);
    n |= static_cast<std::size_t>(b & 0x7F) << shift;
    if (b < 0x80) break;
  }
  return {at, n};
}

std::size_t text_arena::memory() const { return memory_ + blocks_.capacity() * sizeof(void*) * 2; }

void hash_index::place(std::uint32_t hash, std::uint32_t entry) {
  std::size_t i = home(hash);
  while (slots_[i])
    if (++i == slots_.size()) i = 0;
  slots_[i] = (hash & 63) << 26 | (entry + 1);
}

void hash_index::check_size(std::size_t n) {
  if (n > max_entries)
    throw error(format_tr("more than {} entries in one table: kaiin's tables hold at most that many", max_entries));
}

std::optional<std::uint64_t> id_index::number_of(std::string_view id) {
  if (id.empty() || id.size() > 18 || (id[0] == '0' && id.size() > 1)) return std::nullopt;
  std::uint64_t n = 0;
  for (char c : id) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return n;
}

std::pair<std::uint32_t, bool> ordered_id_index::insert(std::string_view id) {
  if (ordered_) {
    auto n = id_index::number_of(id);
    if (n && (numbers_.size() == 0 || *n > numbers_[numbers_.size() - 1])) {
      numbers_.push_back(*n);
      return {static_cast<std::uint32_t>(numbers_.size() - 1), true};
    }
    // An ID met before (a later row of an order whose rows are not adjacent) keeps the order.
    if (n)
      if (auto i = find_number(*n)) return {*i, false};
    to_index();
  }
  return index_.insert(id);
}

std::optional<std::uint32_t> ordered_id_index::find(std::string_view id) const {
  if (!ordered_) return index_.find(id);
  auto n = id_index::number_of(id);
  if (!n) return std::nullopt;
  return find_number(*n);
}

std::optional<std::uint32_t> ordered_id_index::find_number(std::uint64_t n) const {
  const std::size_t size = numbers_.size();
  if (next_ < size && numbers_[next_] == n) return static_cast<std::uint32_t>(next_++);
  if (size == 0 || n < numbers_[0] || n > numbers_[size - 1]) return std::nullopt;
  // Where n would be were the IDs evenly spread, as shops number their members and
  // orders: there at once, mostly, where a binary search of a million IDs missed the
  // cache some ten times (kaiin-crm's orders looking up their members). The IDs are
  // distinct and increasing, so n is no further from there than its difference from
  // the number found: the binary search, if any, is of that window only.
  std::size_t low = 0, high = size;
  if (size > 1) {
    const std::size_t guess = this->guess(n);
    const std::uint64_t there = numbers_[guess];
    if (there == n) {
      next_ = guess + 1;
      return static_cast<std::uint32_t>(guess);
    }
    if (there < n)
      low = guess + 1, high = static_cast<std::size_t>(std::min<std::uint64_t>(size, guess + 1 + (n - there)));
    else
      low = guess - static_cast<std::size_t>(std::min<std::uint64_t>(guess, there - n)), high = guess;
  }
  while (low < high) {  // the first number >= n
    std::size_t mid = low + (high - low) / 2;
    if (numbers_[mid] < n)
      low = mid + 1;
    else
      high = mid;
  }
  if (low == size || numbers_[low] != n) return std::nullopt;
  next_ = low + 1;
  return static_cast<std::uint32_t>(low);
}

std::size_t ordered_id_index::guess(std::uint64_t n) const {
  const std::size_t size = numbers_.size();
  const std::uint64_t first = numbers_[0], span = numbers_[size - 1] - first;
  const double at = static_cast<double>(n - first) / static_cast<double>(span) * static_cast<double>(size - 1);
  return std::min(size - 1, static_cast<std::size_t>(at));
}

void ordered_id_index::prefetch(std::string_view id) const {
  if (!ordered_) return index_.prefetch(id);
  auto n = id_index::number_of(id);
  if (n && numbers_.size() > 1 && *n >= numbers_[0] && *n <= numbers_[numbers_.size() - 1])
    __builtin_prefetch(&numbers_[guess(*n)]);
}

void ordered_id_index::to_index() {
  for (std::size_t i = 0; i < numbers_.size(); ++i) index_.insert(std::to_string(numbers_[i]));
  numbers_ = {};
  ordered_ = false;
}

std::uint32_t id_index::hash_at(std::uint32_t i) const {
  return numeric_ ? hash_number(numbers_[i]) : hash_text(texts_.get(refs_[i]));
}

std::pair<std::uint32_t, bool> id_index::insert(std::string_view id) {
  auto next = static_cast<std::uint32_t>(index_.size());
  auto hash_of = [this](std::uint32_t e) { return hash_at(e); };
  if (numeric_) {
    if (auto n = number_of(id)) {
      auto found = index_.find_or_add(
          hash_number(*n), next, [&](std::uint32_t e) { return numbers_[e] == *n; }, hash_of);
      if (found) return {*found, false};
      numbers_.push_back(*n);
      return {next, true};
    }
    to_text();
  }
  // (The text is stored first: growing the index hashes every entry, this one too.)
  auto found = index_.find(hash_text(id), [&](std::uint32_t e) { return texts_.get(refs_[e]) == id; });
  if (found) return {*found, false};
  refs_.push_back(texts_.add(id));
  index_.add(hash_text(id), next, hash_of);
  return {next, true};
}

std::optional<std::uint32_t> id_index::find(std::string_view id) const {
  if (numeric_) {
    auto n = number_of(id);
    if (!n) return std::nullopt;
    return index_.find(hash_number(*n), [&](std::uint32_t e) { return numbers_[e] == *n; });
  }
  return index_.find(hash_text(id), [&](std::uint32_t e) { return texts_.get(refs_[e]) == id; });
}

std::string id_index::id(std::uint32_t i) const {
  return numeric_ ? std::to_string(numbers_[i]) : std::string(texts_.get(refs_[i]));
}

void id_index::reserve(std::size_t n) {
  index_.reserve(n, [this](std::uint32_t e) { return hash_at(e); });
}

void id_index::prefetch(std::string_view id) const {
  if (!numeric_) return index_.prefetch(hash_text(id));
  if (auto n = number_of(id)) index_.prefetch(hash_number(*n));
}

void id_index::to_text() {
  // The first ID that is not a plain number: every ID so far becomes its text, and
  // the index is rebuilt on the texts' hashes.
  for (std::size_t i = 0; i < numbers_.size(); ++i) refs_.push_back(texts_.add(std::to_string(numbers_[i])));
  numbers_ = {};
  numeric_ = false;
  hash_index fresh;
  auto hash_of = [this](std::uint32_t e) { return hash_at(e); };
  fresh.reserve(refs_.size(), hash_of);
  for (std::uint32_t e = 0; e < refs_.size(); ++e) fresh.add(hash_at(e), e, hash_of);
  index_ = std::move(fresh);
}

const std::uint32_t* text_map::find(std::string_view key, std::uint32_t hash) const {
  auto e = index_.find(hash, [&](std::uint32_t i) { return texts_.get(refs_[i]) == key; });
  return e ? &values_[*e] : nullptr;
}

std::pair<std::uint32_t, std::uint32_t> text_map::insert_entry(std::string_view key, std::uint32_t hash,
                                                               std::uint32_t value) {
  auto next = static_cast<std::uint32_t>(index_.size());
  auto e = index_.find_or_add(
      hash, next, [&](std::uint32_t i) { return texts_.get(refs_[i]) == key; },
      [&](std::uint32_t i) { return hash_at(i); });
  if (e) return {*e, values_[*e]};
  refs_.push_back(texts_.add(key));
  values_.push_back(value);
  return {next, value};
}

void text_map::reserve(std::size_t n) {
  index_.reserve(n, [&](std::uint32_t i) { return hash_at(i); });
}

std::size_t id_index::memory() const { return numbers_.memory() + refs_.memory() + texts_.memory() + index_.memory(); }

}  // namespace kaiin::detail
