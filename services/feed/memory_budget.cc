#include "services/feed/memory_budget.h"

#include <algorithm>
#include <utility>

namespace importai::services::feed {
namespace {

// What a charged slice points at: freed by gRPC's destroy callback.
struct ChargedBytes {
  std::string bytes;
  std::shared_ptr<MemoryBudget> budget;
};

}  // namespace

size_t MemoryBudget::held() const {
  absl::MutexLock lock(&mu_);
  return held_;
}

size_t MemoryBudget::peak() const {
  absl::MutexLock lock(&mu_);
  return peak_;
}

MemoryBudget::Wait MemoryBudget::WaitForRoom(size_t wanted,
                                             absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto room = [this, wanted]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return cancelled_ || held_ == 0 || held_ + wanted <= limit_;
  };
  if (!mu_.AwaitWithTimeout(absl::Condition(&room), timeout)) {
    return Wait::kTimedOut;
  }
  return cancelled_ ? Wait::kCancelled : Wait::kRoom;
}

void MemoryBudget::Cancel() {
  absl::MutexLock lock(&mu_);
  cancelled_ = true;
}

void MemoryBudget::Charge(size_t bytes) {
  absl::MutexLock lock(&mu_);
  held_ += bytes;
  peak_ = std::max(peak_, held_);
}

void MemoryBudget::Release(size_t bytes) {
  absl::MutexLock lock(&mu_);
  held_ -= bytes;
}

grpc::Slice MemoryBudget::ChargedSlice(std::shared_ptr<MemoryBudget> budget,
                                       std::string bytes) {
  budget->Charge(bytes.size());
  auto* charged = new ChargedBytes{std::move(bytes), std::move(budget)};
  return grpc::Slice(
      charged->bytes.data(), charged->bytes.size(),
      [](void* user_data) {
        auto* freed = static_cast<ChargedBytes*>(user_data);
        freed->budget->Release(freed->bytes.size());
        delete freed;
      },
      charged);
}

}  // namespace importai::services::feed
