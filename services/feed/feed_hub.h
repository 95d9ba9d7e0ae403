#ifndef IMPORTAI_SERVICES_FEED_FEED_HUB_H_
#define IMPORTAI_SERVICES_FEED_FEED_HUB_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/limits.h"
#include "grpcpp/support/server_callback.h"
#include "importai/v1/archive_service.pb.h"
#include "services/feed/catch_up_reader.h"
#include "services/feed/feed_event.h"
#include "services/feed/log_trimmer.h"
#include "storage/archive_store.h"

namespace importai::services::feed {

class WatchSubscriber;

struct FeedOptions {
  // Recent events kept in memory (both views) for subscribers at the tail;
  // older ones are read back from the revision log.
  size_t window_bytes = 16 << 20;
  // Reads of the log for subscribers behind the window, and their budget.
  CatchUpOptions catch_up;
  // How much of the revision log to keep, and how often to enforce it.
  storage::RetentionPolicy retention;
  absl::Duration trim_interval = absl::Seconds(1);
  // Open streams allowed at once; more are RESOURCE_EXHAUSTED.
  size_t max_subscribers = 50'000;
  // The shortest progress_interval a client may ask for: every idle stream
  // costs a write per interval (--min_progress_interval).
  absl::Duration min_progress_interval = kDefaultMinProgressInterval;
};

// Where a subscriber's next revision stands.
struct Lookup {
  enum Kind { kFound, kAhead, kBehind } kind = kBehind;
  grpc::Slice event;          // kFound: the serialized event in the view
  int64_t head_revision = 0;  // kAhead: the head, below the revision asked
};

// The change feed: takes every committed write from the store (in revision
// order, through the store's commit listener), keeps a bounded window of
// recent events serialized once per view, and wakes the subscribers waiting
// for them. One worker thread wakes subscribers and fires progress timers;
// it never touches the disk or waits on the store's write lock: older
// events come from the CatchUpReader's thread, and the LogTrimmer's thread
// trims. There is no thread per subscriber, and ingest never waits on a
// subscriber.
//
// Thread-safe. Must outlive every stream it created: call Shutdown(), then
// stop the gRPC server, then destroy it.
//
// Lock order: the store's write lock (Publish runs under it), then
// WatchSubscriber::mu_, then FeedHub::mu_, then CatchUpReader::mu_, then
// MemoryBudget::mu_; the OnPublish observer's lock (RevisionGate::mu_) comes
// after FeedHub::mu_. Nothing holding FeedHub::mu_ calls the store (beyond
// its atomic revision reads) or a subscriber: wake-ups, timers and catch-up
// answers reach subscribers with no hub or reader lock held.
class FeedHub {
 public:
  FeedHub(storage::ArchiveStore* store, FeedOptions options);
  ~FeedHub();

  // The reactor for one WatchIssues call. Errors (OUT_OF_RANGE for a start
  // older than the retained log, RESOURCE_EXHAUSTED past max_subscribers,
  // UNAVAILABLE when shutting down) finish the
  // stream at once.
  grpc::ServerWriteReactor<grpc::ByteBuffer>* Watch(
      grpc::CallbackServerContext* context, int64_t start_revision,
      v1::IssueView view, absl::Duration progress_interval)
      ABSL_LOCKS_EXCLUDED(mu_);

  v1::FeedInfo Info() ABSL_LOCKS_EXCLUDED(mu_);

  // Calls `observer` after each publish, under the store's write lock, so it
  // must return at once. REQUIRES: before the store takes writes.
  void OnPublish(std::function<void()> observer) {
    on_publish_ = std::move(observer);
  }

  // Ends every open stream with UNAVAILABLE and refuses new ones.
  void Shutdown() ABSL_LOCKS_EXCLUDED(mu_);

  // Number of open streams.
  size_t subscriber_count() ABSL_LOCKS_EXCLUDED(mu_);

  // For WatchSubscriber only (REQUIRES: called from a stream this hub
  // created, without the hub's lock). ----------------------------------------
  Lookup Find(int64_t revision, v1::IssueView view) ABSL_LOCKS_EXCLUDED(mu_);
  // Queues `subscriber` to be pumped once `revision` is published. Returns
  // false, queuing nothing, if it already has been.
  bool WaitFor(const std::shared_ptr<WatchSubscriber>& subscriber,
               int64_t revision) ABSL_LOCKS_EXCLUDED(mu_);
  void ArmTimer(const std::shared_ptr<WatchSubscriber>& subscriber,
                absl::Time deadline) ABSL_LOCKS_EXCLUDED(mu_);
  void Unregister(WatchSubscriber* subscriber) ABSL_LOCKS_EXCLUDED(mu_);
  CatchUpReader& catch_up() { return catch_up_; }
  absl::Duration min_progress_interval() const {
    return options_.min_progress_interval;
  }
  // Bytes of the in-memory window, both views.
  size_t window_bytes() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void Publish(const std::vector<storage::CommittedEntry>& committed)
      ABSL_LOCKS_EXCLUDED(mu_);
  void RunWorker() ABSL_LOCKS_EXCLUDED(mu_);
  std::vector<std::shared_ptr<WatchSubscriber>> LiveSubscribers()
      ABSL_LOCKS_EXCLUDED(mu_);
  // The catch-up reader's EndStalled.
  void EndStalledCatchUps(absl::Time started_before, size_t bytes_to_free)
      ABSL_LOCKS_EXCLUDED(mu_);
  bool WorkerHasWork() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  storage::ArchiveStore& store_;
  const FeedOptions options_;

  absl::Mutex mu_;
  // Events (window_oldest_ .. head_) in revision order.
  std::deque<FeedEvent> window_ ABSL_GUARDED_BY(mu_);
  size_t window_bytes_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t head_ ABSL_GUARDED_BY(mu_) = 0;
  bool shutting_down_ ABSL_GUARDED_BY(mu_) = false;
  bool stop_worker_ ABSL_GUARDED_BY(mu_) = false;
  absl::flat_hash_map<WatchSubscriber*, std::weak_ptr<WatchSubscriber>> live_
      ABSL_GUARDED_BY(mu_);
  // Parked until the next publish; moved to to_wake_ for the worker.
  absl::flat_hash_map<WatchSubscriber*, std::shared_ptr<WatchSubscriber>>
      waiting_ ABSL_GUARDED_BY(mu_);
  std::vector<std::shared_ptr<WatchSubscriber>> to_wake_ ABSL_GUARDED_BY(mu_);
  std::multimap<absl::Time, std::weak_ptr<WatchSubscriber>> timers_
      ABSL_GUARDED_BY(mu_);
  absl::CondVar worker_cv_;
  CatchUpReader catch_up_;
  std::function<void()> on_publish_;
  std::optional<LogTrimmer> trimmer_;
  std::thread worker_;
};

}  // namespace importai::services::feed

#endif  // IMPORTAI_SERVICES_FEED_FEED_HUB_H_
