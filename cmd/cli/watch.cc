#include "cmd/cli/watch.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "cmd/cli/commands.h"
#include "cmd/cli/text_format.h"
#include "google/protobuf/util/time_util.h"

namespace importai::cli {

void WatchStop::Stop() {
  absl::MutexLock lock(&mu_);
  stopped_ = true;
  if (context_ != nullptr) context_->TryCancel();
}

bool WatchStop::stopped() const {
  absl::MutexLock lock(&mu_);
  return stopped_;
}

bool WatchStop::SleepFor(absl::Duration duration) {
  absl::MutexLock lock(&mu_);
  return !mu_.AwaitWithTimeout(absl::Condition(&stopped_), duration);
}

void WatchStop::Attach(grpc::ClientContext* context) {
  absl::MutexLock lock(&mu_);
  context_ = context;
  // TryCancel before the call starts cancels it as soon as it does.
  if (stopped_ && context_ != nullptr) context_->TryCancel();
}

namespace {

// Keeps one call's context cancellable by `stop` while the call runs.
class ScopedAttach {
 public:
  ScopedAttach(WatchStop& stop, grpc::ClientContext* context) : stop_(stop) {
    stop_.Attach(context);
  }
  ~ScopedAttach() { stop_.Attach(nullptr); }
  ScopedAttach(const ScopedAttach&) = delete;
  ScopedAttach& operator=(const ScopedAttach&) = delete;

 private:
  WatchStop& stop_;
};

// Every call of the watch fails fast rather than waiting for the channel to
// be ready (gRPC's default, made explicit: it is what failover rests on).
// Over a round_robin channel (--server with several servers) a call goes
// only to a server the channel is connected to: after a stream breaks
// because its server went away, the next call goes to another one at once,
// not to the dead one; when none is left, it fails with UNAVAILABLE at once
// and the watch backs off until one is back.
void FailFast(grpc::ClientContext& context) {
  context.set_wait_for_ready(false);
}

// UNAVAILABLE: the server is shutting down or the connection was lost.
// CANCELLED: not by us (Run() checks that first), so by a server that went
// away while the call was starting. OK: a watch has no natural end, so the
// server closing it is no reason to stop either.
bool ShouldReconnect(const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::OK:
    case grpc::StatusCode::CANCELLED:
    case grpc::StatusCode::UNAVAILABLE:
      return true;
    default:
      return false;
  }
}

class Watcher {
 public:
  Watcher(v1::ArchiveService::StubInterface& stub, const WatchOptions& options,
          WatchStop& stop, std::ostream& out, std::ostream& err)
      : stub_(stub),
        options_(options),
        stop_(stop),
        out_(out),
        err_(err),
        backoff_(options.backoff),
        next_revision_(options.from_revision),
        need_head_(options.from_revision == 0) {}

  int Run();

 private:
  grpc::Status Attempt();
  grpc::Status FindHead();
  grpc::Status Stream();
  v1::WatchIssuesRequest Request() const;
  void Show(const v1::WatchIssuesResponse& event);
  void ReportReconnect(const grpc::Status& status, absl::Duration delay);

  bool Done() const {
    return options_.max_events > 0 && changes_shown_ >= options_.max_events;
  }

