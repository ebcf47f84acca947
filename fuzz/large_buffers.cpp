// The fuzz targets' own operator new[] and delete[]: blocks of 16 MiB or more are
// kept and handed out again instead of being given back.
//
// fast-cpp-csv-parser allocates 48 MB (three blocks of 16 MiB) for every file it
// opens, profiles and rank lists among them. Under AddressSanitizer each such
// allocation and free poisons its shadow and faults in fresh pages: perf showed
// two thirds of check_fuzz's time there, and fixed_csv_fuzz ran 20 inputs a
// second. Recycled, the buffer costs nothing after the first input. Smaller
// allocations go to malloc as before, so ASan checks them as it checks everything.
// (A reused block hides a use after free inside the parser's own buffer only.)

#include <cstdlib>
#include <mutex>
#include <new>

namespace {

constexpr std::size_t large = std::size_t{16} << 20;

struct kept_block {
  void* block = nullptr;
  std::size_t size = 0;
  bool in_use = false;
};

std::mutex mutex;
kept_block kept[8];

void* allocate(std::size_t n) {
  if (n >= large) {
    std::lock_guard lock(mutex);
    for (kept_block& k : kept) {
      if (k.block && !k.in_use && k.size == n) {
        k.in_use = true;
        return k.block;
      }
    }
    for (kept_block& k : kept) {
      if (!k.block) {
        k = {std::malloc(n), n, true};
        if (!k.block) throw std::bad_alloc();
        return k.block;
      }
    }
  }
  void* p = std::malloc(n ? n : 1);
  if (!p) throw std::bad_alloc();
  return p;
}

void release(void* p) noexcept {
  if (!p) return;
  {
    std::lock_guard lock(mutex);
    for (kept_block& k : kept) {
      if (k.block == p) {
        k.in_use = false;
        return;
      }
    }
  }
  std::free(p);
}

}  // namespace

void* operator new[](std::size_t n) { return allocate(n); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete[](void* p, std::size_t) noexcept { release(p); }
