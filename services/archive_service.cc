#include "services/archive_service.h"

#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/proto_buffer_reader.h"
#include "services/archive_handlers.h"
#include "services/reply.h"

namespace importai::services {
namespace {

// Wraps `bytes` in a ByteBuffer without copying; the slice keeps the shared
// string alive until gRPC has sent it.
grpc::ByteBuffer SharedBytesToByteBuffer(
    std::shared_ptr<const std::string> bytes) {
  auto* owner = new std::shared_ptr<const std::string>(std::move(bytes));
  grpc::Slice slice(
      const_cast<char*>((*owner)->data()), (*owner)->size(),
      [](void* p) {
        delete static_cast<std::shared_ptr<const std::string>*>(p);
      },
      owner);
  return grpc::ByteBuffer(&slice, 1);
}

}  // namespace

grpc::ServerUnaryReactor* ArchiveServiceImpl::GetIssue(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  v1::GetIssueRequest parsed;
  grpc::ByteBuffer request_copy(*request);  // shares the slices
  grpc::Status decoded =
      grpc::SerializationTraits<v1::GetIssueRequest>::Deserialize(&request_copy,
                                                                  &parsed);
  if (!decoded.ok()) {
    return Reply(context, absl::InvalidArgumentError(
                              "request is not a GetIssueRequest: " +
                              decoded.error_message()));
  }
  absl::StatusOr<std::shared_ptr<const std::string>> bytes =
      services::GetIssue(store_, parsed);
  if (bytes.ok()) *response = SharedBytesToByteBuffer(*std::move(bytes));
  return Reply(context, bytes.status());
}

grpc::ServerUnaryReactor* ArchiveServiceImpl::ListIssues(
    grpc::CallbackServerContext* context, const v1::ListIssuesRequest* request,
    v1::ListIssuesResponse* response) {
  return Reply(context, services::ListIssues(store_, *request, response));
}

grpc::ServerUnaryReactor* ArchiveServiceImpl::GetSection(
    grpc::CallbackServerContext* context, const v1::GetSectionRequest* request,
    v1::Section* response) {
  return Reply(context, services::GetSection(store_, *request, response));
}

grpc::ServerUnaryReactor* ArchiveServiceImpl::ListSections(
    grpc::CallbackServerContext* context,
    const v1::ListSectionsRequest* request,
    v1::ListSectionsResponse* response) {
  return Reply(context, services::ListSections(store_, *request, response));
}

grpc::ServerUnaryReactor* ArchiveServiceImpl::GetTale(
    grpc::CallbackServerContext* context, const v1::GetTaleRequest* request,
    v1::Tale* response) {
  return Reply(context, services::GetTale(store_, *request, response));
}

grpc::ServerUnaryReactor* ArchiveServiceImpl::ListTales(
    grpc::CallbackServerContext* context, const v1::ListTalesRequest* request,
    v1::ListTalesResponse* response) {
  return Reply(context, services::ListTales(store_, *request, response));
}

}  // namespace importai::services
