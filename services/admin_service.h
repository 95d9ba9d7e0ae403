#ifndef IMPORTAI_SERVICES_ADMIN_SERVICE_H_
#define IMPORTAI_SERVICES_ADMIN_SERVICE_H_

#include "importai/v1/admin_service.grpc.pb.h"
#include "services/write_authorizer.h"
#include "storage/archive_store.h"

namespace importai::services {

// importai.v1.AdminService: checkpoints for backups. `store` must outlive
// the service.
class AdminServiceImpl final : public v1::AdminService::CallbackService {
 public:
  // Calls must pass `authorizer`, like writes.
  AdminServiceImpl(storage::ArchiveStore* store,
                   const WriteAuthorizer* authorizer)
      : store_(*store), authorizer_(*authorizer) {}

  grpc::ServerUnaryReactor* CreateCheckpoint(
      grpc::CallbackServerContext* context,
      const v1::CreateCheckpointRequest* request,
      v1::Checkpoint* response) override;

 private:
  storage::ArchiveStore& store_;
  const WriteAuthorizer& authorizer_;
};

}  // namespace importai::services

#endif  // IMPORTAI_SERVICES_ADMIN_SERVICE_H_
