#ifndef IMPORTAI_SERVICES_INGEST_SERVICE_H_
#define IMPORTAI_SERVICES_INGEST_SERVICE_H_

#include "importai/v1/ingest_service.grpc.pb.h"
#include "services/ingest.h"
#include "services/observability/server_metrics.h"
#include "services/write_authorizer.h"
#include "storage/archive_store.h"

namespace importai::services {

// importai.v1.IngestService on the callback API. Thread-safe; `store` must
// outlive the service.
class IngestServiceImpl final : public v1::IngestService::CallbackService {
 public:
  // Outcomes of stored ingests are counted in `metrics`.
  // Calls must pass `authorizer`.
  IngestServiceImpl(storage::ArchiveStore* store, IngestLimits limits,
                    ServerMetrics* metrics, const WriteAuthorizer* authorizer)
      : store_(*store),
        limits_(limits),
        metrics_(*metrics),
        authorizer_(*authorizer) {}

  grpc::ServerUnaryReactor* IngestIssues(
      grpc::CallbackServerContext* context,
      const v1::IngestIssuesRequest* request,
      v1::IngestIssuesResponse* response) override;

 private:
  storage::ArchiveStore& store_;
  const IngestLimits limits_;
  ServerMetrics& metrics_;
  const WriteAuthorizer& authorizer_;
};

}  // namespace importai::services

#endif  // IMPORTAI_SERVICES_INGEST_SERVICE_H_
