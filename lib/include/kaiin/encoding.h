#pragma once
/// \file
/// Strict CP932 and UTF-8 decoding and encoding (spec §2). The CP932 tables come
/// from ICU's windows-31j converter at build time, queried with kaiin's own
/// callbacks so that nothing is substituted, then corrected where ICU differs from
/// Windows (the control bytes 0x1A, 0x1C, 0x7F) or from the spec (0x80, 0xA0,
/// 0xFD-0xFF are errors; 外字 0xF040-0xF9FC is U+E000-U+E757). Hot loops are table
/// lookups.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kaiin {

/// An encoding kaiin reads or writes. utf8_bom is UTF-8 with a byte order mark;
/// utf16le and utf16be are UTF-16 with a byte order mark (FF FE: Excel's 「Unicode
/// テキスト」, and FE FF), which an input is decoded from to UTF-8 as it is opened,
/// and which a program that writes in the input's encoding writes again.
enum class encoding { utf8, utf8_bom, cp932, utf16le, utf16be };
/// True for utf16le and utf16be.
inline bool is_utf16(encoding e) { return e == encoding::utf16le || e == encoding::utf16be; }

/// Something wrong, or worth a warning, found while converting text.
struct coding_problem {
  /// What kind of problem it is.
  enum kind_t {
    invalid,      ///< bytes that are not valid in the source encoding (error)
    unencodable,  ///< a character the target encoding has no code for (error)
    eudc,         ///< a user-defined character, 外字 (warning)
  };
  kind_t kind;          ///< what is wrong
  std::size_t offset;   ///< byte offset in the input text
  std::size_t length;   ///< bytes of the input concerned
  char32_t code_point;  ///< for unencodable and eudc
};

/// Receives problems as they are found; conversion goes on after each.
class problem_sink {
 public:
  /// A sink is used through this base.
  virtual ~problem_sink() = default;
  /// Called for each problem, in the order of the input.
  virtual void on_problem(const coding_problem& p) = 0;
};

/// Character replacements applied while converting: `--fold` (what Macs and iPhones
/// type, to what Windows has) and `--replace FILE` (the user's own). Each
/// replacement is counted.
class char_map {
 public:
  /// Adds the seven folds of spec §2 (U+301C → U+FF5E, ...).
  void add_folds();
  /// Adds a user replacement of one character by a string (UTF-8).
  void add(char32_t from, std::string to, bool is_fold = false);
  /// Reads a replacement file: two columns from,to (an optional header from,to),
  /// each from a single character. Throws kaiin::error naming the line.
  void add_file(const std::string& path);

  /// True when nothing is replaced: conversion takes its fast path.
  bool empty() const { return entries_.empty(); }
  /// The replacement for \p c, or nullptr; fast for characters without one.
  const std::string* find(char32_t c) const {
    if (c < 0x10000 && !(bmp_bits_[c >> 6] >> (c & 63) & 1)) return nullptr;
    auto it = entries_.find(c);
    if (it == entries_.end()) return nullptr;
    ++it->second.count;
    return &it->second.to;
  }
  /// How often a character was replaced.
  struct use {
    char32_t from;        ///< the character replaced
    std::string to;       ///< what it is written as
    std::uint64_t count;  ///< how often
    bool is_fold;         ///< from --fold, not --replace
  };
  /// Every replacement and its count, by code point.
  std::vector<use> uses() const;

 private:
  struct entry {
    std::string to;
    bool is_fold;
    mutable std::uint64_t count = 0;
  };
  std::unordered_map<char32_t, entry> entries_;
  std::vector<std::uint64_t> bmp_bits_ = std::vector<std::uint64_t>(1024, 0);
};

/// Decodes CP932 to UTF-8, appending to \p out. Invalid bytes become U+FFFD in
/// \p out and a problem in \p sink; 外字 decode to U+E000-U+E757 with a warning.
void decode_cp932(std::string_view in, std::string& out, problem_sink& sink, const char_map* map = nullptr);

/// Checks UTF-8 strictly and appends it to \p out, applying \p map.
/// Ill-formed sequences become U+FFFD in \p out and a problem in \p sink; the
/// private-use characters that 外字 decode to are warnings, as from CP932.
void copy_utf8(std::string_view in, std::string& out, problem_sink& sink, const char_map* map = nullptr);

/// Encodes UTF-8 to CP932 as Windows does (髙 → FB FC), appending to \p out.
/// Characters without a CP932 code are problems (and '?' in \p out); ill-formed
/// UTF-8 is an invalid problem; private-use characters that are 外字 are warnings.
void encode_cp932(std::string_view in, std::string& out, problem_sink& sink, const char_map* map = nullptr);

/// Offset of the first byte that is not valid in \p e (utf8 or cp932), or npos.
/// Used by detection and to skip decoding.
std::size_t first_invalid(std::string_view in, encoding e);

/// Length of a trailing part of \p in that may be an incomplete character in \p e
/// (a CP932 lead byte, or the start of a UTF-8 sequence): keep it for the next
/// chunk when decoding a stream.
std::size_t incomplete_tail(std::string_view in, encoding e);

/// The character Windows has for what a Mac or iPhone typed (U+301C → U+FF5E, spec
/// §2), or 0 when \p c is not one of them.
char32_t windows_fold(char32_t c);

/// Appends the UTF-8 form of \p c.
void append_utf8(std::string& out, char32_t c);
/// "U+301C WAVE DASH" (ICU's character name where it has one, in the page the names of
/// the blocks a member file's text comes from; the characters --fold changes and
/// writes named in the user's language: 波ダッシュ、U+301C).
std::string describe_char(char32_t c);
/// True for the code points 外字 decode to.
inline bool is_eudc(char32_t c) { return c >= 0xE000 && c <= 0xE757; }

}  // namespace kaiin
