#pragma once
// Compact storage for tables of a million members and millions of orders, private to
// the library: vectors that grow a chunk at a time, an arena of short texts, an
// open-addressing index of four-byte slots, and an index of IDs that keeps an ID
// written as a plain number in eight bytes. Growing never copies what is stored, so
// peak memory stays close to what the table holds (kaiin-crm's benchmark measures it).

#include <algorithm>
#include <bit>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kaiin::detail {

/// A vector that grows 16,384 elements at a time: growing never copies or moves what
/// is there, and at most one chunk is partly unused. (The first chunk starts small and
/// doubles, so that a table of a few rows stays small.) Elements start zeroed.
template <class T>
class chunked {
 public:
  static constexpr std::size_t bits = 14, chunk = std::size_t{1} << bits;
  void push_back(const T& v) {
    if (size_ == first_) grow();
    chunks_.back()[size_ % chunk] = v;
    ++size_;
  }
  T& operator[](std::size_t i) { return chunks_[i >> bits][i & (chunk - 1)]; }
  const T& operator[](std::size_t i) const { return chunks_[i >> bits][i & (chunk - 1)]; }
  std::size_t size() const { return size_; }
  std::size_t memory() const { return first_ * sizeof(T) + chunks_.capacity() * sizeof(void*); }

 private:
  void grow() {
    if (size_ >= chunk) {  // a full chunk: the next one
      chunks_.push_back(std::make_unique<T[]>(chunk));
      first_ += chunk;  // (from here on, the capacity of all chunks)
      return;
    }
    std::size_t bigger = first_ ? first_ * 4 : 64;  // the first chunk, larger
    if (bigger > chunk) bigger = chunk;
    auto fresh = std::make_unique<T[]>(bigger);
    for (std::size_t i = 0; i < size_; ++i) fresh[i] = chunks_[0][i];
    if (chunks_.empty())
      chunks_.push_back(std::move(fresh));
    else
      chunks_[0] = std::move(fresh);
    first_ = bigger;
  }
  std::vector<std::unique_ptr<T[]>> chunks_;
  std::size_t size_ = 0, first_ = 0;  // first_: the elements the chunks hold
};

/// A bit for each of entries 0, 1, 2, ... (a member seen, say), growing as bits are
/// set; looked through a word at a time for the few not set (kaiin-points' members
/// NEW lacks, kaiin-tags' members the export lacks).
class bit_set {
 public:
  bool test(std::size_t i) const { return i / 64 < words_.size() && (words_[i / 64] >> (i % 64) & 1); }
  void set(std::size_t i) {
    if (i / 64 >= words_.size()) words_.resize(std::max(i / 64 + 1, words_.size() * 2));
    words_[i / 64] |= std::uint64_t{1} << (i % 64);
  }
  /// Calls \p f for each entry below \p size whose bit is not set, in order.
  template <class F>
  void each_unset(std::size_t size, F f) const {
    for (std::size_t w = 0; w * 64 < size; ++w) {
      std::uint64_t unset = ~(w < words_.size() ? words_[w] : 0);
      if (size - w * 64 < 64) unset &= (std::uint64_t{1} << (size - w * 64)) - 1;
      for (; unset; unset &= unset - 1) f(w * 64 + static_cast<std::size_t>(std::countr_zero(unset)));
    }
  }

 private:
  std::vector<std::uint64_t> words_;
};

/// Short texts (IDs, e-mail keys) one after another in blocks of up to 1 MiB (the
/// first ones smaller), each found by a four-byte reference; a text longer than a
/// block gets a block of its own.
class text_arena {
 public:
  /// Stores \p text; returns its reference.
  std::uint32_t add(std::string_view text);
  /// The text stored under \p ref.
  std::string_view get(std::uint32_t ref) const;
  std::size_t memory() const;

