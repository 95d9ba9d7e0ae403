#ifndef IMPORTAI_CMD_FEED_BENCH_IMPORTAI_FEED_H_
#define IMPORTAI_CMD_FEED_BENCH_IMPORTAI_FEED_H_

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "cmd/feed_bench/child_process.h"
#include "cmd/feed_bench/feed_run.h"
#include "cmd/feed_bench/issue_text.h"
#include "grpcpp/support/client_callback.h"
#include "importai/v1/archive_service.grpc.pb.h"
#include "importai/v1/ingest_service.grpc.pb.h"

namespace importai::feed_bench {

// One WatchIssues stream (start_revision 0, FULL view) on the callback API:
// no thread of its own, one read outstanding at a time.
class IssueWatcher final
    : public grpc::ClientReadReactor<v1::WatchIssuesResponse> {
 public:
  using Stub = v1::ArchiveService::Stub;
  static std::unique_ptr<Stub> NewStub(std::shared_ptr<grpc::Channel> channel) {
    return v1::ArchiveService::NewStub(channel);
  }

  // `request` is shared by every watcher and outlives them.
  IssueWatcher(const WritePlan* plan, RunTally* tally,
               const v1::WatchIssuesRequest* request)
      : plan_(plan),
        tally_(tally),
        request_(request),
        ledger_(plan->writes()) {}

  void Start(Stub* stub);
  void Cancel() { context_.TryCancel(); }
  const Ledger& ledger() const { return ledger_; }

  void OnReadInitialMetadataDone(bool ok) override;
  void OnReadDone(bool ok) override;
  void OnDone(const grpc::Status& status) override;

 private:
  void MarkReady();
  void Handle(Nanos now);

  const WritePlan* const plan_;
  RunTally* const tally_;
  const v1::WatchIssuesRequest* const request_;
  grpc::ClientContext context_;
  v1::WatchIssuesResponse response_;
  Ledger ledger_;
  int64_t progress_revision_ = 0;  // the last PROGRESS event's revision
  std::atomic<bool> ready_{false};
};

// importai-server in its own process, on a fresh data directory.
class ImportAiFeed final : public PooledFeedSystem<IssueWatcher> {
 public:
  // Starts `server_binary` on a free loopback port and ingests the warm-up
  // issue; writes are `text` renumbered.
  static absl::StatusOr<std::unique_ptr<ImportAiFeed>> Start(
      const std::string& server_binary, const IssueText& text, int writes);

  ~ImportAiFeed() override;

  // The warm-up issue as GetIssue(FULL) returns it: etcd stores the same.
  const v1::Issue& warm_up_issue() const { return warm_up_issue_; }

  std::string name() const override { return "importai"; }
  pid_t server_pid() const override { return server_->pid(); }
  int64_t head_revision() const override { return head_revision_; }
  void Subscribe(int count, int per_connection, const WritePlan* plan,
                 RunTally* tally) override;
  absl::Status Write(const WritePlan& plan, int index) override;

 private:
  ImportAiFeed() : dir_("feed-bench-importai") {}

  absl::Status Launch(const std::string& server_binary);
  absl::Status WarmUp(const IssueText& text);
  absl::StatusOr<v1::IngestIssuesResponse> Ingest(
      const v1::IngestIssuesRequest& request);

  ScopedTempDir dir_;
  std::unique_ptr<ChildProcess> server_;
  std::string address_;
  std::unique_ptr<v1::IngestService::Stub> ingest_;
  std::vector<v1::IngestIssuesRequest> writes_;  // built before timing
  v1::Issue warm_up_issue_;
  int64_t head_revision_ = 0;
  v1::WatchIssuesRequest watch_request_;
};

}  // namespace importai::feed_bench

#endif  // IMPORTAI_CMD_FEED_BENCH_IMPORTAI_FEED_H_
