#ifndef IMPORTAI_CMD_CLI_BACKOFF_H_
#define IMPORTAI_CMD_CLI_BACKOFF_H_

#include <functional>

#include "absl/time/time.h"

namespace importai::cli {

struct BackoffPolicy {
  absl::Duration initial = absl::Milliseconds(100);
  absl::Duration max = absl::Seconds(10);
  double multiplier = 2.0;
};

// Exponential backoff with full jitter: each wait is uniform in [0, ceiling),
// and the ceiling grows from `initial` by `multiplier` up to `max`. Full
// jitter keeps many clients that lost the same server from reconnecting in
// lockstep when it comes back.
class Backoff {
 public:
  // `uniform01` draws from [0, 1); tests pass a fixed one. Null means a
  // seeded pseudo-random generator.
  explicit Backoff(BackoffPolicy policy = {},
                   std::function<double()> uniform01 = nullptr);

  // The wait before the next attempt; then raises the ceiling.
  absl::Duration NextDelay();
  // After a success: the next wait is drawn below `initial` again.
  void Reset();
  // The bound of the next wait.
  absl::Duration ceiling() const { return ceiling_; }

 private:
  BackoffPolicy policy_;
  std::function<double()> uniform01_;
  absl::Duration ceiling_;
};

}  // namespace importai::cli

#endif  // IMPORTAI_CMD_CLI_BACKOFF_H_
