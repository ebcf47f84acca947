#pragma once
/// \file
/// A set of outputs that appear together or not at all (kaiin-split's files,
/// kaiin-crm's customers.csv and orders.csv): each written to a temporary file beside
/// its target, all renamed into place by one commit.

#include <memory>
#include <string>
#include <vector>

#include "kaiin/diagnostics.h"
#include "kaiin/io.h"

namespace kaiin {

/// Outputs that appear together or not at all: each is written to a temporary file
/// beside its target, and commit() renames them all. Without a commit none exists.
/// (Should a rename fail halfway, the ones already renamed are removed again.)
class output_set {
 public:
  output_set() = default;
  ~output_set();
  output_set(const output_set&) = delete;
  output_set& operator=(const output_set&) = delete;

  /// A new member of the set, written to \p path ("-" for standard output).
  output_stream& add(const std::string& path, bool private_mode = false);
  void commit();
  void discard() noexcept;
  std::size_t size() const { return outputs_.size(); }
  /// warn_if_narrowed() for each file of the set.
  void warn_if_narrowed(diagnostics& diag) const;

 private:
  std::vector<std::unique_ptr<atomic_output>> outputs_;
  std::vector<std::string> paths_;
  bool done_ = false;
};

/// After commit: a warning (rule output-owner-only) when \p out holds passwords and
/// the file it replaced let others read it, since the new file does not.
void warn_if_narrowed(diagnostics& diag, const atomic_output& out);

}  // namespace kaiin
