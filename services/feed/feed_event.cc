#include "services/feed/feed_event.h"

#include <string>

#include "services/issue_view.h"

namespace importai::services::feed {
namespace {

grpc::Slice ToSlice(const v1::WatchIssuesResponse& event) {
  std::string bytes = event.SerializeAsString();
  return grpc::Slice(bytes);
}

}  // namespace

FeedEvent MakeFeedEvent(const v1::WatchIssuesResponse& entry) {
  FeedEvent event;
  event.revision = entry.revision();
  event.full = ToSlice(entry);
  v1::WatchIssuesResponse basic = entry;
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
