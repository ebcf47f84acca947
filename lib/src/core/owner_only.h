#pragma once
// The warning after a file that holds passwords replaced one others could read.
// Private to the library: output_set and the jobs with one output call it.

#include "kaiin/atomic_output.h"
#include "kaiin/diagnostics.h"

namespace kaiin {

/// After commit: a warning (rule output-owner-only) when \p out holds passwords and
/// the file it replaced let others read it, since the new file does not.
void warn_if_narrowed(diagnostics& diag, const atomic_output& out);

}  // namespace kaiin
