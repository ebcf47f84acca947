#pragma once
/// \file
/// Small text utilities on UTF-8: code points, the spec's e-mail normalisation,
/// "did you mean" hints, and a compact table of strings for duplicate detection
/// over a million members.

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kaiin {

/// A hash that finds std::string keys by std::string_view, without making a string
/// (with std::equal_to<> in an unordered container): profiles look up every column of
/// a header this way.
struct text_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

/// The spec's e-mail key (§4.3): trimmed, full-width ASCII made half-width,
/// lower-cased. Two addresses are the same when their keys are equal.
std::string email_key(std::string_view address);
/// The same into \p key, whose memory is reused (a hot loop over a million rows).
void email_key(std::string_view address, std::string& key);

/// Levenshtein distance over code points; \p limit + 1 as soon as it is sure to be
/// over \p limit (a caller that wants only close words need not finish far ones).
std::size_t edit_distance(std::string_view a, std::string_view b,
                          std::size_t limit = std::numeric_limits<std::size_t>::max());
/// The candidate closest to \p word when it is close enough to be a likely typo,
/// compared case-insensitively; empty when none is.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

/// A count as an option takes it (--by rows:N, --max-rows N): digits only (no sign,
/// no space), at least \p least; nullopt otherwise.
std::optional<std::uint64_t> parse_count(std::string_view text, std::uint64_t least);
/// The usage error of a count that parse_count() refused: "--max-rows N: N must be a
/// whole number of at least 1, not '0'" (\p option "--max-rows N", \p text "0").
std::string count_error(std::string_view option, std::string_view text, std::uint64_t least);

/// Strings mapped to a 32-bit value (a line, an index), stored in one arena: a
/// flat, open-addressing table of 16-byte slots that holds a million e-mail keys
/// in a few tens of megabytes.
class string_table {
 public:
  /// The value stored for \p key, or nullptr.
  const std::uint32_t* find(std::string_view key) const { return find(key, hash(key)); }
  /// The same, \p hash being hash(key) computed earlier (after a prefetch).
  const std::uint32_t* find(std::string_view key, std::uint32_t hash) const;
  /// Stores \p value for \p key unless it is there; returns the stored value.
  std::uint32_t insert(std::string_view key, std::uint32_t value) { return insert(key, hash(key), value); }
  /// The same, \p hash being hash(key) computed earlier.
  std::uint32_t insert(std::string_view key, std::uint32_t hash, std::uint32_t value);
  /// Keys stored.
  std::size_t size() const { return size_; }

  /// The hash the table files \p key under.
  static std::uint32_t hash(std::string_view key);
  /// Asks the CPU to fetch where \p hash lives: a batch of keys looked up after
  /// their slots were prefetched does not wait on memory one key at a time.
  void prefetch(std::uint32_t hash) const { __builtin_prefetch(&slots_[hash & (slots_.size() - 1)]); }
  /// Makes room for \p n keys of about \p key_bytes bytes each without regrowing.
  void reserve(std::size_t n, std::size_t key_bytes = 16);
  /// Makes room in tables of member IDs and of e-mail keys for the members a regular
  /// file \p path can hold (its size over 160 bytes, which member rows are rarely
  /// shorter than): room at once instead of twenty growths. Nothing for a pipe.
  static void reserve_for_members(const std::string& path, string_table& ids, string_table& emails);

 private:
  struct slot {
    std::uint32_t offset = 0;  // in the arena, plus one: 0 marks an empty slot
    std::uint32_t length = 0;
    std::uint32_t hash = 0;
    std::uint32_t value = 0;
  };
  std::size_t locate(std::string_view key, std::uint32_t hash) const;
  void grow();
  std::vector<slot> slots_ = std::vector<slot>(1024);
  std::string arena_;
  std::size_t size_ = 0;
};

}  // namespace kaiin
