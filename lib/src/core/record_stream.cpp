#include "core/record_stream.h"

#include "core/record_batches.h"

namespace kaiin::detail {

void raw_batch::add() {
  raw_record& r = records_[size_++];
  if (starts_.size() < size_) starts_.resize(size_);
  starts_[size_ - 1] = bytes_.size();
  bytes_.append(r.text);
  bytes_.append(r.newline);
}

void raw_batch::seal() {
  for (std::size_t i = 0; i < size_; ++i) {
    raw_record& r = records_[i];
    r.text = std::string_view(bytes_.data() + starts_[i], r.text.size());
    r.newline = std::string_view(r.text.data() + r.text.size(), r.newline.size());
  }
}

void for_each_record(const std::function<bool(raw_record&)>& read, bool threaded,
                     const std::function<bool(const raw_record&)>& take) {
  if (!threaded) {
    for (raw_record r; read(r);)
      if (!take(r)) return;
    return;
  }
  batch_reader<raw_batch> batches(
      [&](raw_batch& b) {
        bool more = true;
        try {
          while (more && !b.full()) {
            more = read(b.slot());
            if (more) b.add();
          }
        } catch (...) {  // thrown after the records before it are taken, as without a thread
          b.failure = std::current_exception();
          more = false;
        }
        b.seal();
        return more;
      },
      true);
  while (raw_batch* b = batches.next()) {
    for (std::size_t i = 0; i < b->size(); ++i)
      if (!take((*b)[i])) return;  // batches' destructor stops the reading thread
    if (b->failure) std::rethrow_exception(b->failure);
  }
}

}  // namespace kaiin::detail
