// A main for the fuzz targets outside libFuzzer: make test builds each target with
// it (the compiler make test uses, no sanitizer) and replays inputs through it, so
// a target that no longer compiles against the library, or whose invariants a
// sample breaks, fails make test and not only make fuzz.
//
// Usage: <target>_replay FILE...
// Each file is given as it is, then once for each first byte 0 to 255 followed by
// the file (the targets read their options from the first byte), so every
// combination of options meets every file.

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

void run(const std::string& bytes) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE...\n", argv[0]);
    return 2;
  }
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "%s: cannot read %s\n", argv[0], argv[i]);
      return 2;
    }
    const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    run(bytes);
    for (int first = 0; first < 256; ++first) run(static_cast<char>(first) + bytes);
  }
  std::printf("%s: %d files replayed\n", argv[0], argc - 1);
  return 0;
}
