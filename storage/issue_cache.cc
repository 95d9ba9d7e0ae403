#include "storage/issue_cache.h"

#include <utility>

namespace importai::storage {

IssueCache::Bytes IssueCache::Find(int32_t number) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = entries_.find(number);
  return it == entries_.end() ? nullptr : it->second;
}

uint64_t IssueCache::Generation() const {
  absl::ReaderMutexLock lock(&mu_);
  return generation_;
}

void IssueCache::Put(int32_t number, Bytes bytes) {
  absl::MutexLock lock(&mu_);
  ++generation_;
  InsertLocked(number, std::move(bytes));
}

void IssueCache::Fill(int32_t number, Bytes bytes, uint64_t generation) {
  absl::MutexLock lock(&mu_);
  if (generation != generation_) return;
  InsertLocked(number, std::move(bytes));
}

void IssueCache::InsertLocked(int32_t number, Bytes bytes) {
  if (bytes->size() > capacity_bytes_) {
    // Too big to keep; what is cached for `number` is older, so it goes too.
    auto stale = entries_.find(number);
    if (stale != entries_.end()) {
      size_bytes_ -= stale->second->size();
      entries_.erase(stale);
    }
    return;
  }
  auto [it, inserted] = entries_.try_emplace(number, bytes);
  if (!inserted) {
    size_bytes_ -= it->second->size();
    it->second = bytes;
  }
  size_bytes_ += bytes->size();
  while (size_bytes_ > capacity_bytes_) {
    auto victim = entries_.begin();
    if (victim->first == number) victim = std::next(victim);
    size_bytes_ -= victim->second->size();
    entries_.erase(victim);
  }
}

}  // namespace importai::storage
