#ifndef IMPORTAI_SERVICES_ADMIN_SERVICE_H_
#define IMPORTAI_SERVICES_ADMIN_SERVICE_H_

#include <atomic>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "importai/v1/admin_service.grpc.pb.h"
#include "services/write_authorizer.h"
#include "storage/archive_store.h"

namespace importai::services {

// Where the checkpoint called `name` goes: `root` (an absolute path) joined
// with `name`, a relative path whose components are neither empty, "." nor
// "..", so no name reaches outside `root`. Creates `root` and the name's
// parent directories on demand, and refuses a parent that a symbolic link
// leads out of `root`. INVALID_ARGUMENT naming `field` for a bad name.
absl::StatusOr<std::string> CheckpointDirectory(const std::string& root,
                                                absl::string_view name,
                                                absl::string_view field);

// importai.v1.AdminService: checkpoints for backups, written under
// `checkpoint_root` only, and snapshots for new replicas (at most
// kMaxConcurrentSnapshots at once). `store` must outlive the service.
class AdminServiceImpl final : public v1::AdminService::CallbackService {
 public:
  // Calls must pass `authorizer`, like writes.
  AdminServiceImpl(storage::ArchiveStore* store, std::string checkpoint_root,
                   const WriteAuthorizer* authorizer)
      : store_(*store),
        checkpoint_root_(std::move(checkpoint_root)),
        authorizer_(*authorizer) {}

  grpc::ServerUnaryReactor* CreateCheckpoint(
      grpc::CallbackServerContext* context,
      const v1::CreateCheckpointRequest* request,
      v1::Checkpoint* response) override;
  grpc::ServerWriteReactor<v1::SnapshotChunk>* StreamSnapshot(
      grpc::CallbackServerContext* context,
      const v1::StreamSnapshotRequest* request) override;

 private:
  storage::ArchiveStore& store_;
  const std::string checkpoint_root_;
  const WriteAuthorizer& authorizer_;
  std::atomic<int> active_snapshots_{0};
};

}  // namespace importai::services

#endif  // IMPORTAI_SERVICES_ADMIN_SERVICE_H_
