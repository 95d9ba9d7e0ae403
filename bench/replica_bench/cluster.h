#ifndef IMPORTAI_BENCH_REPLICA_BENCH_CLUSTER_H_
#define IMPORTAI_BENCH_REPLICA_BENCH_CLUSTER_H_

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "cmd/feed_bench/child_process.h"
#include "cmd/feed_bench/issue_text.h"
#include "grpcpp/channel.h"
#include "importai/v1/ingest_service.pb.h"

namespace importai::replica_bench {

// One importai-server process of a cluster.
struct ServerProcess {
  std::string role;  // "primary", "replica-1", ...
  std::unique_ptr<feed_bench::ChildProcess> process;
  std::string address;                     // HOST:PORT of its gRPC services
  int metrics_port = 0;                    // its --metrics_listen port
  std::shared_ptr<grpc::Channel> channel;  // for the benchmark's own calls
};

// A primary and `replicas` read replicas (importai-server --follow), real
// processes on 127.0.0.1, each on a fresh data directory under one
// temporary directory. Servers are stopped, replicas first, on destruction.
class Cluster {
 public:
  // Starts the primary, ingests the warm-up issue (`text` numbered
  // `warm_up_number`), starts the replicas and waits until they have it.
  static absl::StatusOr<std::unique_ptr<Cluster>> Start(
      const std::string& server_binary, int replicas,
      const feed_bench::IssueText& text, int warm_up_number);

  ~Cluster();
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  // The primary first, then the replicas.
  const std::vector<ServerProcess>& servers() const { return servers_; }
  const ServerProcess& primary() const { return servers_.front(); }
  std::vector<std::string> addresses() const;
  int64_t head_revision() const { return head_revision_; }

  // User + system CPU seconds of every server so far.
  double CpuSeconds() const;

  // Stores one issue on the primary (one IngestIssues on its channel);
  // returns its revision. Fails unless the request created exactly one issue.
  absl::StatusOr<int64_t> Ingest(const v1::IngestIssuesRequest& request);

  // Waits until every replica's feed head is at least `revision`.
  absl::Status AwaitReplicas(int64_t revision, absl::Duration timeout) const;

 private:
  Cluster() : dir_("replica-bench") {}

  absl::Status Launch(const std::string& server_binary, const std::string& role,
                      const std::vector<std::string>& extra_flags);

  feed_bench::ScopedTempDir dir_;
  std::vector<ServerProcess> servers_;
  int64_t head_revision_ = 0;
};

// An IngestIssues request storing `text` as issue `number`.
v1::IngestIssuesRequest IngestRequest(const feed_bench::IssueText& text,
                                      int number);

}  // namespace importai::replica_bench

#endif  // IMPORTAI_BENCH_REPLICA_BENCH_CLUSTER_H_
