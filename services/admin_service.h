#ifndef IMPORTAI_SERVICES_ADMIN_SERVICE_H_
#define IMPORTAI_SERVICES_ADMIN_SERVICE_H_

#include "importai/v1/admin_service.grpc.pb.h"
#include "storage/archive_store.h"

namespace importai::services {

// importai.v1.AdminService: checkpoints for backups. `store` must outlive
// the service.
class AdminServiceImpl final : public v1::AdminService::CallbackService {
 public:
  explicit AdminServiceImpl(storage::ArchiveStore* store) : store_(*store) {}

  grpc::ServerUnaryReactor* CreateCheckpoint(
      grpc::CallbackServerContext* context,
      const v1::CreateCheckpointRequest* request,
      v1::Checkpoint* response) override;

 private:
  storage::ArchiveStore& store_;
};

}  // namespace importai::services

#endif  // IMPORTAI_SERVICES_ADMIN_SERVICE_H_
