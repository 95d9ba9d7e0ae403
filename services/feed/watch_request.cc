#include "services/feed/watch_request.h"

#include "absl/strings/str_cat.h"
#include "common/limits.h"

namespace importai::services::feed {

absl::StatusOr<WatchParams> ResolveWatchRequest(
    const v1::WatchIssuesRequest& request,
    absl::Duration min_progress_interval) {
  WatchParams params;
  if (request.start_revision() < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "start_revision: must not be negative, got ", request.start_revision(),
        " (0 means changes from now on)"));
  }
  params.start_revision = request.start_revision();

  params.progress_interval = kDefaultProgressInterval;
  if (request.has_progress_interval()) {
    const auto& interval = request.progress_interval();
    params.progress_interval =
        absl::Seconds(interval.seconds()) + absl::Nanoseconds(interval.nanos());
    if (params.progress_interval < min_progress_interval ||
        params.progress_interval > kMaxProgressInterval) {
      return absl::InvalidArgumentError(absl::StrCat(
          "progress_interval: ", absl::FormatDuration(params.progress_interval),
          " is outside the allowed range of ",
          absl::FormatDuration(min_progress_interval), " to ",
          absl::FormatDuration(kMaxProgressInterval)));
    }
  }

  if (request.view() == v1::ISSUE_VIEW_BASIC) {
    params.view = v1::ISSUE_VIEW_BASIC;
  } else if (request.view() != v1::ISSUE_VIEW_UNSPECIFIED &&
             request.view() != v1::ISSUE_VIEW_FULL) {
    return absl::InvalidArgumentError(
        absl::StrCat("view: unknown IssueView value ", request.view()));
  }
  return params;
}

}  // namespace importai::services::feed
