#include "services/archive_service.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/limits.h"
#include "common/status_macros.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/proto_buffer_reader.h"
#include "services/archive_handlers.h"
#include "services/feed/feed_errors.h"
#include "services/feed/watch_request.h"
#include "services/replication/revision_gate.h"
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

// The raw methods' requests are checked before they are parsed.
template <typename Request>
absl::Status DecodeRead(const grpc::ByteBuffer& bytes, Request* request) {
  IMPORTAI_RETURN_IF_ERROR(CheckReadSize(bytes.Length()));
  return DecodeRequest(bytes, request);
}

}  // namespace

template <typename Handle>
grpc::ServerUnaryReactor* ArchiveServiceImpl::Serve(
    grpc::CallbackServerContext* context, size_t request_bytes,
    Handle handle) {
  if (absl::Status size = CheckReadSize(request_bytes); !size.ok()) {
    return Reply(context, size);
  }
  absl::StatusOr<int64_t> wanted = replication::RequestedMinRevision(*context);
  if (!wanted.ok()) return Reply(context, wanted.status());
  if (*wanted <= store_.HeadRevision()) return Reply(context, handle());
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  // Answered a little before the call's deadline, so the client gets the
  // gate's UNAVAILABLE (retry elsewhere) rather than DEADLINE_EXCEEDED.
  const absl::Time now = absl::Now();
  const absl::Time deadline = absl::FromChrono(context->deadline());
  const absl::Time answer_by =
      deadline - std::min(kMinRevisionAnswerMargin, (deadline - now) / 5);
  absl::Status waiting =
      gate_.Wait(*wanted, answer_by, [reactor, handle](absl::Status ready) {
        reactor->Finish(ToGrpcStatus(ready.ok() ? handle() : ready));
      });
  if (!waiting.ok()) reactor->Finish(ToGrpcStatus(waiting));
  return reactor;
}

template <typename Request, typename Handle>
grpc::ServerUnaryReactor* ArchiveServiceImpl::ServeRead(
    grpc::CallbackServerContext* context, const Request& request,
    Handle handle) {
  return Serve(context, request.ByteSizeLong(), std::move(handle));
}

grpc::ServerUnaryReactor* ArchiveServiceImpl::GetIssue(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return Serve(context, request->Length(), [this, request, response] {
    v1::GetIssueRequest parsed;
    IMPORTAI_RETURN_IF_ERROR(DecodeRequest(*request, &parsed));
    absl::StatusOr<std::shared_ptr<const std::string>> bytes =
        services::GetIssue(store_, parsed);
    if (bytes.ok()) *response = SharedBytesToByteBuffer(*std::move(bytes));
    return bytes.status();
  });
}

grpc::ServerUnaryReactor* ArchiveServiceImpl::ListIssues(
    grpc::CallbackServerContext* context, const v1::ListIssuesRequest* request,
    v1::ListIssuesResponse* response) {
  return ServeRead(context, *request, [this, request, response] {
    return services::ListIssues(store_, *request, response);
  });
}

grpc::ServerUnaryReactor* ArchiveServiceImpl::GetSection(
    grpc::CallbackServerContext* context, const v1::GetSectionRequest* request,
    v1::Section* response) {
  return ServeRead(context, *request, [this, request, response] {
    return services::GetSection(store_, *request, response);
  });
}

grpc::ServerUnaryReactor* ArchiveServiceImpl::ListSections(
    grpc::CallbackServerContext* context,
    const v1::ListSectionsRequest* request,
    v1::ListSectionsResponse* response) {
  return ServeRead(context, *request, [this, request, response] {
    return services::ListSections(store_, *request, response);
  });
}

grpc::ServerUnaryReactor* ArchiveServiceImpl::GetTale(
    grpc::CallbackServerContext* context, const v1::GetTaleRequest* request,
    v1::Tale* response) {
  return ServeRead(context, *request, [this, request, response] {
    return services::GetTale(store_, *request, response);
  });
}

grpc::ServerUnaryReactor* ArchiveServiceImpl::ListTales(
    grpc::CallbackServerContext* context, const v1::ListTalesRequest* request,
    v1::ListTalesResponse* response) {
  return ServeRead(context, *request, [this, request, response] {
    return services::ListTales(store_, *request, response);
  });
}

grpc::ServerUnaryReactor* ArchiveServiceImpl::Search(
    grpc::CallbackServerContext* context, const v1::SearchRequest* request,
    v1::SearchResponse* response) {
  return ServeRead(context, *request, [this, request, response] {
    return services::Search(store_, *request, response);
  });
}

grpc::ServerUnaryReactor* ArchiveServiceImpl::ListCitingSections(
    grpc::CallbackServerContext* context,
    const v1::ListCitingSectionsRequest* request,
    v1::ListCitingSectionsResponse* response) {
  return ServeRead(context, *request, [this, request, response] {
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
  return ServeRead(context, *request, [this, request, response] {
    *response = feed_.Info();
    return absl::OkStatus();
  });
}

}  // namespace importai::services
