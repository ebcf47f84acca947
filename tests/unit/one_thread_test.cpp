// The one-thread path (record_batches.h's set_one_thread, the page's only path):
// kaiin-check, kaiin-fix and kaiin-conv on a file big enough for their threads give
// the same findings in the same order, and the same outputs byte for byte, when
// every stage runs in turn on the calling thread.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <string>

#include "core/record_batches.h"
#include "generator.h"
#include "kaiin/check.h"
#include "kaiin/conv.h"
#include "kaiin/fix.h"
#include "kaiin/io.h"

using namespace kaiin;

namespace {

const date the_day{2026, 11, 23};

// samples/upload_broken.csv's records again and again, past the size that gets a
// reading thread: every rule it breaks on every batch, and duplicates across them.
std::string big_upload() {
  const std::string sample = read_file(KAIIN_SOURCE_DIR "/samples/upload_broken.csv");
  const std::size_t body = sample.find('\n') + 1;
  std::string text = sample;
  while (text.size() < 2 * detail::threaded_from) text += sample.substr(body);
  return text;
}

// What \p job reports (JSON Lines), with threads or on one thread.
template <class Job>
std::string report_of(Job job, bool one_thread, const std::string& tool) {
  detail::set_one_thread(one_thread);
  char name[] = "/tmp/kaiin-report-XXXXXX";
  int fd = ::mkstemp(name);
  {
    output_stream out(fd, name);
    diagnostics diag(out, report_format::json, tool);
    job(diag);
    diag.finish();
  }
  ::close(fd);
  detail::set_one_thread(false);
  std::string report = read_file(name);
  ::unlink(name);
  return report;
}

}  // namespace

TEST_CASE("one thread: kaiin-check, kaiin-fix and kaiin-conv find and write what their threads do") {
  testing::temp_file upload(big_upload());
  REQUIRE(detail::worth_a_thread(big_upload().size()));  // the threaded path, unless one thread is asked for
  detail::set_one_thread(true);
  CHECK_FALSE(detail::worth_a_thread(big_upload().size()));
  detail::set_one_thread(false);

  auto check = [&](diagnostics& diag) {
    check_options o;
    o.files = {upload.path};
    o.today = the_day;
    run_check(o, diag);
  };
  const std::string checked = report_of(check, false, "kaiin-check");
  CHECK(checked.size() > 100000);  // thousands of findings
  CHECK(report_of(check, true, "kaiin-check") == checked);

  const std::string copy = upload.path + ".fixed", changes = upload.path + ".changes";
  auto fix = [&](diagnostics& diag) {
    fix_options o;
    o.input = upload.path;
    o.output = copy;
    o.changes = changes;
    o.today = the_day;
    run_fix(o, diag);
  };
  const std::string fixed_report = report_of(fix, false, "kaiin-fix");
  const std::string fixed = read_file(copy), changed = read_file(changes);
  CHECK(fixed != read_file(upload.path));
  CHECK(report_of(fix, true, "kaiin-fix") == fixed_report);
  CHECK(read_file(copy) == fixed);
  CHECK(read_file(changes) == changed);

  const std::string converted = upload.path + ".utf8";
  auto conv = [&](diagnostics& diag) {
    conv_options o;
    o.input = upload.path;
    o.output = converted;
    o.to = encoding::utf8;
    run_conv(o, diag);
  };
  const std::string conv_report = report_of(conv, false, "kaiin-conv");
  const std::string utf8 = read_file(converted);
  CHECK(utf8.size() > read_file(upload.path).size());
  CHECK(report_of(conv, true, "kaiin-conv") == conv_report);
  CHECK(read_file(converted) == utf8);
  for (const std::string& path : {copy, changes, converted}) ::unlink(path.c_str());
}

TEST_CASE("one thread: kaiin-check --current loads a big export as its reading thread does") {
  // An export past the size that gets a reading thread, with what its reading reports
  // (a byte that is not UTF-8, a row without an ID, an ID twice, a ragged row) spread
  // over every batch, and addresses whose keys fold.
  std::string text =
      "control,cus_id,cus_password,crypted_pass,cus_last_name,cus_first_name,cus_email,cus_mobile_email,cus_zip,"
      "cus_pref,cus_address1,cus_tel,cus_mailmag,cus_memo\n";
  for (int i = 0; text.size() < 2 * detail::threaded_from; ++i) {
    const std::string id = i % 97 == 5 ? "" : std::to_string(i % 89 == 7 ? 100000 + i - 1 : 100000 + i);
    const std::string email =
        i % 7 == 0 ? "ＵＳＥＲ" + std::to_string(i) + "＠Example.jp " : "user" + std::to_string(i) + "@example.jp";
    text += "," + id + ",x,1,山田,太郎," + email + "," + (i % 3 == 0 ? "m" + std::to_string(i) + "@docomo.ne.jp" : "") +
            ",100-0001,東京都,千代田区千代田1,03-1234-5678,1," + (i % 101 == 3 ? "memo \xFF" : "memo") +
            (i % 211 == 9 ? ",extra" : "") + "\n";
  }
  testing::temp_file current(text);
  REQUIRE(detail::worth_a_thread(text.size()));
  testing::temp_file upload(read_file(KAIIN_SOURCE_DIR "/samples/upload_broken.csv"));
  auto check = [&](diagnostics& diag) {
    check_options o;
    o.files = {upload.path};
    o.current = current.path;
    o.today = the_day;
    run_check(o, diag);
  };
  const std::string checked = report_of(check, false, "kaiin-check");
  CHECK(checked.find("encoding-invalid") != std::string::npos);  // the export's own findings are there
  CHECK(checked.find("csv-field-count") != std::string::npos);
  CHECK(report_of(check, true, "kaiin-check") == checked);
}
