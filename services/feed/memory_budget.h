#ifndef IMPORTAI_SERVICES_FEED_MEMORY_BUDGET_H_
#define IMPORTAI_SERVICES_FEED_MEMORY_BUDGET_H_

#include <cstddef>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/support/slice.h"

namespace importai::services::feed {

// A count of bytes held against a limit. Thread-safe.
class MemoryBudget {
 public:
  explicit MemoryBudget(size_t limit) : limit_(limit) {}

  size_t limit() const { return limit_; }
  size_t held() const ABSL_LOCKS_EXCLUDED(mu_);
  size_t peak() const ABSL_LOCKS_EXCLUDED(mu_);

  enum class Wait { kRoom, kTimedOut, kCancelled };
  // Blocks until `wanted` more bytes fit under the limit, or nothing is
  // held (so a limit below `wanted` still lets one through), for at most
  // `timeout`; kCancelled once Cancel() was called.
  Wait WaitForRoom(size_t wanted, absl::Duration timeout)
      ABSL_LOCKS_EXCLUDED(mu_);
  // Wakes and fails every WaitForRoom, now and later.
  void Cancel() ABSL_LOCKS_EXCLUDED(mu_);

  // A slice owning `bytes`, charged to `budget` until its last reference
  // (ours, or gRPC's while it sends them) is gone.
  static grpc::Slice ChargedSlice(std::shared_ptr<MemoryBudget> budget,
                                  std::string bytes);

 private:
  void Charge(size_t bytes) ABSL_LOCKS_EXCLUDED(mu_);
  void Release(size_t bytes) ABSL_LOCKS_EXCLUDED(mu_);

  const size_t limit_;
  mutable absl::Mutex mu_;
  size_t held_ ABSL_GUARDED_BY(mu_) = 0;
  size_t peak_ ABSL_GUARDED_BY(mu_) = 0;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace importai::services::feed

#endif  // IMPORTAI_SERVICES_FEED_MEMORY_BUDGET_H_
