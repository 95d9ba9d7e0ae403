#ifndef IMPORTAI_SERVICES_FEED_WATCH_SUBSCRIBER_H_
#define IMPORTAI_SERVICES_FEED_WATCH_SUBSCRIBER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/server_callback.h"
#include "importai/v1/resources.pb.h"

namespace importai::services::feed {

class FeedHub;

// One WatchIssues stream. Sends revision next_revision_, then the next, with
// at most one write in flight: from its catch-up batch (read from the log
// when it lags behind the hub's window), from the hub's window, or, once
// caught up, waits for the hub to wake it. An idle stream gets a PROGRESS
// event carrying the head when it opens and at least every progress interval
// after; it is only sent when no event is pending, so no event at or below
// it can follow.
//
// Owned by shared pointers: its own (dropped in OnDone) and the hub's while
// it waits or has a timer, so a late wake-up never touches a freed stream.
// Calls into gRPC (StartWrite, Finish) happen outside mu_, guarded by the
// write_in_flight_ and finished_ flags.
class WatchSubscriber final
    : public grpc::ServerWriteReactor<grpc::ByteBuffer>,
      public std::enable_shared_from_this<WatchSubscriber> {
 public:
  WatchSubscriber(FeedHub* hub, int64_t next_revision, v1::IssueView view,
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

  void OnWriteDone(bool ok) override ABSL_LOCKS_EXCLUDED(mu_);
  void OnCancel() override ABSL_LOCKS_EXCLUDED(mu_);
  void OnDone() override;

 private:
  // What Pump decided under mu_, carried out after releasing it.
  struct Step {
    enum Kind { kNothing, kWrite, kFinish, kWait } kind = kNothing;
    grpc::Status status;   // kFinish
    int64_t wait_for = 0;  // kWait
  };

  Step NextStepLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Reads the next catch-up batch from the log into catch_up_.
  Step ReadCatchUpLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Writes the event at next_revision_ and moves past it.
  Step WriteEventLocked(grpc::Slice bytes) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Writes `bytes` and restarts the progress clock.
  Step WriteLocked(grpc::Slice bytes) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  Step FinishLocked(grpc::Status status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Finishes now, or after the write in flight, unless already finishing.
  void RequestFinish(grpc::Status status) ABSL_LOCKS_EXCLUDED(mu_);
  // Returns true when the caller should decide again (the wait raced a
  // publish).
  bool Carry(const Step& step);

  FeedHub* const hub_;
  const v1::IssueView view_;
  const absl::Duration progress_interval_;

  absl::Mutex mu_;
  int64_t next_revision_ ABSL_GUARDED_BY(mu_);
  bool write_in_flight_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<grpc::Status> finish_after_write_ ABSL_GUARDED_BY(mu_);
  // Log entries read ahead, serialized in this stream's view.
  std::vector<grpc::Slice> catch_up_ ABSL_GUARDED_BY(mu_);
  size_t catch_up_next_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Time progress_due_ ABSL_GUARDED_BY(mu_);
  grpc::ByteBuffer out_ ABSL_GUARDED_BY(mu_);
  std::shared_ptr<WatchSubscriber> self_;
};

}  // namespace importai::services::feed

#endif  // IMPORTAI_SERVICES_FEED_WATCH_SUBSCRIBER_H_
