#include "cmd/feed_bench/importai_feed.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/client_context.h"

namespace importai::feed_bench {
namespace {

// The start-up log line: {..."msg":"listening","address":"HOST:PORT",...}.
constexpr absl::string_view kListeningMarker =
    "\"msg\":\"listening\",\"address\":\"";

constexpr absl::Duration kStartTimeout = absl::Seconds(30);
constexpr absl::Duration kCallTimeout = absl::Seconds(30);

absl::Status FromGrpc(absl::string_view what, const grpc::Status& status) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(what, ": ", status.error_message()));
}

v1::IngestIssuesRequest IngestRequest(const IssueText& text, int number) {
  v1::IngestIssuesRequest request;
  request.set_text(text.WithNumber(number));
  request.set_source("feed_benchmark");
  return request;
}

}  // namespace

void IssueWatcher::Start(Stub* stub) {
  stub->async()->WatchIssues(&context_, request_, this);
  StartRead(&response_);
  StartCall();
}

void IssueWatcher::OnReadInitialMetadataDone(bool ok) {
  if (ok) MarkReady();
}

void IssueWatcher::OnReadDone(bool ok) {
  if (!ok) return;               // the stream ended; OnDone follows
  const Nanos now = NowNanos();  // gRPC has parsed the event by now
  MarkReady();
  Handle(now);
  // Clear() also deletes the Issue, so an idle watcher holds no payload.
  response_.Clear();
  StartRead(&response_);
}

void IssueWatcher::OnDone(const grpc::Status& status) {
  tally_->MarkFinished(status);  // last: the owner may free us after this
}

void IssueWatcher::MarkReady() {
  if (!ready_.exchange(true)) tally_->MarkReady();
}

void IssueWatcher::Handle(Nanos now) {
  switch (response_.type()) {
    case v1::EVENT_TYPE_PROGRESS:
      progress_revision_ = std::max(progress_revision_, response_.revision());
      return;
    case v1::EVENT_TYPE_CREATED:
    case v1::EVENT_TYPE_UPDATED:
      break;
    default:
      ledger_.CountUnexpected();
      return;
  }
  const int index = plan_->IndexOfNumber(response_.issue().number());
  if (index < 0) {
    ledger_.CountUnexpected();
    return;
  }
  // The contract: revisions are consecutive, and nothing at or below a
  // PROGRESS revision follows that PROGRESS event.
  if (response_.revision() != plan_->RevisionOf(index) ||
      response_.revision() <= progress_revision_) {
    ledger_.CountMismatch();
  }
  if (ledger_.Record(index, now)) tally_->MarkDelivered(index);
}

absl::StatusOr<std::unique_ptr<ImportAiFeed>> ImportAiFeed::Start(
    const std::string& server_binary, const IssueText& text, int writes) {
  std::unique_ptr<ImportAiFeed> feed(new ImportAiFeed());
  if (absl::Status launched = feed->Launch(server_binary); !launched.ok()) {
    return launched;
  }
  if (absl::Status warm = feed->WarmUp(text); !warm.ok()) return warm;
  for (int i = 0; i < writes; ++i) {
    feed->writes_.push_back(IngestRequest(text, kFirstWriteNumber + i));
  }
  feed->watch_request_.set_start_revision(0);
  feed->watch_request_.set_view(v1::ISSUE_VIEW_FULL);
  return feed;
}

ImportAiFeed::~ImportAiFeed() {
  subscribers_.Release(/*all_finished=*/false);
  if (server_ != nullptr) server_->Stop(absl::Seconds(5));
}

absl::Status ImportAiFeed::Launch(const std::string& server_binary) {
  auto server = ChildProcess::Spawn(
      {server_binary, "--listen=127.0.0.1:0",
       "--data_dir=" + dir_.path() + "/data", "--shutdown_grace=2s",
       "--log_level=warning"},
      dir_.path() + "/server.log", /*pipe_stdout=*/true);
  if (!server.ok()) return server.status();
  server_ = std::move(*server);
  auto listening =
      server_->WaitForLine(kListeningMarker, kStartTimeout);
  if (!listening.ok()) return listening.status();
  address_ = listening->substr(0, listening->find('"'));
  ingest_ = v1::IngestService::NewStub(NewConnection(address_, -1));
  return absl::OkStatus();
}

absl::Status ImportAiFeed::WarmUp(const IssueText& text) {
  auto ingested = Ingest(IngestRequest(text, kWarmUpNumber));
  if (!ingested.ok()) return ingested.status();
  if (ingested->results_size() != 1) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the issue text parsed into ", ingested->results_size(), " issues"));
  }
  head_revision_ = ingested->head_revision();
  auto archive = v1::ArchiveService::NewStub(NewConnection(address_, -1));
  v1::GetIssueRequest get;
  get.set_name(absl::StrCat("issues/", kWarmUpNumber));
  get.set_view(v1::ISSUE_VIEW_FULL);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + kCallTimeout));
  const grpc::Status got = archive->GetIssue(&context, get, &warm_up_issue_);
  return got.ok() ? absl::OkStatus() : FromGrpc("GetIssue", got);
}

absl::StatusOr<v1::IngestIssuesResponse> ImportAiFeed::Ingest(
    const v1::IngestIssuesRequest& request) {
  v1::IngestIssuesResponse response;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + kCallTimeout));
  const grpc::Status status =
      ingest_->IngestIssues(&context, request, &response);
  if (!status.ok()) return FromGrpc("IngestIssues", status);
  return response;
}

void ImportAiFeed::Subscribe(int count, int per_connection,
                             const WritePlan* plan, RunTally* tally) {
  subscribers_.Open(address_, count, per_connection, plan, tally,
                    &watch_request_);
}

absl::Status ImportAiFeed::Write(const WritePlan& plan, int index) {
  auto ingested = Ingest(writes_[index]);
  if (!ingested.ok()) return ingested.status();
  const bool as_planned =
      ingested->results_size() == 1 &&
      ingested->results(0).outcome() == v1::INGEST_OUTCOME_CREATED &&
      ingested->results(0).revision() == plan.RevisionOf(index);
  if (!as_planned) {
    return absl::FailedPreconditionError(absl::StrCat(
        "IngestIssues answered ", ingested->ShortDebugString(),
        "; expected one CREATED issue at revision ", plan.RevisionOf(index)));
  }
  return absl::OkStatus();
}

}  // namespace importai::feed_bench
