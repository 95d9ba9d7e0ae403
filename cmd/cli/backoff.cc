#include "cmd/cli/backoff.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "absl/random/random.h"

namespace importai::cli {

Backoff::Backoff(BackoffPolicy policy, std::function<double()> uniform01)
    : policy_(policy), uniform01_(std::move(uniform01)) {
  Reset();
  if (uniform01_ == nullptr) {
    // std::function needs a copyable callable; BitGen is move-only.
    auto random = std::make_shared<absl::BitGen>();
    uniform01_ = [random] { return absl::Uniform(*random, 0.0, 1.0); };
  }
}

void Backoff::Reset() { ceiling_ = std::min(policy_.initial, policy_.max); }

absl::Duration Backoff::NextDelay() {
  const absl::Duration delay = ceiling_ * uniform01_();
  ceiling_ = std::min(ceiling_ * policy_.multiplier, policy_.max);
  return delay;
}

}  // namespace importai::cli
