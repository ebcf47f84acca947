#include "kaiin/io.h"

#include <dirent.h>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <thread>

#include "kaiin/atomic_output.h"
#include "kaiin/error.h"

using namespace kaiin;

namespace {

struct temp_dir {
  std::string path;
  temp_dir() {
    char templ[] = "/tmp/kaiin-io-XXXXXX";
    REQUIRE(mkdtemp(templ));
    path = templ;
  }
  ~temp_dir() { std::system(("rm -rf '" + path + "'").c_str()); }
  int entries() const {
    int n = 0;
    DIR* d = opendir(path.c_str());
    while (dirent* e = readdir(d))
      if (e->d_name[0] != '.' || (e->d_name[1] && e->d_name[1] != '.')) ++n;
    closedir(d);
    return n;
  }
};

std::string slurp(const std::string& path) { return read_file(path); }

}  // namespace

TEST_CASE("atomic output appears only on commit") {
  temp_dir dir;
  std::string target = dir.path + "/out.csv";
  {
    atomic_output out(target);
    out.stream().write("a,b\n");
    out.stream().flush();
    CHECK(access(target.c_str(), F_OK) != 0);  // not there yet
    out.commit();
  }
  CHECK(slurp(target) == "a,b\n");
  CHECK(dir.entries() == 1);
}

TEST_CASE("without a commit the old target is untouched and no temporary file stays") {
  temp_dir dir;
  std::string target = dir.path + "/out.csv";
  {
    atomic_output first(target);
    first.stream().write("old\n");
    first.commit();
  }
  {
    atomic_output second(target);
    second.stream().write("new but failed\n");
    second.stream().flush();
  }
  CHECK(slurp(target) == "old\n");
  CHECK(dir.entries() == 1);
}

TEST_CASE("private outputs are owner-only; others follow the umask or the old file") {
  temp_dir dir;
  std::string target = dir.path + "/secret.csv";
  atomic_output out(target, true);
  out.commit();
  struct stat st {};
  REQUIRE(stat(target.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  chmod(target.c_str(), 0640);
  atomic_output again(target);
  again.commit();
  REQUIRE(stat(target.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0640);
}

// The error names the file as its place (run_tool prints it before the message), and
// the message says what failed and why.
error thrown_by(const std::function<void()>& f) {
  try {
    f();
  } catch (const error& e) {
    return e;
  }
  FAIL("no kaiin::error was thrown");
  return error("");
}

TEST_CASE("a missing input and a missing output folder are errors naming the path") {
  error in = thrown_by([] { file_source("/nonexistent/in.csv"); });
  CHECK(in.file() == "/nonexistent/in.csv");
  CHECK(std::string(in.what()) == "cannot open: No such file or directory");
  error out = thrown_by([] { atomic_output("/nonexistent/dir/out.csv"); });
  CHECK(out.file() == "/nonexistent/dir/out.csv");
  CHECK(std::string(out.what()).starts_with("cannot create a temporary file beside it: "));
}

TEST_CASE("memory_source hands out the chunk size asked for") {
  memory_source src("abcdef", 4);
  char buf[16];
  CHECK(src.read(buf, 16) == 4);
  CHECK(src.read(buf, 16) == 2);
  CHECK(src.read(buf, 16) == 0);
}

TEST_CASE("a FIFO target is written into, never renamed over (as /dev/null must not be)") {
  temp_dir dir;
  std::string fifo = dir.path + "/fifo";
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  std::string got;
  std::thread reader([&] { got = read_file(fifo); });
  {
    atomic_output out(fifo);
    out.stream().write("through the pipe\n");
    out.commit();
  }
  reader.join();
  CHECK(got == "through the pipe\n");
  struct stat st {};
  REQUIRE(lstat(fifo.c_str(), &st) == 0);
  CHECK(S_ISFIFO(st.st_mode));
  CHECK(dir.entries() == 1);
}

TEST_CASE("a symbolic link stays a link; the file it names is replaced") {
  temp_dir dir;
  std::string real = dir.path + "/real.csv", link = dir.path + "/link.csv";
  {
    atomic_output first(real);
    first.stream().write("old\n");
    first.commit();
  }
  REQUIRE(symlink("real.csv", link.c_str()) == 0);
  {
    atomic_output out(link);
    out.stream().write("new\n");
    out.commit();
  }
  struct stat st {};
  REQUIRE(lstat(link.c_str(), &st) == 0);
  CHECK(S_ISLNK(st.st_mode));
  CHECK(slurp(real) == "new\n");
}

namespace {

// Runs \p body on an output_stream of a fresh file (a buffer of up to 1 MiB), then
// checks that the file holds what \p body says it wrote.
void check_written(const std::function<void(output_stream&, std::string&)>& body) {
  temp_dir dir;
  std::string path = dir.path + "/out", expected;
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  REQUIRE(fd >= 0);
  {
    output_stream out(fd, "out", 1 << 20);
    body(out, expected);
  }
  ::close(fd);
  CHECK(slurp(path) == expected);
}

}  // namespace

TEST_CASE("output_stream writes every byte in order while its buffer grows, and big pieces past it") {
  check_written([](output_stream& out, std::string& expected) {
    for (int i = 0; i < 200000; ++i) {  // small pieces: the first buffer fills, then bigger ones
      std::string piece = std::to_string(i) + (i % 7 ? "," : "\n");
      out.write(piece);
      expected += piece;
      if (i % 50000 == 0) {  // and a piece larger than any buffer
        std::string big(3 << 20, static_cast<char>('a' + i % 26));
        out.write(big);
        expected += big;
      }
      if (i % 1000 == 0) {
        out.put('#');
        expected += '#';
      }
    }
    CHECK(out.bytes_written() == expected.size());
    out.flush();
  });
}

TEST_CASE("output_stream keeps what is written into its room, drops the rest, and refuses room past its buffer") {
  check_written([](output_stream& out, std::string& expected) {
    for (int i = 0; i < 100000; ++i) {  // the first buffer fills, grows, then is written out again and again
      std::string piece = std::to_string(i) + "\n";
      char* at = out.room(piece.size() + 40);
      REQUIRE(at != nullptr);
      std::memset(at, '?', piece.size() + 40);  // all of it may be scribbled on
      std::memcpy(at, piece.data(), piece.size());
      if (i % 3 == 0) continue;  // not kept: the next piece goes over it
      out.keep(piece.size());
      expected += piece;
      if (i % 1000 == 0) {
        out.write("w");
        expected += "w";
      }
    }
    CHECK(out.room((1 << 20) + 1) == nullptr);  // more than the biggest buffer: write() it
    out.write("end");
    expected += "end";
    CHECK(out.bytes_written() == expected.size());
    out.release();
    CHECK(out.room(1) == nullptr);  // released: nothing buffered any more
  });
}
