#pragma once
/// \file
/// Writing a result so that a failed run leaves nothing partial: a temporary file
/// renamed over the target on commit, or the target left as it was.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kaiin/io.h"

namespace kaiin {

/// Where a tool writes a result, so that a failed run leaves nothing partial:
/// - a path: a temporary file beside it, renamed over it by commit(); without a
///   commit the temporary file is removed and the target is untouched (a symbolic
///   link stays a link: the file it names is replaced). The temporary file has no
///   name until commit (O_TMPFILE) where the file system allows, so that even a
///   killed run leaves nothing behind;
/// - a device, FIFO or socket (/dev/null): written directly, never renamed over;
/// - "-" (standard output): a terminal or /dev/null is written directly; a regular
///   file is truncated back to where it started if the run fails; a pipe gets the
///   output only after commit(), from an unlinked temporary file.
class atomic_output {
 public:
  /// \p private_mode: the file is owner-only (0600) from its creation, whatever the
  /// umask or the old file's permissions, e.g. when it holds passwords.
  explicit atomic_output(const std::string& path, bool private_mode = false);
  /// Discards the output unless it was committed.
  ~atomic_output();
  atomic_output(const atomic_output&) = delete;
  atomic_output& operator=(const atomic_output&) = delete;

  /// Where the output is written until commit().
  output_stream& stream() { return *stream_; }
  /// Makes the output visible: flushes, syncs (with KAIIN_SYNC) and renames, or
  /// copies to stdout. \p sync false: the caller has synced already (a set of files).
  /// Should a step fail, the output is discarded and kaiin::error thrown.
  void commit(bool sync = true);
  /// Drops everything written; called by the destructor when commit() was not.
  void discard() noexcept;
  /// The target's name for messages.
  const std::string& name() const { return name_; }
  /// True when bytes reach the target as they are written (a terminal, a device, a
  /// FIFO): they cannot be taken back should the run fail.
  bool writes_directly() const { return mode_ == mode::direct; }
  /// With \p private_mode: the permissions the existing target (or the file standard
  /// output was redirected to) had when they let others read it; the output is
  /// owner-only all the same, and the tool says so. 0 otherwise.
  unsigned narrowed_from() const { return narrowed_from_; }
  /// Throws kaiin::error when \p output names one of \p inputs (the same file, by
  /// device and inode): a run must never write over what it reads.
  static void refuse_inputs(const std::string& output, const std::vector<std::string>& inputs);

 private:
  enum class mode { rename, direct, truncate, spool };
  void open_stdout();
  void open_path();
  void copy_spool_to_stdout();
  void put_in_place(bool sync);
  bool link_anonymous();
  mode mode_;
  std::string path_, temp_path_, name_;
  int fd_ = -1;
  std::int64_t start_offset_ = 0;
  bool private_ = false, done_ = false, close_fd_ = false;
  bool anonymous_ = false;  // the temporary file has no name yet (O_TMPFILE)
  unsigned narrowed_from_ = 0;
  std::unique_ptr<output_stream> stream_;
};

/// True when KAIIN_SYNC is set (and not 0): outputs are then synced to disk before
/// they are renamed into place, so that they survive a power cut too. The rename is
/// atomic either way, as sed -i, sort -o and rsync do it.
bool sync_wanted();

}  // namespace kaiin
