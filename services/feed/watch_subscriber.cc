#include "services/feed/watch_subscriber.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/feed/feed_event.h"
#include "services/feed/feed_hub.h"
#include "services/grpc_status.h"
#include "services/issue_view.h"

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
  if (catch_up_next_ < catch_up_.size()) {
    grpc::Slice next = std::move(catch_up_[catch_up_next_++]);
    if (catch_up_next_ == catch_up_.size()) {
      catch_up_.clear();
      catch_up_next_ = 0;
    }
    return WriteEventLocked(std::move(next));
  }
  Lookup found = hub_->Find(next_revision_, view_);
  switch (found.kind) {
    case Lookup::kFound:
      return WriteEventLocked(std::move(found.event));
    case Lookup::kBehind:
      return ReadCatchUpLocked();
    case Lookup::kAhead:
      break;
  }
  Step wait;
  wait.kind = Step::kWait;
  wait.wait_for = next_revision_;
  return wait;
}

WatchSubscriber::Step WatchSubscriber::ReadCatchUpLocked() {
  absl::StatusOr<std::vector<v1::WatchIssuesResponse>> entries =
      hub_->store().ReadRevisions(next_revision_, hub_->catch_up_batch());
  if (!entries.ok()) return FinishLocked(ToGrpcStatus(entries.status()));
  if (entries->empty() || entries->front().revision() != next_revision_) {
    return FinishLocked(grpc::Status(
        grpc::StatusCode::OUT_OF_RANGE,
        absl::StrCat("start_revision: revision ", next_revision_,
                     " is no longer retained; the oldest available is ",
                     hub_->store().OldestRevision())));
  }
  // Bounded in bytes too; entries left out are read again when their turn
  // comes.
  size_t buffered = 0;
  for (v1::WatchIssuesResponse& entry : *entries) {
    if (!catch_up_.empty() && buffered >= hub_->catch_up_bytes()) break;
    ApplyIssueView(view_, entry.mutable_issue());
    grpc::Slice& bytes = catch_up_.emplace_back(entry.SerializeAsString());
    buffered += bytes.size();
  }
  return NextStepLocked();
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
  RequestFinish(grpc::Status(
      grpc::StatusCode::UNAVAILABLE,
      absl::StrCat("server is shutting down; reconnect and resume with "
                   "start_revision ",
                   resume_from)));
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
