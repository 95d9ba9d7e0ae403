#ifndef IMPORTAI_SERVICES_REPLICATION_SNAPSHOT_STREAM_H_
#define IMPORTAI_SERVICES_REPLICATION_SNAPSHOT_STREAM_H_

#include <atomic>
#include <memory>

#include "grpcpp/support/server_callback.h"
#include "importai/v1/admin_service.pb.h"
#include "storage/archive_store.h"

namespace importai::services::replication {

// One AdminService.StreamSnapshot call: the snapshot's issues in messages of
// about kSnapshotChunkBytes, each written when the last one is sent (so a
// slow replica holds one message, not the archive), then a final message
// with `last` set. Deletes itself when done, and gives back its place in
// `active` (taken by the caller).
class SnapshotStream final
    : public grpc::ServerWriteReactor<v1::SnapshotChunk> {
 public:
  SnapshotStream(std::unique_ptr<storage::IssueSnapshot> snapshot,
                 std::atomic<int>* active);

  void OnWriteDone(bool ok) override;
  void OnDone() override;

 private:
  void WriteNext();

  std::unique_ptr<storage::IssueSnapshot> snapshot_;
  std::atomic<int>& active_;
  v1::SnapshotChunk chunk_;
};

}  // namespace importai::services::replication

#endif  // IMPORTAI_SERVICES_REPLICATION_SNAPSHOT_STREAM_H_
