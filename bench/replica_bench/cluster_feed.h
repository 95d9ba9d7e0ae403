#ifndef IMPORTAI_BENCH_REPLICA_BENCH_CLUSTER_FEED_H_
#define IMPORTAI_BENCH_REPLICA_BENCH_CLUSTER_FEED_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "bench/replica_bench/cluster.h"
#include "cmd/feed_bench/feed_run.h"
#include "cmd/feed_bench/importai_feed.h"
#include "cmd/feed_bench/issue_text.h"

namespace importai::replica_bench {

// feed_benchmark's FeedSystem over a Cluster, for feed_bench::RunFeed: the
// subscribers are spread evenly over every server (the primary and its
// replicas; a cluster without replicas is one server alone) and the writes
// go to the primary. Also measures the CPU of every server over the writes,
// from the first write until the subscribers are cancelled (RunFeed's own
// figure is the primary's alone).
class ClusterFeed final
    : public feed_bench::PooledFeedSystem<feed_bench::IssueWatcher> {
 public:
  static absl::StatusOr<std::unique_ptr<ClusterFeed>> Start(
      const std::string& server_binary, int replicas,
      const feed_bench::IssueText& text, int writes);

  ~ClusterFeed() override;

  std::string name() const override { return name_; }
  pid_t server_pid() const override {
    return cluster_->primary().process->pid();
  }
  int64_t head_revision() const override { return cluster_->head_revision(); }
  void Subscribe(int count, int per_connection,
                 const feed_bench::WritePlan* plan,
                 feed_bench::RunTally* tally) override;
  absl::Status Write(const feed_bench::WritePlan& plan, int index) override;
  void CancelSubscribers() override;

  int servers() const { return static_cast<int>(cluster_->servers().size()); }
  // Every server's CPU seconds over the writes; negative until measured.
  double cluster_cpu_s() const {
    return cpu_at_cancel_ < 0 ? -1 : cpu_at_cancel_ - cpu_at_first_write_;
  }

 private:
  ClusterFeed() = default;

  std::unique_ptr<Cluster> cluster_;
  std::string name_;
  std::vector<v1::IngestIssuesRequest> writes_;  // built before timing
  v1::WatchIssuesRequest watch_request_;
  double cpu_at_first_write_ = -1;
  double cpu_at_cancel_ = -1;
};

}  // namespace importai::replica_bench

#endif  // IMPORTAI_BENCH_REPLICA_BENCH_CLUSTER_FEED_H_