  v1::ArchiveService::StubInterface& stub_;
  const WatchOptions& options_;
  WatchStop& stop_;
  std::ostream& out_;
  std::ostream& err_;
  Backoff backoff_;
  // Where the next call starts: after the last revision printed or reported
  // by PROGRESS. 0 (only new changes) until known.
  int64_t next_revision_;
  // Without --from: GetFeedInfo first, to start after the head.
  bool need_head_;
  int64_t changes_shown_ = 0;
  // OUT_OF_RANGE answers since the last event.
  int out_of_range_tries_ = 0;
};

int Watcher::Run() {
  for (;;) {
    const grpc::Status status = Attempt();
    if (stop_.stopped() || Done()) return kExitOk;
    const bool retry_out_of_range =
        status.error_code() == grpc::StatusCode::OUT_OF_RANGE &&
        out_of_range_tries_++ < options_.out_of_range_retries;
    if (!retry_out_of_range && !ShouldReconnect(status)) {
      err_ << "importai: watch: " << StatusCodeName(status.error_code()) << ": "
           << status.error_message() << "\n";
      return kExitFailed;
    }
    const absl::Duration delay = backoff_.NextDelay();
    ReportReconnect(status, delay);
    if (!stop_.SleepFor(delay)) return kExitOk;
  }
}

grpc::Status Watcher::Attempt() {
  if (need_head_) {
    grpc::Status status = FindHead();
    if (!status.ok()) return status;
  }
  return Stream();
}

// Without --from, watching from the head + 1 rather than from 0 ("only new
// changes") gives the watch a position from the start, so a reconnect before
// its first event still misses nothing committed in between.
grpc::Status Watcher::FindHead() {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       absl::ToChronoNanoseconds(options_.call_timeout));
  FailFast(context);
  ScopedAttach attach(stop_, &context);
  v1::FeedInfo info;
  const grpc::Status status =
      stub_.GetFeedInfo(&context, v1::GetFeedInfoRequest(), &info);
  if (status.ok()) {
    next_revision_ = info.head_revision() + 1;
  } else if (status.error_code() != grpc::StatusCode::UNIMPLEMENTED) {
    return status;
  }
  // A server without GetFeedInfo still serves start_revision 0.
  need_head_ = false;
  return grpc::Status::OK;
}

grpc::Status Watcher::Stream() {
  grpc::ClientContext context;  // No deadline: a watch runs until stopped.
  FailFast(context);
  ScopedAttach attach(stop_, &context);
  std::unique_ptr<grpc::ClientReaderInterface<v1::WatchIssuesResponse>> reader =
      stub_.WatchIssues(&context, Request());
  v1::WatchIssuesResponse event;
  while (!Done() && reader->Read(&event)) Show(event);
  if (Done()) {
    context.TryCancel();
    while (reader->Read(&event)) {
      // Discard what was already in flight.
    }
  }
  return reader->Finish();
}

v1::WatchIssuesRequest Watcher::Request() const {
  v1::WatchIssuesRequest request;
  request.set_start_revision(next_revision_);
  const bool text_only_needs_titles =
      !options_.json && options_.view == v1::ISSUE_VIEW_UNSPECIFIED;
  request.set_view(text_only_needs_titles ? v1::ISSUE_VIEW_BASIC
                                          : options_.view);
  if (options_.progress_interval != absl::ZeroDuration()) {
    *request.mutable_progress_interval() =
        google::protobuf::util::TimeUtil::NanosecondsToDuration(
            absl::ToInt64Nanoseconds(options_.progress_interval));
  }
  return request;
}

void Watcher::Show(const v1::WatchIssuesResponse& event) {
  const bool progress = event.type() == v1::EVENT_TYPE_PROGRESS;
  if (options_.json) {
    out_ << FormatJsonLine(event) << std::flush;
  } else if (!progress) {
    out_ << FormatWatchEvent(event) << std::flush;
  }
  // PROGRESS R promises that nothing at or below R follows, so resuming
  // from R + 1 skips nothing.
  next_revision_ = std::max(next_revision_, event.revision() + 1);
  if (!progress) ++changes_shown_;
  backoff_.Reset();  // The server answers again.
  out_of_range_tries_ = 0;
}

void Watcher::ReportReconnect(const grpc::Status& status,
                              absl::Duration delay) {
  const std::string reason =
      status.ok() ? "the server ended the stream"
                  : absl::StrCat(StatusCodeName(status.error_code()), ": ",
                                 status.error_message());
  const std::string resume =
      next_revision_ > 0 ? absl::StrCat("from revision ", next_revision_)
                         : "for new changes";
  err_ << "importai: watch: " << reason << "; reconnecting " << resume << " in "
       << absl::FormatDuration(absl::Ceil(delay, absl::Milliseconds(1)))
       << "\n";
}

}  // namespace

int RunWatch(v1::ArchiveService::StubInterface& stub,
             const WatchOptions& options, WatchStop& stop, std::ostream& out,
             std::ostream& err) {
  return Watcher(stub, options, stop, out, err).Run();
}

}  // namespace importai::cli
