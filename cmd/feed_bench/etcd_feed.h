#ifndef IMPORTAI_CMD_FEED_BENCH_ETCD_FEED_H_
#define IMPORTAI_CMD_FEED_BENCH_ETCD_FEED_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "cmd/feed_bench/child_process.h"
#include "cmd/feed_bench/feed_run.h"
#include "etcdserverpb/rpc_subset.grpc.pb.h"
#include "grpcpp/support/client_callback.h"
#include "importai/v1/resources.pb.h"

namespace importai::feed_bench {

// One etcd Watch stream holding one watcher on the prefix "issues/", from
// now on, on the callback API. It never half-closes: etcd ends the watch
// when the client does.
class KeyWatcher final
    : public grpc::ClientBidiReactor<etcdserverpb::WatchRequest,
                                     etcdserverpb::WatchResponse> {
 public:
  using Stub = etcdserverpb::Watch::Stub;
  static std::unique_ptr<Stub> NewStub(std::shared_ptr<grpc::Channel> channel) {
    return etcdserverpb::Watch::NewStub(channel);
  }

  // `create` is shared by every watcher and outlives them. With
  // `decode_values`, each value is parsed as the Issue it holds, the work
  // an importai client's gRPC stack does for it before OnReadDone.
  KeyWatcher(const WritePlan* plan, RunTally* tally,
             const etcdserverpb::WatchRequest* create, bool decode_values)
      : plan_(plan),
        tally_(tally),
        create_(create),
        decode_values_(decode_values),
        ledger_(plan->writes()) {}

  void Start(Stub* stub);
  void Cancel() { context_.TryCancel(); }
  const Ledger& ledger() const { return ledger_; }

  void OnReadDone(bool ok) override;
  void OnDone(const grpc::Status& status) override;

 private:
  void Handle(const mvccpb::Event& event);
  bool PayloadMatches(const mvccpb::KeyValue& kv, int64_t number) const;

  const WritePlan* const plan_;
  RunTally* const tally_;
  const etcdserverpb::WatchRequest* const create_;
  const bool decode_values_;
  grpc::ClientContext context_;
  etcdserverpb::WatchResponse response_;
  Ledger ledger_;
};

// etcd (single member, loopback, fresh data directory) in its own process.
class EtcdFeed final : public PooledFeedSystem<KeyWatcher> {
 public:
  // Starts `etcd_binary` on free loopback ports and puts the warm-up key.
  // Every value is `payload` renumbered for its key, so it is as large as
  // the importai event's issue.
  static absl::StatusOr<std::unique_ptr<EtcdFeed>> Start(
      const std::string& etcd_binary, const v1::Issue& payload, int writes,
      bool decode_values);

  ~EtcdFeed() override;

  std::string name() const override { return "etcd"; }
  pid_t server_pid() const override { return server_->pid(); }
  int64_t head_revision() const override { return head_revision_; }
  void Subscribe(int count, int per_connection, const WritePlan* plan,
                 RunTally* tally) override;
  absl::Status Write(const WritePlan& plan, int index) override;

 private:
  explicit EtcdFeed(bool decode_values)
      : dir_("feed-bench-etcd"), decode_values_(decode_values) {}

  absl::Status Launch(const std::string& etcd_binary);
  absl::Status AwaitServing();
  absl::StatusOr<etcdserverpb::PutResponse> Put(
      const etcdserverpb::PutRequest& request, absl::Duration timeout);

  ScopedTempDir dir_;
  const bool decode_values_;
  std::unique_ptr<ChildProcess> server_;
  std::string address_;
  std::unique_ptr<etcdserverpb::KV::Stub> kv_;
  std::vector<etcdserverpb::PutRequest> writes_;  // built before timing
  int64_t head_revision_ = 0;
  etcdserverpb::WatchRequest watch_request_;
};

}  // namespace importai::feed_bench

#endif  // IMPORTAI_CMD_FEED_BENCH_ETCD_FEED_H_
