#pragma once
/// \file
/// Byte sources (files, standard input, memory) and buffered output to a file
/// descriptor. Everything here works on bytes; encodings live in encoding.h.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kaiin {

namespace detail {
class utf16_encoder;
}

/// Where an input stopped being text (file_source::text_stopped()): reading ends at
/// the first block of the input that holds NUL bytes and at least one control byte
/// in sixteen, at the start of the line of its first NUL.
struct text_stop {
  std::uint64_t offset = 0;  ///< of the first byte not read, in the text as read (UTF-8 for a UTF-16 file)
  std::size_t controls = 0;  ///< NUL and other control bytes (not TAB, LF, CR) in the block there
  std::size_t size = 0;      ///< bytes in that block
};

/// Something bytes are read from, a chunk at a time.
class byte_source {
 public:
  /// Sources are used through this base.
  virtual ~byte_source() = default;
  /// Reads up to \p size bytes into \p buffer; 0 only at the end of the input.
  virtual std::size_t read(char* buffer, std::size_t size) = 0;
  /// The name used in messages: the path, or "<stdin>".
  virtual const std::string& name() const = 0;
  /// The bytes a regular file holds, so that readers size their buffers to it; 0
  /// when unknown (a pipe).
  virtual std::uint64_t size_hint() const { return 0; }
};

/// A file, or standard input for "-". Throws kaiin::error naming the path when it
/// cannot be opened or read.
class file_source : public byte_source {
 public:
  /// Opens \p path ("-": standard input).
  explicit file_source(const std::string& path);
  /// Closes a file it opened (never standard input).
  ~file_source() override;
  file_source(const file_source&) = delete;
  file_source& operator=(const file_source&) = delete;

  /// Reads from the file, or hands back unread() bytes first.
  std::size_t read(char* buffer, std::size_t size) override;
  /// The path, or "<stdin>".
  const std::string& name() const override { return name_; }
  /// The file's size when it is a regular file, else 0.
  std::uint64_t size_hint() const override { return size_; }

  /// True for a regular file, which can be read again from the start.
  bool rewindable() const { return rewindable_; }
  /// Starts again at byte \p offset of a rewindable file.
  void seek(std::uint64_t offset);
  /// Replaces a non-rewindable input (a pipe) by an unlinked temporary copy of it,
  /// so that it can be read twice; the \p prefix bytes were already read from it.
  void spool(std::string_view prefix);
  /// Hands \p bytes out again before the rest of the input (after a peek).
  void unread(std::string_view bytes) { pending_.insert(0, bytes); }

  /// From now on, hands out text only: what is read is checked a block at a time
  /// (detail::check_text), and the input ends at the first block that is not text.
  /// \p head, the first bytes, was checked already.
  void check_text(std::string_view head);
  /// With check_text() on: the offset of the first block (of detail::text_block
  /// bytes) that ends after \p offset and holds a NUL, among those read so far; or
  /// UINT64_MAX for none. A reader that looks for NUL bytes searches those blocks
  /// only. Without check_text(): 0 (search everything).
  std::uint64_t nul_block_from(std::uint64_t offset) const;
  /// Where the input stopped being text, once reading got there; nullopt when it
  /// did not.
  const std::optional<text_stop>& text_stopped() const { return stop_; }
  /// Replaces the input, UTF-16 with a byte order mark (\p big_endian: FE FF), by its
  /// text decoded to UTF-8, in an unlinked temporary file read from its start: every
  /// reader reads UTF-8, and seeks as in any file. \p read_already: the bytes read
  /// from it so far, byte order mark included. The decoded text is checked as
  /// check_text() checks it. Throws kaiin::error for an input with an odd number of
  /// bytes (cut short in the middle of a character), and for one whose first block is
  /// not text.
  void decode_utf16(bool big_endian, std::string_view read_already);

 private:
  std::size_t read_raw(char* buffer, std::size_t size);
  std::size_t read_checked(char* buffer, std::size_t size);
  std::size_t checked(const char* text, std::size_t size);
  std::uint64_t decode_utf16_into(int tmp, bool big_endian, std::string_view read_already);
  void adopt(int fd, std::uint64_t size);
  int fd_ = -1;
  bool owned_ = false;
  bool rewindable_ = false;
  bool ended_ = false;          // read_raw() read the end (until a seek)
  std::uint64_t position_ = 0;  // bytes read from fd_ since the last seek (for the progress line)
  std::uint64_t size_ = 0;      // of a regular file when it was opened
  std::string path_, name_, pending_;
  // check_text(): bytes before checked_to_ were checked, and reading stops at stop_;
  // held_ holds the bytes read after them, of a block not yet whole.
  std::string held_;
  std::vector<std::uint64_t> nul_blocks_;  // the offsets of the blocks checked that hold a NUL, in order
  bool checking_ = false;
  std::uint64_t checked_to_ = 0;
  std::optional<text_stop> stop_;
};

