#ifndef IMPORTAI_SERVICES_FEED_WATCH_SUBSCRIBER_H_
#define IMPORTAI_SERVICES_FEED_WATCH_SUBSCRIBER_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <thread>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/server_callback.h"
#include "importai/v1/resources.pb.h"
#include "services/feed/catch_up_reader.h"

namespace importai::services::feed {

class FeedHub;

// One WatchIssues stream. Sends revision next_revision_, then the next, with
// at most one write in flight: from the hub's window, from the hub's
// CatchUpReader when it lags behind the window (waiting for its answer if
// it must read), or, once caught up, waits for the hub to wake it. An idle
// stream gets a PROGRESS event carrying the head when it opens and at least
// every progress interval after; it is only sent when no event is pending, so
// no event at or below it can follow.
//
// Owned by shared pointers: its own (dropped in OnDone) and the hub's while
// it waits or has a timer, so a late wake-up never touches a freed stream.
// Calls into gRPC (StartWrite, Finish) happen outside mu_, guarded by the
// write_in_flight_ and finished_ flags.
class WatchSubscriber final
    : public grpc::ServerWriteReactor<grpc::ByteBuffer>,
      public CatchUpWaiter,
      public std::enable_shared_from_this<WatchSubscriber> {
 public:
  WatchSubscriber(FeedHub* hub, grpc::CallbackServerContext* context,
                  int64_t next_revision, v1::IssueView view,
                  absl::Duration progress_interval);

  // Takes the self-reference that keeps the stream alive until OnDone().
  void Adopt();
  // Arms the progress timer and sends what it can.
  void Start();
  // Sends the next event if it can, else waits for one.
  void Pump() ABSL_LOCKS_EXCLUDED(mu_);
  void OnProgressTimer() ABSL_LOCKS_EXCLUDED(mu_);
  // Ends the stream with UNAVAILABLE, naming the revision to resume from.
  void EndForShutdown() ABSL_LOCKS_EXCLUDED(mu_);
  // Cancels the call if a catch-up event's write started before
  // `started_before` and is still in flight: the client is not reading, and
  // the bytes it pins keep other subscribers' catch-up reads waiting.
  // True if it did.
  bool EndIfStalled(absl::Time started_before) ABSL_LOCKS_EXCLUDED(mu_);
  // When its catch-up write in flight started, if before `started_before`,
  // and the bytes it holds.
  std::optional<std::pair<absl::Time, size_t>> StalledCatchUp(
      absl::Time started_before) ABSL_LOCKS_EXCLUDED(mu_);
  // The catch-up read it waited for: the event at next_revision_, or why
  // there is none.
  void OnCatchUp(absl::StatusOr<grpc::Slice> event) override
      ABSL_LOCKS_EXCLUDED(mu_);

  void OnWriteDone(bool ok) override ABSL_LOCKS_EXCLUDED(mu_);
  void OnCancel() override ABSL_LOCKS_EXCLUDED(mu_);
  // Holds context_mu_ unless called within EndIfStalled's cancel.
  void OnDone() override ABSL_NO_THREAD_SAFETY_ANALYSIS;

 private:
  // What Pump decided under mu_, carried out after releasing it.
  struct Step {
    enum Kind { kNothing, kWrite, kFinish, kWait } kind = kNothing;
    grpc::Status status;   // kFinish
    int64_t wait_for = 0;  // kWait
  };

  Step NextStepLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Takes the event at next_revision_ from the catch-up reader, or waits
  // for it to be read.
  Step CatchUpLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Writes the event at next_revision_ and moves past it.
  Step WriteEventLocked(grpc::Slice bytes) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The same, for an event the catch-up reader holds against its budget.
  Step WriteCatchUpLocked(grpc::Slice bytes) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Writes `bytes` and restarts the progress clock.
  Step WriteLocked(grpc::Slice bytes) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  Step FinishLocked(grpc::Status status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Finishes now, or after the write in flight, unless already finishing.
  void RequestFinish(grpc::Status status) ABSL_LOCKS_EXCLUDED(mu_);
  // Returns true when the caller should decide again (the wait raced a
  // publish).
  bool Carry(const Step& step);

  FeedHub* const hub_;
  // Null from OnDone on, when gRPC is done with it. Taken before mu_.
  absl::Mutex context_mu_;
  grpc::CallbackServerContext* context_ ABSL_GUARDED_BY(context_mu_);
  // The thread inside EndIfStalled's cancel, if any.
  std::atomic<std::thread::id> cancelling_thread_{std::thread::id()};
  const v1::IssueView view_;
  const absl::Duration progress_interval_;

  absl::Mutex mu_;
  int64_t next_revision_ ABSL_GUARDED_BY(mu_);
  bool write_in_flight_ ABSL_GUARDED_BY(mu_) = false;
  // When the write in flight started, if it sends a catch-up event.
  std::optional<absl::Time> catch_up_write_started_ ABSL_GUARDED_BY(mu_);
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<grpc::Status> finish_after_write_ ABSL_GUARDED_BY(mu_);
  // A catch-up read asked for and not yet answered; its answer.
  bool catch_up_pending_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<absl::StatusOr<grpc::Slice>> caught_up_ ABSL_GUARDED_BY(mu_);
  absl::Time progress_due_ ABSL_GUARDED_BY(mu_);
  grpc::ByteBuffer out_ ABSL_GUARDED_BY(mu_);
  std::shared_ptr<WatchSubscriber> self_;
};

}  // namespace importai::services::feed

#endif  // IMPORTAI_SERVICES_FEED_WATCH_SUBSCRIBER_H_
