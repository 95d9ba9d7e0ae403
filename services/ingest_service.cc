#include "services/ingest_service.h"

#include "absl/time/clock.h"
#include "services/reply.h"

namespace importai::services {

grpc::ServerUnaryReactor* IngestServiceImpl::IngestIssues(
    grpc::CallbackServerContext* context,
    const v1::IngestIssuesRequest* request,
    v1::IngestIssuesResponse* response) {
  if (absl::Status allowed = authorizer_.Authorize(*context); !allowed.ok()) {
    return Reply(context, allowed);
  }
  absl::StatusOr<v1::IngestIssuesResponse> result =
      Ingest(store_, *request, limits_, absl::Now(),
             absl::FromChrono(context->deadline()));
  if (result.ok()) {
    if (!request->validate_only()) {
      for (const v1::IngestResult& issue : result->results()) {
        metrics_.RecordIngestOutcome(issue.outcome());
      }
    }
    *response = *std::move(result);
  }
  return Reply(context, result.status());
}

}  // namespace importai::services
