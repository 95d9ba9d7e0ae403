#ifndef IMPORTAI_CMD_CLI_WATCH_H_
#define IMPORTAI_CMD_CLI_WATCH_H_

#include <cstdint>
#include <ostream>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "cmd/cli/backoff.h"
#include "grpcpp/client_context.h"
#include "importai/v1/archive_service.grpc.pb.h"

// `importai watch`: the change feed printed line by line, reconnecting and
// resuming on its own.
namespace importai::cli {

struct WatchOptions {
  // The first revision to print; 0 means only changes made from now on.
  int64_t from_revision = 0;
  // Unspecified: FULL for JSON, BASIC for text (which prints only titles).
  v1::IssueView view = v1::ISSUE_VIEW_UNSPECIFIED;
  // How often an idle stream gets a PROGRESS event; zero: the server's default.
  absl::Duration progress_interval = absl::ZeroDuration();
  // Proto3 JSON, one event per line, PROGRESS included; text skips PROGRESS.
  bool json = false;
  // Stop after this many CREATED/UPDATED events; 0: never.
  int64_t max_events = 0;
  // Deadline of the GetFeedInfo call; the stream itself has none.
  absl::Duration call_timeout = absl::Seconds(30);
  BackoffPolicy backoff;
  // OUT_OF_RANGE retried this many times in a row (with backoff) before the
  // watch fails: over several servers, another may keep what one does not.
  int out_of_range_retries = 0;
};

// Ends a watch from another thread (e.g. on SIGINT): cuts short a backoff
// wait and cancels the call in flight. Thread-safe.
class WatchStop {
 public:
  void Stop();
  bool stopped() const;
  // Waits for `duration`; false if stopped first.
  bool SleepFor(absl::Duration duration);
  // While attached, Stop() cancels `context`; nullptr detaches. A context
  // attached after Stop() is cancelled at once.
  void Attach(grpc::ClientContext* context);

 private:
  mutable absl::Mutex mu_;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  grpc::ClientContext* context_ ABSL_GUARDED_BY(mu_) = nullptr;
};

// Prints the feed to `out`, one flushed line per event, until `stop`,
// `max_events` or an error that retrying cannot fix (reported to `err`).
// After UNAVAILABLE or the end of the stream it waits out a backoff and
// resumes after the last revision seen, so no event is printed twice or
// skipped. Its calls fail fast, so over a channel to several servers
// (round_robin) the resumed stream goes to one that is up, not to the one
// that went away. Returns kExitOk or kExitFailed.
int RunWatch(v1::ArchiveService::StubInterface& stub,
             const WatchOptions& options, WatchStop& stop, std::ostream& out,
             std::ostream& err);

}  // namespace importai::cli

#endif  // IMPORTAI_CMD_CLI_WATCH_H_
