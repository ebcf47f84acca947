#include "core/output_set.h"

#include <algorithm>

#include <unistd.h>

#include <fmt/format.h>
#include <cerrno>

#include "core/owner_only.h"
#include "core/system_io.h"
#include "core/utf16.h"
#include "kaiin/error.h"
#include "kaiin/i18n.h"

namespace kaiin {

namespace {

// syncfs() of the file system that holds \p fd; the page's files are in memory,
// with no disk to sync (and emscripten has no syncfs).
int sync_file_system([[maybe_unused]] int fd) {
#ifdef KAIIN_WEB
  return 0;
#else
  return ::syncfs(fd);
#endif
}

}  // namespace

output_set::~output_set() {
  if (!done_) discard();
}

output_stream& output_set::add(const std::string& path, bool private_mode) {
  outputs_.push_back(std::make_unique<atomic_output>(path, private_mode));
  paths_.push_back(path);
  return outputs_.back()->stream();
}

bool output_set::writes_directly() const {
  return std::any_of(outputs_.begin(), outputs_.end(), [](const auto& o) { return o->writes_directly(); });
}

void output_set::commit() {
  std::size_t committed = 0;
  try {
    // With KAIIN_SYNC, one sync of the file system for the whole set: a sync a file
    // costs a journal commit each, seconds for a few hundred files.
    for (auto& out : outputs_) out->stream().flush();
    if (outputs_.size() > 1 && sync_wanted() && sync_file_system(outputs_.front()->stream().fd()) != 0)
      throw error(format_tr("cannot write: {}", system_message(errno)), paths_.front());
    for (auto& out : outputs_) {
      out->commit(outputs_.size() == 1);
      ++committed;
    }
  } catch (...) {
    for (std::size_t i = 0; i < committed; ++i)  // none or all
      if (paths_[i] != "-") ::unlink(paths_[i].c_str());
    discard();
    throw;
  }
  done_ = true;
}

void output_set::discard() noexcept {
  for (auto& out : outputs_) out->discard();
  done_ = true;
}

void warn_if_narrowed(diagnostics& diag, const atomic_output& out) {
  if (!out.narrowed_from()) return;
  diag.report({out.name(), 0, 0, std::nullopt, severity::warning, "output-owner-only",
               format_tr("the file holds member passwords, so it is now readable by its owner only (0600); the "
                         "file it replaced was {:04o}",
                         out.narrowed_from())});
}

void output_set::warn_if_narrowed(diagnostics& diag) const {
  for (const auto& out : outputs_) kaiin::warn_if_narrowed(diag, *out);
}

bool errors_stop_outputs(const diagnostics& diag, std::uint64_t held_back) {
  return diag.errors() > held_back || diag.limit_reached();
}

namespace {

// With errors reported: \p outputs discarded, and the summary says so under \p key.
template <class Outputs>
bool discard_on_errors(Outputs& outputs, diagnostics& diag, const std::string& key, std::uint64_t held_back = 0) {
  if (!errors_stop_outputs(diag, held_back)) return false;
  outputs.discard();
  if (!key.empty()) diag.summary(key, _("none (errors found)"));
  return true;
}

}  // namespace

int commit_unless_errors(output_set& outputs, diagnostics& diag, const std::string& key, std::uint64_t held_back) {
  if (discard_on_errors(outputs, diag, key, held_back)) return 1;
  outputs.commit();
  outputs.warn_if_narrowed(diag);
  return diag.exit_status();
}

int commit_unless_errors(atomic_output& output, diagnostics& diag, const std::string& key) {
  if (discard_on_errors(output, diag, key)) return 1;
  output.commit();
  warn_if_narrowed(diag, output);
  return 0;
}

bool copy_encoding(output_stream& out, encoding input) {
  if (is_utf16(input)) out.encode_utf16(input == encoding::utf16be);
  return input == encoding::utf8_bom || is_utf16(input);
}

numbered_files::numbered_files(output_set& outputs, std::string dir, std::string stem, std::string preamble,
                               std::uint64_t max_rows, std::uint64_t max_bytes, bool private_mode, encoding input)
    : outputs_(outputs),
      dir_(std::move(dir)),
      stem_(std::move(stem)),
      preamble_(std::move(preamble)),
      max_rows_(max_rows),
      max_bytes_(max_bytes),
      private_(private_mode),
      input_(input) {}

std::string numbered_file_name(const std::string& stem, std::size_t n) { return fmt::format("{}.{:03}.csv", stem, n); }

std::uint64_t numbered_files::size_of(std::string_view text) const {
  return is_utf16(input_) ? detail::utf16_size(text) : text.size();
}

bool numbered_files::fits(std::string_view record) const {
  return max_bytes_ == 0 || size_of(preamble_) + size_of(record) <= max_bytes_;
}

void numbered_files::add(std::string_view record) {
  const std::uint64_t size = max_bytes_ ? size_of(record) : 0;
  bool full = current_ && ((max_rows_ && rows_ >= max_rows_) || (max_bytes_ && bytes_ + size > max_bytes_));
  if (!current_ || full) {
    if (current_) current_->release();  // complete: its buffer is not needed any more
    files_.emplace_back(numbered_file_name(stem_, files_.size() + 1), 0);
    current_ = &outputs_.add(dir_ + "/" + files_.back().first, private_);
    copy_encoding(*current_, input_);
    current_->write(preamble_);
    rows_ = 0;
    bytes_ = max_bytes_ ? size_of(preamble_) : 0;
  }
  current_->write(record);
  ++rows_;
  bytes_ += size;
  ++files_.back().second;
}

}  // namespace kaiin
