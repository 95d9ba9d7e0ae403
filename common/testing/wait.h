#ifndef IMPORTAI_COMMON_TESTING_WAIT_H_
#define IMPORTAI_COMMON_TESTING_WAIT_H_

#include <functional>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace importai::testing {

// Polls `condition` until it holds; false if it still does not after
// `timeout`. The timeout only stops a broken build from hanging: it is far
// longer than any condition takes on a loaded machine, and nothing is
// measured by it.
inline bool WaitUntil(const std::function<bool()>& condition,
                      absl::Duration timeout = absl::Seconds(60)) {
  const absl::Time give_up = absl::Now() + timeout;
  while (!condition()) {
    if (absl::Now() > give_up) return false;
    absl::SleepFor(absl::Milliseconds(2));
  }
  return true;
}

}  // namespace importai::testing

#endif  // IMPORTAI_COMMON_TESTING_WAIT_H_