 private:
  static constexpr unsigned offset_bits = 20;  // a reference is block << 20 | offset
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::vector<std::size_t> sizes_;
  std::size_t used_ = 0;     // of the last ordinary block
  std::size_t current_ = 0;  // the size of that block
  std::size_t memory_ = 0;
};

/// An open-addressing index of entries 0, 1, 2, ... by a 32-bit hash; their keys
/// are kept by the owner, who says whether an entry holds the key looked for. A slot
/// is four bytes: the entry and six bits of its hash, so that a probe compares keys
/// for one slot in 64 only. The table fills up to 7/8 (linear probing over slots
/// that sit side by side in memory stays cheap that full) and grows by half, to any
/// size: 1.2 to 1.7 slots an entry, where a power of two of slots filled to 3/4
/// took 1.3 to 2.7 (kaiin-crm's benchmark at 2,000,000 orders: 5.5 MB less).
class hash_index {
 public:
  /// The most entries an index holds (2^26 - 1, some 67 million).
  static constexpr std::uint32_t max_entries = (1u << 26) - 1;

  /// The entry whose key \p is_key recognises, or nullopt.
  template <class IsKey>
  std::optional<std::uint32_t> find(std::uint32_t hash, IsKey is_key) const {
    const std::uint32_t tag = (hash & 63) << 26;
    for (std::size_t i = home(hash);;) {
      std::uint32_t s = slots_[i];
      if (s == 0) return std::nullopt;
      if ((s & ~max_entries) == tag && is_key((s & max_entries) - 1)) return (s & max_entries) - 1;
      if (++i == slots_.size()) i = 0;
    }
  }
  /// The entry whose key \p is_key recognises; else files \p entry under \p hash, as
  /// add() does, in one probe of the table, and returns nullopt.
  template <class IsKey, class HashOf>
  std::optional<std::uint32_t> find_or_add(std::uint32_t hash, std::uint32_t entry, IsKey is_key, HashOf hash_of) {
    if ((count_ + 1) * 8 > slots_.size() * 7) grow(count_ + 1, hash_of);
    const std::uint32_t tag = (hash & 63) << 26;
    for (std::size_t i = home(hash);;) {
      std::uint32_t s = slots_[i];
      if (s == 0) {
        slots_[i] = tag | (entry + 1);
        ++count_;
        return std::nullopt;
      }
      if ((s & ~max_entries) == tag && is_key((s & max_entries) - 1)) return (s & max_entries) - 1;
      if (++i == slots_.size()) i = 0;
    }
  }
  /// Files entry \p entry under \p hash (its key is not there yet); \p hash_of gives
  /// the hash of any entry when the index grows. Throws kaiin::error past max_entries.
  template <class HashOf>
  void add(std::uint32_t hash, std::uint32_t entry, HashOf hash_of) {
    if ((count_ + 1) * 8 > slots_.size() * 7) grow(count_ + 1, hash_of);
    place(hash, entry);
    ++count_;
  }
  std::size_t size() const { return count_; }
  std::size_t memory() const { return slots_.capacity() * sizeof(std::uint32_t); }
  /// Asks the CPU to fetch the slot where \p hash starts: a lookup issued some work
  /// later does not wait on memory (in a table of a million entries, every lookup
  /// otherwise misses the cache).
  void prefetch(std::uint32_t hash) const { __builtin_prefetch(&slots_[home(hash)]); }
  /// Makes room for \p n entries at once; \p hash_of as for add().
  template <class HashOf>
  void reserve(std::size_t n, HashOf hash_of) {
    if (n * 8 <= slots_.size() * 7) return;
    if (count_ == 0) {  // nothing to move: just the slots n needs
      check_size(n);
      slots_.assign(0, 0);
      slots_.shrink_to_fit();
      slots_.assign(n + n / 7 + 1, 0);
      return;
    }
    grow(n, hash_of);
  }

