#pragma once
// What io.cpp, atomic_output.cpp and the other writers share: the system's
// message for an errno, a failed system call turned into a kaiin::error, and an
// unlinked temporary file. Private to the library.

#include <string>

namespace kaiin {

/// The system's message for errno \p err, in the user's locale.
std::string system_message(int err);

}  // namespace kaiin

namespace kaiin::detail {

/// Throws kaiin::error "WHAT: the system's reason" with \p name as its place; \p what
/// ("cannot open") is marked N_() where it is written and translated here.
[[noreturn]] void fail(const char* what, const std::string& name, int err);

/// An unlinked temporary file in $TMPDIR (or /tmp), open for reading and writing:
/// gone when closed, whatever happens. Throws kaiin::error when none can be made.
int anonymous_temp_file();
/// The folder anonymous_temp_file() makes its files in: $TMPDIR, else /tmp.
std::string temp_folder();

}  // namespace kaiin::detail
