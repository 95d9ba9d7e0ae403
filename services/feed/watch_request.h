#ifndef IMPORTAI_SERVICES_FEED_WATCH_REQUEST_H_
#define IMPORTAI_SERVICES_FEED_WATCH_REQUEST_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "importai/v1/archive_service.pb.h"

namespace importai::services::feed {

struct WatchParams {
  int64_t start_revision = 0;
  v1::IssueView view = v1::ISSUE_VIEW_FULL;
  absl::Duration progress_interval;
};

// Checks a WatchIssuesRequest and fills in the defaults. INVALID_ARGUMENT,
// naming the field, for a negative start_revision, a progress_interval
// outside `min_progress_interval` to 60 s, or an unknown view.
absl::StatusOr<WatchParams> ResolveWatchRequest(
    const v1::WatchIssuesRequest& request,
    absl::Duration min_progress_interval);

}  // namespace importai::services::feed

#endif  // IMPORTAI_SERVICES_FEED_WATCH_REQUEST_H_