 private:
  // The slot a hash starts at: its high bits scaled to the table (any size).
  std::size_t home(std::uint32_t hash) const { return (std::uint64_t{hash} * slots_.size()) >> 32; }
  void place(std::uint32_t hash, std::uint32_t entry);
  template <class HashOf>
  void grow(std::size_t n, HashOf hash_of) {
    check_size(n);
    std::size_t size = slots_.size();
    while (n * 8 > size * 7) size += size / 2;
    slots_.assign(0, 0);
    slots_.shrink_to_fit();  // the old slots go before the new ones come
    slots_.assign(size, 0);
    for (std::uint32_t e = 0; e < count_; ++e) place(hash_of(e), e);
  }
  static void check_size(std::size_t n);
  std::vector<std::uint32_t> slots_ = std::vector<std::uint32_t>(16, 0);
  std::size_t count_ = 0;
};

/// IDs (member IDs, order IDs) numbered 0, 1, 2, ... in the order they are first
/// added. While every ID is a plain number (up to 18 digits, no leading zero) each is
/// kept as eight bytes; the first other ID turns the whole index into texts.
class id_index {
 public:
  /// The number of \p id, added as size() when it is new (second: true then).
  std::pair<std::uint32_t, bool> insert(std::string_view id);
  /// The number of \p id, or nullopt.
  std::optional<std::uint32_t> find(std::string_view id) const;
  /// ID number \p i as written.
  std::string id(std::uint32_t i) const;
  std::size_t size() const { return index_.size(); }
  /// True while every ID is kept as a number.
  bool numeric() const { return numeric_; }
  /// Makes room for about \p n IDs at once.
  void reserve(std::size_t n);
  /// Asks the CPU to fetch the slot \p id starts at (see hash_index::prefetch).
  void prefetch(std::string_view id) const;
  std::size_t memory() const;

  /// \p id as the number it spells, when it is a plain number of up to 18 digits
  /// without a leading zero ("0" itself is one).
  static std::optional<std::uint64_t> number_of(std::string_view id);

 private:
  std::uint32_t hash_at(std::uint32_t i) const;
  void to_text();
  bool numeric_ = true;
  chunked<std::uint64_t> numbers_;  // while numeric
  chunked<std::uint32_t> refs_;     // afterwards: into texts_
  text_arena texts_;
  hash_index index_;
};

/// IDs numbered 0, 1, 2, ... as they are added, as id_index numbers them. While they
/// come as plain numbers in increasing order (an export sorted by member ID, as shops
/// export them), they are a sorted array of eight bytes an ID: no duplicate is
/// possible, adding one touches only the end of the array, and lookups in the same
/// order find each ID right after the one found last (otherwise where an evenly
/// spread ID would be, then a binary search of what is left). Adding an ID met before
/// finds it; the first new ID out of that order moves them all into an id_index. At 1,000,000
/// members the hash index's lookups, a cache miss each, were 44% of kaiin-points
/// diff's time (perf).
class ordered_id_index {
 public:
  /// The number of \p id, added as size() when it is new (second: true then).
  std::pair<std::uint32_t, bool> insert(std::string_view id);
  /// The number of \p id, or nullopt.
  std::optional<std::uint32_t> find(std::string_view id) const;
  /// ID number \p i as written.
  std::string id(std::uint32_t i) const { return ordered_ ? std::to_string(numbers_[i]) : index_.id(i); }
  std::size_t size() const { return ordered_ ? numbers_.size() : index_.size(); }
  /// True while the IDs came in increasing order, as numbers.
  bool ordered() const { return ordered_; }
  /// Asks the CPU to fetch where find(\p id) looks first (see hash_index::prefetch).
  void prefetch(std::string_view id) const;
  /// Makes room for about \p n IDs once they are no longer in order.
  void reserve(std::size_t n) {
    if (!ordered_) index_.reserve(n);
  }
  std::size_t memory() const { return numbers_.memory() + index_.memory(); }

