#ifndef IMPORTAI_SERVICES_ARCHIVE_SERVICE_H_
#define IMPORTAI_SERVICES_ARCHIVE_SERVICE_H_

#include "importai/v1/archive_service.grpc.pb.h"
#include "services/feed/feed_hub.h"
#include "services/replication/revision_gate.h"
#include "storage/archive_store.h"

namespace importai::services {

// GetIssue and WatchIssues are raw methods: they send bytes serialized once
// (by the store's cache, by the feed for every subscriber) as they are.
using ArchiveServiceBase = v1::ArchiveService::WithRawCallbackMethod_GetIssue<
    v1::ArchiveService::WithRawCallbackMethod_WatchIssues<
        v1::ArchiveService::CallbackService>>;

// importai.v1.ArchiveService on the callback API. Thread-safe; `store`,
// `feed` and `gate` must outlive the service. Every method refuses a request
// larger than kMaxReadRequestBytes (common/limits.h) with RESOURCE_EXHAUSTED
// before any other work: gRPC's receive limit is the whole server's, sized
// for ingests. Every unary read asking for a revision not applied yet
// (x-importai-min-revision) is held by `gate` until it is.
class ArchiveServiceImpl final : public ArchiveServiceBase {
 public:
  ArchiveServiceImpl(storage::ArchiveStore* store, feed::FeedHub* feed,
                     replication::RevisionGate* gate)
      : store_(*store), feed_(*feed), gate_(*gate) {}

  // Request: a serialized GetIssueRequest; response: a serialized Issue.
  grpc::ServerUnaryReactor* GetIssue(grpc::CallbackServerContext* context,
                                     const grpc::ByteBuffer* request,
                                     grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListIssues(
      grpc::CallbackServerContext* context,
      const v1::ListIssuesRequest* request,
      v1::ListIssuesResponse* response) override;
  grpc::ServerUnaryReactor* GetSection(grpc::CallbackServerContext* context,
                                       const v1::GetSectionRequest* request,
                                       v1::Section* response) override;
  grpc::ServerUnaryReactor* ListSections(
      grpc::CallbackServerContext* context,
      const v1::ListSectionsRequest* request,
      v1::ListSectionsResponse* response) override;
  grpc::ServerUnaryReactor* GetTale(grpc::CallbackServerContext* context,
                                    const v1::GetTaleRequest* request,
                                    v1::Tale* response) override;
  grpc::ServerUnaryReactor* Search(grpc::CallbackServerContext* context,
                                   const v1::SearchRequest* request,
                                   v1::SearchResponse* response) override;
  grpc::ServerUnaryReactor* ListCitingSections(
      grpc::CallbackServerContext* context,
      const v1::ListCitingSectionsRequest* request,
      v1::ListCitingSectionsResponse* response) override;
  // Request: a serialized WatchIssuesRequest; stream of serialized
  // WatchIssuesResponse.
  grpc::ServerWriteReactor<grpc::ByteBuffer>* WatchIssues(
      grpc::CallbackServerContext* context,
      const grpc::ByteBuffer* request) override;
  grpc::ServerUnaryReactor* GetFeedInfo(grpc::CallbackServerContext* context,
                                        const v1::GetFeedInfoRequest* request,
                                        v1::FeedInfo* response) override;
  grpc::ServerUnaryReactor* ListTales(grpc::CallbackServerContext* context,
                                      const v1::ListTalesRequest* request,
                                      v1::ListTalesResponse* response) override;

 private:
  // Answers with `handle()` (which must own or point at what it uses: it
  // may run later, on the gate's thread) once the request's size and its
  // minimum revision allow.
  template <typename Handle>
  grpc::ServerUnaryReactor* Serve(grpc::CallbackServerContext* context,
                                  size_t request_bytes, Handle handle);
  template <typename Request, typename Handle>
  grpc::ServerUnaryReactor* ServeRead(grpc::CallbackServerContext* context,
                                      const Request& request, Handle handle);

  storage::ArchiveStore& store_;
  feed::FeedHub& feed_;
  replication::RevisionGate& gate_;
};

}  // namespace importai::services

#endif  // IMPORTAI_SERVICES_ARCHIVE_SERVICE_H_
