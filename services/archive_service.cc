#include "services/archive_service.h"

#include "absl/strings/str_cat.h"
#include "common/limits.h"
#include "common/status_macros.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/proto_buffer_reader.h"
#include "services/archive_handlers.h"
#include "services/feed/feed_errors.h"
#include "services/feed/watch_request.h"
#include "services/reply.h"
#include "services/search_handlers.h"

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

// Decodes a request that arrived as raw bytes.
template <typename Request>
absl::Status DecodeRequest(const grpc::ByteBuffer& bytes, Request* request) {
  grpc::ByteBuffer copy(bytes);  // shares the slices
  grpc::Status decoded =
      grpc::SerializationTraits<Request>::Deserialize(&copy, request);
  if (decoded.ok()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("request is not a ", Request::descriptor()->name(), ": ",
                   decoded.error_message()));
}

// gRPC's receive limit is the server's, sized for an ingest; a read is far
// smaller, so one that is not is refused on its size before anything else.
absl::Status CheckReadSize(size_t bytes) {
  if (bytes <= static_cast<size_t>(kMaxReadRequestBytes)) {
    return absl::OkStatus();
  }
  return absl::ResourceExhaustedError(
      absl::StrCat("request: ", bytes, " bytes exceeds the limit of ",
                   kMaxReadRequestBytes, " bytes for a read"));
}

// Answers a read with `handle()`, or with CheckReadSize's refusal.
template <typename Request, typename Handle>
grpc::ServerUnaryReactor* ServeRead(grpc::CallbackServerContext* context,
                                    const Request& request, Handle handle) {
  absl::Status size = CheckReadSize(request.ByteSizeLong());
  return Reply(context, size.ok() ? handle() : size);
}

// The raw methods' requests are checked before they are parsed.
template <typename Request>
absl::Status DecodeRead(const grpc::ByteBuffer& bytes, Request* request) {
  IMPORTAI_RETURN_IF_ERROR(CheckReadSize(bytes.Length()));
  return DecodeRequest(bytes, request);
}

}  // namespace

grpc::ServerUnaryReactor* ArchiveServiceImpl::GetIssue(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  v1::GetIssueRequest parsed;
  if (absl::Status decoded = DecodeRead(*request, &parsed); !decoded.ok()) {
    return Reply(context, decoded);
  }
  absl::StatusOr<std::shared_ptr<const std::string>> bytes =
      services::GetIssue(store_, parsed);
  if (bytes.ok()) *response = SharedBytesToByteBuffer(*std::move(bytes));
  return Reply(context, bytes.status());
}

grpc::ServerUnaryReactor* ArchiveServiceImpl::ListIssues(
    grpc::CallbackServerContext* context, const v1::ListIssuesRequest* request,
    v1::ListIssuesResponse* response) {
  return ServeRead(context, *request, [&] {
    return services::ListIssues(store_, *request, response);
  });
}

grpc::ServerUnaryReactor* ArchiveServiceImpl::GetSection(
    grpc::CallbackServerContext* context, const v1::GetSectionRequest* request,
    v1::Section* response) {
  return ServeRead(context, *request, [&] {
    return services::GetSection(store_, *request, response);
  });
}

grpc::ServerUnaryReactor* ArchiveServiceImpl::ListSections(
    grpc::CallbackServerContext* context,
    const v1::ListSectionsRequest* request,
    v1::ListSectionsResponse* response) {
  return ServeRead(context, *request, [&] {
    return services::ListSections(store_, *request, response);
  });
}

grpc::ServerUnaryReactor* ArchiveServiceImpl::GetTale(
    grpc::CallbackServerContext* context, const v1::GetTaleRequest* request,
    v1::Tale* response) {
  return ServeRead(context, *request, [&] {
    return services::GetTale(store_, *request, response);
  });
}

grpc::ServerUnaryReactor* ArchiveServiceImpl::ListTales(
    grpc::CallbackServerContext* context, const v1::ListTalesRequest* request,
    v1::ListTalesResponse* response) {
  return ServeRead(context, *request, [&] {
    return services::ListTales(store_, *request, response);
  });
}

grpc::ServerUnaryReactor* ArchiveServiceImpl::Search(
    grpc::CallbackServerContext* context, const v1::SearchRequest* request,
    v1::SearchResponse* response) {
  return ServeRead(context, *request, [&] {
    return services::Search(store_, *request, response);
  });
}

grpc::ServerUnaryReactor* ArchiveServiceImpl::ListCitingSections(
    grpc::CallbackServerContext* context,
    const v1::ListCitingSectionsRequest* request,
    v1::ListCitingSectionsResponse* response) {
  return ServeRead(context, *request, [&] {
    return services::ListCitingSections(store_, *request, response);
  });
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* ArchiveServiceImpl::WatchIssues(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request) {
  v1::WatchIssuesRequest parsed;
  if (absl::Status decoded = DecodeRead(*request, &parsed); !decoded.ok()) {
    return new feed::RefusedWatch(decoded);
  }
  absl::StatusOr<feed::WatchParams> params =
      feed::ResolveWatchRequest(parsed, feed_.min_progress_interval());
  if (!params.ok()) return new feed::RefusedWatch(params.status());
  return feed_.Watch(context, params->start_revision, params->view,
                     params->progress_interval);
}

grpc::ServerUnaryReactor* ArchiveServiceImpl::GetFeedInfo(
    grpc::CallbackServerContext* context, const v1::GetFeedInfoRequest* request,
    v1::FeedInfo* response) {
  return ServeRead(context, *request, [&] {
    *response = feed_.Info();
    return absl::OkStatus();
  });
}

}  // namespace importai::services
