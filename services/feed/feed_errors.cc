#include "services/feed/feed_errors.h"

#include "absl/strings/str_cat.h"
#include "services/grpc_status.h"

namespace importai::services::feed {

absl::Status NoLongerRetainedError(int64_t revision, int64_t oldest,
                                   bool requested_start) {
  return absl::OutOfRangeError(absl::StrCat(
      requested_start ? "start_revision: revision " : "revision ", revision,
      " is no longer retained; the oldest available revision is ", oldest,
      requested_start ? "" : "; resume from there, or read the issues whole"));
}

absl::Status TooManySubscribersError(size_t limit) {
  return absl::ResourceExhaustedError(
      absl::StrCat("too many subscribers: the server allows ", limit,
                   " open WatchIssues streams; retry later"));
}

absl::Status ShuttingDownError(int64_t resume_from) {
  if (resume_from == 0) {
    return absl::UnavailableError("server is shutting down; reconnect");
  }
  return absl::UnavailableError(
      absl::StrCat("server is shutting down; reconnect and resume with "
                   "start_revision ",
                   resume_from));
}

}  // namespace importai::services::feed
