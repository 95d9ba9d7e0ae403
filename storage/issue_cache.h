#ifndef IMPORTAI_STORAGE_ISSUE_CACHE_H_
#define IMPORTAI_STORAGE_ISSUE_CACHE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

namespace importai::storage {

// Serialized full issues by number, so the hottest read (GetIssue FULL) is a
// hash lookup and a reference-counted buffer, with no RocksDB read, parse or
// serialization. Bounded in bytes; when full, arbitrary entries are evicted.
//
// Thread-safe. Coherence with the store: writers call Put() after their batch
// commits; a reader that missed calls Fill() with what it read from RocksDB,
// which is dropped if any Put() happened since the reader's Generation(), so
// a stale read never overwrites a newer write.
class IssueCache {
 public:
  using Bytes = std::shared_ptr<const std::string>;

  explicit IssueCache(size_t capacity_bytes)
      : capacity_bytes_(capacity_bytes) {}

  // The cached bytes of `number`, or null.
  Bytes Find(int32_t number) const ABSL_LOCKS_EXCLUDED(mu_);

  // Counts Put() calls; read it before a RocksDB read that may Fill().
  uint64_t Generation() const ABSL_LOCKS_EXCLUDED(mu_);

  // Stores the bytes a write just committed. Bytes larger than the whole
  // cache are not kept, and evict what was cached for `number` (now stale).
  void Put(int32_t number, Bytes bytes) ABSL_LOCKS_EXCLUDED(mu_);

  // Stores bytes read at `generation`, unless a Put() came since.
  void Fill(int32_t number, Bytes bytes, uint64_t generation)
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void InsertLocked(int32_t number, Bytes bytes)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const size_t capacity_bytes_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<int32_t, Bytes> entries_ ABSL_GUARDED_BY(mu_);
  size_t size_bytes_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace importai::storage

#endif  // IMPORTAI_STORAGE_ISSUE_CACHE_H_
