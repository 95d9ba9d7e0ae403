#include "services/feed/watch_subscriber.h"

#include "absl/time/clock.h"
#include "services/feed/feed_errors.h"
#include "services/feed/feed_event.h"
#include "services/feed/feed_hub.h"
#include "services/grpc_status.h"

namespace importai::services::feed {

WatchSubscriber::WatchSubscriber(FeedHub* hub, int64_t next_revision,
                                 v1::IssueView view,
                                 absl::Duration progress_interval)
    : hub_(hub),
      view_(view),
      progress_interval_(progress_interval),
      next_revision_(next_revision) {}

void WatchSubscriber::Adopt() { self_ = shared_from_this(); }

void WatchSubscriber::Start() {
  // Due at once: a stream with nothing to replay opens with a PROGRESS, so
  // the client knows its subscription is live and where the head is.
  const absl::Time due = absl::Now();
  {
    absl::MutexLock lock(&mu_);
    progress_due_ = due;
  }
  hub_->ArmTimer(shared_from_this(), due);
  Pump();
}

void WatchSubscriber::Pump() {
  Step step;
  do {
    absl::MutexLock lock(&mu_);
    if (finished_ || write_in_flight_) return;
    step = finish_after_write_ ? FinishLocked(*finish_after_write_)
                               : NextStepLocked();
  } while (Carry(step));
}

bool WatchSubscriber::Carry(const Step& step) {
  switch (step.kind) {
    case Step::kWrite:
      StartWrite(&out_);  // out_ stays untouched until OnWriteDone
      return false;
    case Step::kFinish:
      Finish(step.status);
      return false;
    case Step::kWait:
      return !hub_->WaitFor(shared_from_this(), step.wait_for);
    case Step::kNothing:
      return false;
  }
  return false;
}

WatchSubscriber::Step WatchSubscriber::NextStepLocked() {
  if (caught_up_) {
    absl::StatusOr<grpc::Slice> event = std::move(*caught_up_);
    caught_up_.reset();
    if (!event.ok()) return FinishLocked(ToGrpcStatus(event.status()));
    return WriteEventLocked(*std::move(event));
  }
  Lookup found = hub_->Find(next_revision_, view_);
  switch (found.kind) {
    case Lookup::kFound:
      return WriteEventLocked(std::move(found.event));
    case Lookup::kBehind:
      return CatchUpLocked();
    case Lookup::kAhead:
      break;
  }
  Step wait;
  wait.kind = Step::kWait;
  wait.wait_for = next_revision_;
  return wait;
}

WatchSubscriber::Step WatchSubscriber::CatchUpLocked() {
  if (catch_up_pending_) return Step();
  std::optional<grpc::Slice> event =
      hub_->catch_up().Get(next_revision_, view_, shared_from_this());
  if (event) return WriteEventLocked(*std::move(event));
  catch_up_pending_ = true;
  return Step();
}

void WatchSubscriber::OnCatchUp(absl::StatusOr<grpc::Slice> event) {
  {
    absl::MutexLock lock(&mu_);
    catch_up_pending_ = false;
    caught_up_ = std::move(event);
  }
  Pump();
}

WatchSubscriber::Step WatchSubscriber::WriteEventLocked(grpc::Slice bytes) {
  ++next_revision_;
  return WriteLocked(std::move(bytes));
}

WatchSubscriber::Step WatchSubscriber::WriteLocked(grpc::Slice bytes) {
  write_in_flight_ = true;
  progress_due_ = absl::Now() + progress_interval_;
  out_ = grpc::ByteBuffer(&bytes, 1);
  Step step;
  step.kind = Step::kWrite;
  return step;
}

WatchSubscriber::Step WatchSubscriber::FinishLocked(grpc::Status status) {
  finished_ = true;
  finish_after_write_.reset();
  Step step;
  step.kind = Step::kFinish;
  step.status = std::move(status);
  return step;
}

void WatchSubscriber::OnProgressTimer() {
  Step step;
  absl::Time rearm;
  {
    absl::MutexLock lock(&mu_);
    if (finished_) return;
    const absl::Time now = absl::Now();
    if (write_in_flight_ || now < progress_due_) {
      // Not idle: the write in flight (or the last one) moved the deadline.
      rearm = write_in_flight_ ? now + progress_interval_ : progress_due_;
    } else {
      Lookup found = hub_->Find(next_revision_, view_);
      if (found.kind == Lookup::kAhead) {
        // Nothing at or below the head is pending for this stream.
        step = WriteLocked(ProgressEvent(found.head_revision));
      }
      rearm = now + progress_interval_;
    }
  }
  hub_->ArmTimer(shared_from_this(), rearm);
  if (step.kind == Step::kWrite) {
    Carry(step);
  } else {
    Pump();  // an event became available since it parked
  }
}

void WatchSubscriber::EndForShutdown() {
  int64_t resume_from = 0;
  {
    absl::MutexLock lock(&mu_);
    resume_from = next_revision_;
  }
  RequestFinish(ToGrpcStatus(ShuttingDownError(resume_from)));
}

void WatchSubscriber::RequestFinish(grpc::Status status) {
  {
    absl::MutexLock lock(&mu_);
    if (finished_) return;
    if (write_in_flight_) {
      finish_after_write_ = std::move(status);
      return;
    }
    finished_ = true;
  }
  Finish(status);
}

void WatchSubscriber::OnWriteDone(bool ok) {
  {
    absl::MutexLock lock(&mu_);
    write_in_flight_ = false;
    out_.Clear();
  }
  if (!ok) {
    RequestFinish(
        grpc::Status(grpc::StatusCode::CANCELLED, "the stream was closed"));
    return;
  }
  Pump();
}

void WatchSubscriber::OnCancel() {
  RequestFinish(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
}

void WatchSubscriber::OnDone() {
  hub_->Unregister(this);
  std::shared_ptr<WatchSubscriber> last = std::move(self_);
  // `last` may be the final reference: nothing touches members after this.
}

}  // namespace importai::services::feed
