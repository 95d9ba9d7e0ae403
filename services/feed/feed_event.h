#ifndef IMPORTAI_SERVICES_FEED_FEED_EVENT_H_
#define IMPORTAI_SERVICES_FEED_FEED_EVENT_H_

#include <cstdint>

#include "grpcpp/support/slice.h"
#include "importai/v1/archive_service.pb.h"
#include "storage/archive_store.h"

namespace importai::services::feed {

// One committed change, serialized once per view for the whole fan-out.
// Slices are reference-counted: every subscriber writes the same bytes.
struct FeedEvent {
  int64_t revision = 0;
  grpc::Slice full;
  grpc::Slice basic;

  const grpc::Slice& ForView(v1::IssueView view) const {
    return view == v1::ISSUE_VIEW_BASIC ? basic : full;
  }
  size_t bytes() const { return full.size() + basic.size(); }
};

// A committed log entry in both views: FULL is the log's own bytes.
FeedEvent MakeFeedEvent(const storage::CommittedEntry& entry);

// A PROGRESS event carrying `head_revision`.
grpc::Slice ProgressEvent(int64_t head_revision);

}  // namespace importai::services::feed

#endif  // IMPORTAI_SERVICES_FEED_FEED_EVENT_H_
