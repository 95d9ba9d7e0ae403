#include "services/feed/watch_subscriber.h"

#include "absl/time/clock.h"
#include "grpcpp/server_context.h"
#include "services/feed/feed_errors.h"
#include "services/feed/feed_event.h"
#include "services/feed/feed_hub.h"
#include "services/grpc_status.h"
#include "services/observability/log.h"

namespace importai::services::feed {

WatchSubscriber::WatchSubscriber(FeedHub* hub,
                                 grpc::CallbackServerContext* context,
                                 int64_t next_revision, v1::IssueView view,
                                 absl::Duration progress_interval)
    : hub_(hub),
      context_(context),
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
    return WriteCatchUpLocked(*std::move(event));
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
  if (event) return WriteCatchUpLocked(*std::move(event));
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

WatchSubscriber::Step WatchSubscriber::WriteCatchUpLocked(grpc::Slice bytes) {
  catch_up_write_started_ = absl::Now();
  return WriteEventLocked(std::move(bytes));
}

std::optional<std::pair<absl::Time, size_t>> WatchSubscriber::StalledCatchUp(
    absl::Time started_before) {
  absl::MutexLock lock(&mu_);
  if (finished_ || !catch_up_write_started_ ||
      *catch_up_write_started_ >= started_before) {
    return std::nullopt;
  }
  return std::make_pair(*catch_up_write_started_, out_.Length());
}

bool WatchSubscriber::EndIfStalled(absl::Time started_before) {
  // context_mu_ first, so OnDone (and the context's end) cannot come
  // between the check and the cancel; gRPC may run OnDone inline within
  // the cancel, on this thread.
  absl::MutexLock context_lock(&context_mu_);
  if (context_ == nullptr) return false;
  int64_t revision = 0;
  {
    absl::MutexLock lock(&mu_);
    if (finished_ || !catch_up_write_started_ ||
        *catch_up_write_started_ >= started_before) {
      return false;
    }
    catch_up_write_started_.reset();  // cancelled once
    revision = next_revision_ - 1;
  }
  log::Write(log::Level::kWarning, "ended a stalled WatchIssues stream",
             {{"revision", revision},
              {"reason",
               "it held a catch-up event unsent while other "
               "subscribers waited for the catch-up budget"}});
  // Finish would wait for the write the client never takes; a cancel ends
  // it (the client sees CANCELLED and resumes from its last revision + 1).
  cancelling_thread_.store(std::this_thread::get_id());
  context_->TryCancel();
  cancelling_thread_.store(std::thread::id());
  return true;
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
    if (write_in_flight_ || finish_after_write_ || now < progress_due_) {
      // Not idle: the write in flight (or the last one) moved the deadline,
      // or the stream is to finish (Pump below does it).
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
    catch_up_write_started_.reset();
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
  if (cancelling_thread_.load() == std::this_thread::get_id()) {
    context_ =
        nullptr;  // inline in EndIfStalled's cancel, which holds the lock
  } else {
    absl::MutexLock lock(&context_mu_);
    context_ = nullptr;
  }
  hub_->Unregister(this);
  std::shared_ptr<WatchSubscriber> last = std::move(self_);
  // `last` may be the final reference: nothing touches members after this.
}

}  // namespace importai::services::feed