 private:
  void to_index();
  std::optional<std::uint32_t> find_number(std::uint64_t n) const;
  // Where number \p n would be were the IDs evenly spread (numbers_ holds two or more).
  std::size_t guess(std::uint64_t n) const;
  bool ordered_ = true;
  chunked<std::uint64_t> numbers_;  // while ordered
  id_index index_;                  // afterwards
  mutable std::size_t next_ = 0;    // where the next lookup looks first
};

std::uint32_t hash_text(std::string_view s);

/// Texts (e-mail keys) mapped to a 32-bit value (a line, a member's number): a key
/// costs its text and a length byte in a text_arena, a four-byte reference, its
/// value and 1.2 to 1.7 four-byte slots, some 40 bytes for an e-mail key where a
/// string_table took 60 to 90 (kaiin-check's key tables, spec §4.3).
class text_map {
 public:
  /// \p hash_of_stored: the hash of a key from its text as stored, when the owner
  /// stores keys in a form of its own (email_map); hash_text() by default.
  explicit text_map(std::function<std::uint32_t(std::string_view)> hash_of_stored = {})
      : hash_of_stored_(std::move(hash_of_stored)) {}
  /// The value stored for \p key, whose hash_text() is \p hash, or nullptr.
  const std::uint32_t* find(std::string_view key, std::uint32_t hash) const;
  /// Stores \p value for \p key (hash \p hash) unless it is there; returns the
  /// value stored.
  std::uint32_t insert(std::string_view key, std::uint32_t hash, std::uint32_t value) {
    return insert_entry(key, hash, value).second;
  }
  /// The same, returning also the key's entry (0, 1, 2, ... in the order keys came).
  std::pair<std::uint32_t, std::uint32_t> insert_entry(std::string_view key, std::uint32_t hash, std::uint32_t value);
  /// The key of entry \p entry, as stored.
  std::string_view stored(std::uint32_t entry) const { return texts_.get(refs_[entry]); }
  /// See hash_index::prefetch.
  void prefetch(std::uint32_t hash) const { index_.prefetch(hash); }
  /// Makes room in the index for \p n keys at once.
  void reserve(std::size_t n);
  std::size_t size() const { return index_.size(); }
  std::size_t memory() const { return texts_.memory() + refs_.memory() + values_.memory() + index_.memory(); }

 private:
  std::uint32_t hash_at(std::uint32_t i) const {
    return hash_of_stored_ ? hash_of_stored_(texts_.get(refs_[i])) : hash_text(texts_.get(refs_[i]));
  }
  std::function<std::uint32_t(std::string_view)> hash_of_stored_;
  text_arena texts_;
  chunked<std::uint32_t> refs_, values_;
  hash_index index_;
};

/// IDs (member IDs) mapped to a 32-bit value, kept as id_index keeps them: eight
/// bytes for an ID that is a plain number.
class id_map {
 public:
  /// The value stored for \p id, or nullptr.
  const std::uint32_t* find(std::string_view id) const {
    auto i = ids_.find(id);
    return i ? &values_[*i] : nullptr;
  }
  /// Stores \p value for \p id unless it is there; returns the value stored.
  std::uint32_t insert(std::string_view id, std::uint32_t value) {
    auto [i, added] = ids_.insert(id);
    if (added) values_.push_back(value);
    return values_[i];
  }
  void reserve(std::size_t n) { ids_.reserve(n); }
  void prefetch(std::string_view id) const { ids_.prefetch(id); }
  std::size_t size() const { return ids_.size(); }
  std::size_t memory() const { return ids_.memory() + values_.memory(); }

 private:
  id_index ids_;
  chunked<std::uint32_t> values_;
};

/// The 32-bit hash kaiin's compact tables file a number under.
std::uint32_t hash_number(std::uint64_t n);
/// The 32-bit hash of a text (string_table's).
std::uint32_t hash_text(std::string_view s);
/// A 64-bit hash of a text, for fingerprints of whole rows.
std::uint64_t hash_text64(std::string_view s, std::uint64_t seed = 0);

}  // namespace kaiin::detail
