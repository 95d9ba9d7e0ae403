#ifndef IMPORTAI_SERVICES_INGEST_SERVICE_H_
#define IMPORTAI_SERVICES_INGEST_SERVICE_H_

#include "importai/v1/ingest_service.grpc.pb.h"
#include "services/ingest.h"
#include "storage/archive_store.h"

namespace importai::services {

// importai.v1.IngestService on the callback API. Thread-safe; `store` must
// outlive the service.
class IngestServiceImpl final : public v1::IngestService::CallbackService {
 public:
  IngestServiceImpl(storage::ArchiveStore* store, IngestLimits limits)
      : store_(*store), limits_(limits) {}

  grpc::ServerUnaryReactor* IngestIssues(
      grpc::CallbackServerContext* context,
      const v1::IngestIssuesRequest* request,
      v1::IngestIssuesResponse* response) override;

 private:
  storage::ArchiveStore& store_;
  const IngestLimits limits_;
};

}  // namespace importai::services

#endif  // IMPORTAI_SERVICES_INGEST_SERVICE_H_
