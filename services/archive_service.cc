#include "services/archive_service.h"

#include "services/archive_handlers.h"
#include "services/reply.h"

namespace importai::services {

grpc::ServerUnaryReactor* ArchiveServiceImpl::GetIssue(
    grpc::CallbackServerContext* context, const v1::GetIssueRequest* request,
    v1::Issue* response) {
  return Reply(context, services::GetIssue(store_, *request, response));
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
