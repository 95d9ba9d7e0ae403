#ifndef IMPORTAI_SERVICES_FEED_CATCH_UP_READER_H_
#define IMPORTAI_SERVICES_FEED_CATCH_UP_READER_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/support/slice.h"
#include "importai/v1/resources.pb.h"
#include "services/feed/memory_budget.h"
#include "storage/archive_store.h"

namespace importai::services::feed {

struct CatchUpOptions {
  // Bytes of log events read for lagging subscribers that the server holds
  // at once, in its cache and in writes not yet done
  // (--feed_catch_up_budget_mb).
  size_t budget_bytes = 64 << 20;
  // One read: at most this many entries and, past the first, these bytes.
  int batch = 16;
  size_t batch_bytes = 256 << 10;
  // How long a read may wait for room before the streams holding catch-up
  // bytes unsent since then are ended (--feed_stall_timeout).
  absl::Duration stall_timeout = absl::Seconds(30);
};

// Told the event at the revision it asked for, or why there is none.
class CatchUpWaiter {
 public:
  virtual ~CatchUpWaiter() = default;
  virtual void OnCatchUp(absl::StatusOr<grpc::Slice> event) = 0;
};

// Reads the revision log for subscribers that fell behind the hub's window,
// on its own thread, so neither the feed's worker nor gRPC's threads wait on
// the disk. Subscribers at the same revision and view share one read and the
// same bytes; a batch read ahead stays cached for the next in line.
//
// Memory is bounded by a budget that counts every byte read until its last
// reference is gone (cache, a subscriber's write, gRPC's transport): a
// client that opens streams at old revisions and never reads pins at most
// the budget, plus the one event that crosses it. A read waits until its
// batch fits (dropping the cache first); when it has waited stall_timeout,
// `end_stalled` is asked to end enough of the streams that have held
// catch-up bytes unsent for that long, so such a client cannot starve the
// others.
class CatchUpReader {
 public:
  // Ends streams whose catch-up write started before the given time and has
  // not completed, the longest stalled first, until they held the given
  // number of bytes.
  using EndStalled =
      std::function<void(absl::Time started_before, size_t bytes_to_free)>;

  CatchUpReader(storage::ArchiveStore* store, CatchUpOptions options,
                EndStalled end_stalled);
  ~CatchUpReader();

  // The event at `revision` in `view`, if a recent read holds it. Otherwise
  // queues a read and returns nullopt; `waiter` hears once, on the reader's
  // thread: the event, OUT_OF_RANGE if the log no longer holds it, or the
  // store's error.
  std::optional<grpc::Slice> Get(int64_t revision, v1::IssueView view,
                                 std::shared_ptr<CatchUpWaiter> waiter)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Ends the reader's thread; queued waiters are dropped unanswered.
  void Stop() ABSL_LOCKS_EXCLUDED(mu_);

  // Bytes held now, and the most ever held.
  size_t held_bytes() const { return budget_->held(); }
  size_t budget_bytes() const { return budget_->limit(); }
  size_t peak_held_bytes() const { return budget_->peak(); }
  // Store reads done so far.
  int64_t reads() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  using Key = std::pair<int, int64_t>;  // (view, revision)
  using Delivery =
      std::pair<std::shared_ptr<CatchUpWaiter>, absl::StatusOr<grpc::Slice>>;

  void Run() ABSL_LOCKS_EXCLUDED(mu_);
  // Drops cached events, oldest first, until a read fits the budget.
  void EvictLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Waits until a read fits, ending stalled streams when it takes long;
  // false once stopped.
  bool WaitForRoom();
  // Reads from `key` on, caches what it read and answers the waiters.
  std::vector<Delivery> Read(const Key& key) ABSL_LOCKS_EXCLUDED(mu_);
  void AnswerLocked(const Key& key, const absl::StatusOr<grpc::Slice>& event,
                    std::vector<Delivery>* out)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  storage::ArchiveStore& store_;
  const CatchUpOptions options_;
  const EndStalled end_stalled_;
  // Shared with every slice read, which releases its bytes when freed.
  const std::shared_ptr<MemoryBudget> budget_;

  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  // Weak: a stream that ends while it waits is not kept, nor read for.
  std::map<Key, std::vector<std::weak_ptr<CatchUpWaiter>>> waiters_
      ABSL_GUARDED_BY(mu_);
  std::deque<Key> queue_ ABSL_GUARDED_BY(mu_);
  std::map<Key, grpc::Slice> cache_ ABSL_GUARDED_BY(mu_);
  std::deque<Key> cache_order_ ABSL_GUARDED_BY(mu_);
  int64_t reads_ ABSL_GUARDED_BY(mu_) = 0;
  absl::CondVar work_cv_;
  std::thread thread_;
};

}  // namespace importai::services::feed

#endif  // IMPORTAI_SERVICES_FEED_CATCH_UP_READER_H_
