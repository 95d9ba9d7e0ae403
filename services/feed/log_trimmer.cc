#include "services/feed/log_trimmer.h"

#include "absl/time/clock.h"

namespace importai::services::feed {

LogTrimmer::LogTrimmer(storage::ArchiveStore* store,
                       storage::RetentionPolicy retention,
                       absl::Duration interval)
    : store_(*store), retention_(retention), interval_(interval) {
  thread_ = std::thread([this] { Run(); });
}

LogTrimmer::~LogTrimmer() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  thread_.join();
}

int64_t LogTrimmer::trims() {
  absl::MutexLock lock(&mu_);
  return trims_;
}

void LogTrimmer::Run() {
  for (;;) {
    // A failed trim leaves more history than asked; the next one retries.
    store_.TrimRevisionLog(retention_, absl::Now()).IgnoreError();
    absl::MutexLock lock(&mu_);
    ++trims_;
    mu_.AwaitWithTimeout(absl::Condition(&stop_), interval_);
    if (stop_) return;
  }
}

}  // namespace importai::services::feed
