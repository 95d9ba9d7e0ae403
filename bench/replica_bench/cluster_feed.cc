#include "bench/replica_bench/cluster_feed.h"

#include "absl/strings/str_cat.h"

namespace importai::replica_bench {

using feed_bench::kFirstWriteNumber;
using feed_bench::kWarmUpNumber;

absl::StatusOr<std::unique_ptr<ClusterFeed>> ClusterFeed::Start(
    const std::string& server_binary, int replicas,
    const feed_bench::IssueText& text, int writes) {
  std::unique_ptr<ClusterFeed> feed(new ClusterFeed());
  auto cluster = Cluster::Start(server_binary, replicas, text, kWarmUpNumber);
  if (!cluster.ok()) return cluster.status();
  feed->cluster_ = *std::move(cluster);
  feed->name_ = replicas == 0 ? "1 server"
                              : absl::StrCat("primary+", replicas, " replicas");
  for (int i = 0; i < writes; ++i) {
    feed->writes_.push_back(IngestRequest(text, kFirstWriteNumber + i));
  }
  // 0: changes after the call; RunFeed waits until every stream is open.
  feed->watch_request_.set_start_revision(0);
  feed->watch_request_.set_view(v1::ISSUE_VIEW_FULL);
  return feed;
}

ClusterFeed::~ClusterFeed() { subscribers_.Release(/*all_finished=*/false); }

void ClusterFeed::Subscribe(int count, int per_connection,
                            const feed_bench::WritePlan* plan,
                            feed_bench::RunTally* tally) {
  const int n = servers();
  for (int i = 0; i < n; ++i) {
    const int share = count / n + (i < count % n ? 1 : 0);
    subscribers_.Open(cluster_->servers()[i].address, share, per_connection,
                      plan, tally, &watch_request_);
  }
}

absl::Status ClusterFeed::Write(const feed_bench::WritePlan& plan, int index) {
  if (index == 0) cpu_at_first_write_ = cluster_->CpuSeconds();
  auto revision = cluster_->Ingest(writes_[index]);
  if (!revision.ok()) return revision.status();
  if (*revision != plan.RevisionOf(index)) {
    return absl::FailedPreconditionError(
        absl::StrCat("write ", index, " stored revision ", *revision,
                     "; expected ", plan.RevisionOf(index)));
  }
  return absl::OkStatus();
}

void ClusterFeed::CancelSubscribers() {
  // RunFeed cancels right after the last write reached every subscriber.
  if (cpu_at_first_write_ >= 0) cpu_at_cancel_ = cluster_->CpuSeconds();
  PooledFeedSystem::CancelSubscribers();
}

}  // namespace importai::replica_bench
