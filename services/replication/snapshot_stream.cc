#include "services/replication/snapshot_stream.h"

#include <utility>

#include "common/limits.h"
#include "services/grpc_status.h"

namespace importai::services::replication {

SnapshotStream::SnapshotStream(
    std::unique_ptr<storage::IssueSnapshot> snapshot, std::atomic<int>* active)
    : snapshot_(std::move(snapshot)), active_(*active) {
  WriteNext();
}

void SnapshotStream::OnWriteDone(bool ok) {
  if (!ok) {
    // The replica went away; nothing will read what follows.
    Finish(grpc::Status(grpc::StatusCode::CANCELLED, "snapshot not read"));
  } else if (chunk_.last()) {
    Finish(grpc::Status::OK);
  } else {
    WriteNext();
  }
}

void SnapshotStream::OnDone() {
  active_.fetch_sub(1);
  delete this;
}

void SnapshotStream::WriteNext() {
  absl::StatusOr<std::vector<std::string>> batch =
      snapshot_->Next(kSnapshotChunkBytes);
  if (!batch.ok()) {
    Finish(ToGrpcStatus(batch.status()));
    return;
  }
  chunk_.Clear();
  chunk_.set_revision(snapshot_->revision());
  chunk_.set_last(batch->empty());
  for (const std::string& bytes : *batch) {
    if (!chunk_.add_issues()->ParseFromString(bytes)) {
      Finish(ToGrpcStatus(
          absl::InternalError("snapshot: a stored issue is corrupt")));
      return;
    }
  }
  StartWrite(&chunk_);
}

}  // namespace importai::services::replication
