#ifndef IMPORTAI_SERVICES_FEED_LOG_TRIMMER_H_
#define IMPORTAI_SERVICES_FEED_LOG_TRIMMER_H_

#include <cstdint>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "storage/archive_store.h"

namespace importai::services::feed {

// Enforces the revision log's retention every `interval`, on a thread of its
// own: a trim takes the store's write lock, which a checkpoint holds for its
// whole copy, and nothing that serves subscribers may wait on that.
class LogTrimmer {
 public:
  LogTrimmer(storage::ArchiveStore* store, storage::RetentionPolicy retention,
             absl::Duration interval);
  // Stops and joins; a trim under way finishes first.
  ~LogTrimmer();

  // Trims done so far (successful or not).
  int64_t trims() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void Run() ABSL_LOCKS_EXCLUDED(mu_);

  storage::ArchiveStore& store_;
  const storage::RetentionPolicy retention_;
  const absl::Duration interval_;
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  int64_t trims_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread thread_;
};

}  // namespace importai::services::feed

#endif  // IMPORTAI_SERVICES_FEED_LOG_TRIMMER_H_