/// Bytes held in memory, handed out at most \p chunk bytes a read: the tests use
/// small chunks to split the input at every position.
class memory_source : public byte_source {
 public:
  /// Hands out \p data (not copied: it must outlive the source), \p chunk bytes a read at most.
  explicit memory_source(std::string_view data, std::size_t chunk = SIZE_MAX, std::string name = "<memory>")
      : data_(data), chunk_(chunk ? chunk : 1), name_(std::move(name)) {}
  /// The next bytes, at most the chunk size.
  std::size_t read(char* buffer, std::size_t size) override;
  /// \p name as given ("<memory>").
  const std::string& name() const override { return name_; }
  /// The bytes held.
  std::uint64_t size_hint() const override { return data_.size(); }

 private:
  std::string_view data_;
  std::size_t chunk_;
  std::string name_;
};

/// Buffered writes to a file descriptor. Throws kaiin::error (naming \p name) on a
/// write failure such as a full disk, and kaiin::broken_pipe on EPIPE.
class output_stream {
 public:
  /// Writes to \p fd (not closed here), named \p name in messages, through a buffer that
  /// starts at 64 KiB and grows to \p buffer_size once the output has filled it.
  output_stream(int fd, std::string name, std::size_t buffer_size = 1 << 20);
  /// Drops what was not flushed: a result is written out by flush() or a commit.
  ~output_stream();
  output_stream(const output_stream&) = delete;
  output_stream& operator=(const output_stream&) = delete;

  /// Appends \p bytes, writing the buffer out when it is full.
  void write(std::string_view bytes) {
    if (bytes.size() <= capacity_ - used_) {
      bytes.copy(buffer_.get() + used_, bytes.size());
      used_ += bytes.size();
    } else {
      write_slow(bytes);
    }
  }
  /// Appends one byte.
  void put(char c) {
    if (used_ == capacity_) return write_slow({&c, 1});
    buffer_[used_++] = c;
  }
  /// Room for \p size bytes in the buffer, for a writer that makes its bytes there
  /// rather than in a string of its own and copying them (kaiin-conv decodes records
  /// straight into it): keep() keeps what it wrote, and the next write() or room()
  /// overwrites the rest. nullptr when the buffer cannot hold \p size bytes: write() then.
  char* room(std::size_t size) { return size <= capacity_ - used_ ? buffer_.get() + used_ : room_slow(size); }
  /// Keeps the first \p size bytes of the last room(), which held at least that many.
  void keep(std::size_t size) { used_ += size; }
  /// Writes the buffer out; the bytes written so far are then in the file.
  void flush();
  /// Flushes and gives the buffer back: for a file that is complete but not yet
  /// committed (one of many). Later writes, if any, go straight to the file.
  void release();
  /// From now on, what is written (UTF-8) goes to the file as UTF-16 in the byte order
  /// \p big_endian says: for an output in the encoding of a UTF-16 input. Call it
  /// before anything is written; a byte order mark is written as U+FEFF (EF BB BF).
  void encode_utf16(bool big_endian);
  /// Bytes accepted so far.
  std::uint64_t bytes_written() const { return written_ + used_; }
  /// The file descriptor written to.
  int fd() const { return fd_; }
  /// The name used in messages.
  const std::string& name() const { return name_; }

 private:
  void write_slow(std::string_view bytes);
  char* room_slow(std::size_t size);
  bool grow();
  void write_all(const char* data, std::size_t size);

  int fd_;
  std::string name_;
  std::unique_ptr<char[]> buffer_;
  std::size_t capacity_, max_capacity_, used_ = 0;
  std::uint64_t written_ = 0;
  std::unique_ptr<detail::utf16_encoder> utf16_;  // encode_utf16()
  std::string encoded_;                           // what utf16_ made of the bytes written last
};

/// Reads a whole small file (rules, maps) into memory; "-" is standard input.
std::string read_file(const std::string& path);

}  // namespace kaiin
