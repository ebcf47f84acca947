#pragma once
// A member file's header read as kaiin-check and kaiin-fix read it, with a JSON
// report to a file: what the unit tests of their stages start from.

#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "checker/check_pipeline.h"
#include "checker/upload_header.h"
#include "core/csv_input.h"
#include "generator.h"
#include "kaiin/diagnostics.h"
#include "members/member_columns.h"
#include "members/profile.h"

namespace kaiin::testing {

struct opened_upload {
  temp_file file;
  std::string report_path = file.path + ".report";
  output_stream out{::open(report_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600), "report"};
  diagnostics diag;
  csv_input in{file.path, source_encoding::auto_detect, diag, is_password_header};
  raw_record header_record;
  std::unique_ptr<detail::upload_header> header;
  opened_upload(const std::string& header_line, const char* tool)
      : file(header_line + "\n"), diag(out, report_format::json, tool) {
    REQUIRE(in.next(header_record));
    header = std::make_unique<detail::upload_header>(in, "", builtin_profiles(), diag);
  }
  ~opened_upload() {
    ::close(out.fd());
    ::unlink(report_path.c_str());
  }
};

/// The rule ids of \p found, in order.
inline std::vector<std::string> rules_of(const std::vector<finding>& found) {
  std::vector<std::string> out;
  for (const finding& f : found) out.push_back(f.rule);
  return out;
}

/// The rule ids of \p found (a batch's), in order.
inline std::vector<std::string> rules_of(const detail::batch_findings& found) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < found.size(); ++i) out.emplace_back(found[i].rule);
  return out;
}

}  // namespace kaiin::testing
