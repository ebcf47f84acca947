#pragma once
// The folder a job writes its files into (kaiin-split's and kaiin-crm's -d DIR).
// Private to the library.

#include <string>
#include <vector>

namespace kaiin {

/// The folder \p dir, made when missing as mkdir -p makes it. The folders it made are
/// removed again when it goes, those still empty: a run that wrote nothing into them
/// (it failed, or had nothing to write) leaves no empty folder behind.
class output_folder {
 public:
  /// Makes \p dir and its missing parents; throws kaiin::error naming \p dir when it
  /// cannot, or when \p dir is not a folder.
  explicit output_folder(const std::string& dir);
  /// Removes the folders made that are still empty, deepest first.
  ~output_folder();
  output_folder(const output_folder&) = delete;
  output_folder& operator=(const output_folder&) = delete;

 private:
  void remove_empty() noexcept;
  std::vector<std::string> made_;  // the folders made, outermost first
};

}  // namespace kaiin
