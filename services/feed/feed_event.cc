#include "services/feed/feed_event.h"

#include <string>

#include "services/issue_view.h"

namespace importai::services::feed {
namespace {

grpc::Slice ToSlice(const v1::WatchIssuesResponse& event) {
  return grpc::Slice(event.SerializeAsString());
}

}  // namespace

FeedEvent MakeFeedEvent(const storage::CommittedEntry& entry) {
  FeedEvent event;
  event.revision = entry.event.revision();
  event.full = grpc::Slice(entry.bytes);  // as the log holds it
  v1::WatchIssuesResponse basic = entry.event;
  ApplyIssueView(v1::ISSUE_VIEW_BASIC, basic.mutable_issue());
  event.basic = ToSlice(basic);
  return event;
}

grpc::Slice ProgressEvent(int64_t head_revision) {
  v1::WatchIssuesResponse progress;
  progress.set_type(v1::EVENT_TYPE_PROGRESS);
  progress.set_revision(head_revision);
  return ToSlice(progress);
}

}  // namespace importai::services::feed
