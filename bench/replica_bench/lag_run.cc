#include "bench/replica_bench/lag_run.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "cmd/feed_bench/feed_run.h"
#include "cmd/feed_bench/importai_feed.h"
#include "cmd/feed_bench/ledger.h"
#include "grpcpp/client_context.h"
#include "services/testing/http_get.h"

namespace importai::replica_bench {
namespace {

using feed_bench::IssueWatcher;
using feed_bench::Ledger;
using feed_bench::Nanos;
using feed_bench::NowNanos;
using feed_bench::RunTally;
using feed_bench::SubscriberPool;
using feed_bench::WritePlan;

constexpr absl::Duration kFinishTimeout = absl::Seconds(15);
constexpr absl::Duration kPollInterval = absl::Microseconds(200);

// Waits until every subscriber still running has writes [from, to).
bool AwaitDelivered(const RunTally& tally, int from, int to,
                    absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  for (int i = from; i < to; ++i) {
    while (tally.delivered(i) < tally.subscribers() - tally.failed()) {
      if (absl::Now() > deadline) return false;
      absl::SleepFor(kPollInterval);
    }
  }
  return true;
}

// The value of the unlabelled sample `name` in a Prometheus text exposition.
double MetricValue(absl::string_view exposition, absl::string_view name) {
  for (absl::string_view line : absl::StrSplit(exposition, '\n')) {
    if (!absl::ConsumePrefix(&line, name) || !absl::ConsumePrefix(&line, " ")) {
      continue;
    }
    double value = 0;
    if (absl::SimpleAtod(line, &value)) return value;
  }
  return 0;
}

// Scrapes every replica's lag gauges until stopped, keeping the largest.
class LagScraper {
 public:
  LagScraper(const Cluster& cluster, absl::Duration interval,
             std::vector<ReplicaLag>* replicas)
      : thread_([this, &cluster, interval, replicas] {
          while (!stop_.load()) {
            for (size_t i = 1; i < cluster.servers().size(); ++i) {
              auto text = services::testing::HttpGet(
                  cluster.servers()[i].metrics_port, "/metrics");
              if (!text.ok()) continue;
              ReplicaLag& lag = (*replicas)[i - 1];
              lag.max_metric_lag_revisions = std::max(
                  lag.max_metric_lag_revisions,
                  MetricValue(*text, "importai_replica_lag_revisions"));
              lag.max_metric_lag_seconds =
                  std::max(lag.max_metric_lag_seconds,
                           MetricValue(*text, "importai_replica_lag_seconds"));
            }
            absl::SleepFor(interval);
          }
        }) {}
  ~LagScraper() {
    stop_.store(true);
    thread_.join();
  }

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// The commit_time of each revision of `plan` (Unix ns, 0: not seen), read
// back from the primary's log.
std::vector<int64_t> CommitTimes(const std::string& primary,
                                 const WritePlan& plan, int writes) {
  std::vector<int64_t> commit_times(plan.writes(), 0);
  auto archive =
      v1::ArchiveService::NewStub(feed_bench::NewConnection(primary, -1));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  v1::WatchIssuesRequest request;
  request.set_start_revision(plan.first_revision);
  request.set_view(v1::ISSUE_VIEW_BASIC);
  auto reader = archive->WatchIssues(&context, request);
  v1::WatchIssuesResponse event;
  for (int seen = 0; seen < writes && reader->Read(&event);) {
    const int64_t index = event.revision() - plan.first_revision;
    if (event.type() == v1::EVENT_TYPE_PROGRESS || index < 0 ||
        index >= plan.writes()) {
      continue;
    }
    commit_times[index] = event.commit_time().seconds() * 1'000'000'000 +
                          event.commit_time().nanos();
    ++seen;
  }
  context.TryCancel();
  reader->Finish();
  return commit_times;
}

void Sort(std::vector<double>* values) {
  std::sort(values->begin(), values->end());
}

// Sends writes 1.. of `requests` at a steady rate; write 0 was the priming.
void SendSteadily(Cluster& cluster,
                  const std::vector<v1::IngestIssuesRequest>& requests,
                  const LagOptions& options, WritePlan* plan,
                  LagResult* result) {
  const Nanos interval =
      static_cast<Nanos>(1e9 / std::max(options.issues_per_second, 0.001));
  const Nanos start = NowNanos();
  for (int i = 1; i < plan->writes(); ++i) {
    const Nanos due = start + (i - 1) * interval;
    const Nanos now = NowNanos();
    if (now < due) {
      absl::SleepFor(absl::Nanoseconds(due - now));
    } else if (now - due > interval) {
      ++result->late_sends;
    }
    plan->send_times[i] = NowNanos();
    auto revision = cluster.Ingest(requests[i]);
    plan->ack_times[i] = NowNanos();
    if (!revision.ok() || *revision != plan->RevisionOf(i)) {
      result->error = absl::StrCat(
          "write ", i, ": ",
          revision.ok() ? absl::StrCat("revision ", *revision, ", expected ",
                                       plan->RevisionOf(i))
                        : revision.status().ToString());
      return;
    }
    result->issues_sent = i;
    result->ingest_ms.push_back((plan->ack_times[i] - plan->send_times[i]) /
                                1e6);
  }
  if (result->issues_sent > 1) {
    result->achieved_per_second =
        (result->issues_sent - 1) /
        ((plan->send_times[result->issues_sent] - plan->send_times[1]) / 1e9);
  }
}

// Lags per revision from the ledgers: index 0 is the primary's subscriber.
void Summarize(const WritePlan& plan, const std::vector<const Ledger*>& ledgers,
               const std::vector<int64_t>& commit_times,
               int64_t wall_minus_steady, LagResult* result) {
  const Ledger& primary = *ledgers[0];
  for (const Ledger* ledger : ledgers) {
    result->mismatched += ledger->duplicates() + ledger->out_of_order() +
                          ledger->unexpected() + ledger->mismatched();
  }
  for (int i = 1; i <= result->issues_sent; ++i) {
    const Nanos at_primary = primary.receive_times()[i];
    if (at_primary != 0 && commit_times[i] != 0) {
      result->primary_commit_ms.push_back(
          (at_primary + wall_minus_steady - commit_times[i]) / 1e6);
    }
    for (size_t r = 1; r < ledgers.size(); ++r) {
      const Nanos at_replica = ledgers[r]->receive_times()[i];
      if (at_primary == 0 || at_replica == 0) {
        ++result->missing;
        continue;
      }
      ReplicaLag& lag = result->replicas[r - 1];
      lag.stream_lag_ms.push_back((at_replica - at_primary) / 1e6);
      if (commit_times[i] != 0) {
        lag.commit_lag_ms.push_back(
            (at_replica + wall_minus_steady - commit_times[i]) / 1e6);
      }
    }
  }
  Sort(&result->ingest_ms);
  Sort(&result->primary_commit_ms);
  for (ReplicaLag& lag : result->replicas) {
    Sort(&lag.stream_lag_ms);
    Sort(&lag.commit_lag_ms);
  }
}

}  // namespace

LagResult MeasureLag(Cluster& cluster, const feed_bench::IssueText& text,
                     const LagOptions& options) {
  LagResult result;
  const int servers = static_cast<int>(cluster.servers().size());
  for (int i = 1; i < servers; ++i) {
    result.replicas.emplace_back();
    result.replicas.back().role = cluster.servers()[i].role;
  }
  const int writes = options.issues + 1;  // write 0 primes every stream
  std::vector<v1::IngestIssuesRequest> requests;
  for (int i = 0; i < writes; ++i) {
    requests.push_back(IngestRequest(text, options.first_number + i));
  }
  result.issue_bytes = requests[0].text().size();
  WritePlan plan(options.first_number, cluster.head_revision() + 1, writes);
  RunTally tally(servers, writes);
  v1::WatchIssuesRequest watch;
  watch.set_start_revision(plan.first_revision);
  watch.set_view(v1::ISSUE_VIEW_FULL);
  // Both clocks at once, for comparing receive times with commit times.
  const int64_t wall_minus_steady = absl::ToUnixNanos(absl::Now()) - NowNanos();

  std::vector<std::unique_ptr<SubscriberPool<IssueWatcher>>> pools;
  for (const ServerProcess& server : cluster.servers()) {
    pools.push_back(std::make_unique<SubscriberPool<IssueWatcher>>());
    pools.back()->Open(server.address, 1, 1, &plan, &tally, &watch);
  }
  // The priming write: every stream is connected and delivering before the
  // measured writes start.
  plan.send_times[0] = NowNanos();
  auto primed = cluster.Ingest(requests[0]);
  plan.ack_times[0] = NowNanos();
  if (!primed.ok() || *primed != plan.RevisionOf(0)) {
    result.error = absl::StrCat(
        "priming write: ",
        primed.ok() ? "unexpected revision" : primed.status().ToString());
  } else if (!AwaitDelivered(tally, 0, 1, options.delivery_timeout)) {
    result.error = "the priming write did not reach every subscriber";
  }
  if (result.error.empty()) {
    LagScraper scraper(cluster, options.metrics_interval, &result.replicas);
    SendSteadily(cluster, requests, options, &plan, &result);
    if (!AwaitDelivered(tally, 1, result.issues_sent + 1,
                        options.delivery_timeout)) {
      result.notes.push_back("some revisions never reached a subscriber");
    }
  }

  tally.RequestCancel();
  for (auto& pool : pools) pool->CancelAll();
  const absl::Time deadline = absl::Now() + kFinishTimeout;
  while (tally.finished() < servers && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  const bool all_finished = tally.finished() == servers;
  if (tally.failed() > 0) {
    result.notes.push_back("a subscriber failed: " + tally.first_error());
  }
  if (!all_finished) {
    result.error = "streams did not end after cancellation";
  } else if (result.issues_sent > 0) {
    std::vector<const Ledger*> ledgers;
    for (const auto& pool : pools) ledgers.push_back(pool->Ledgers()[0]);
    Summarize(
        plan, ledgers,
        CommitTimes(cluster.primary().address, plan, result.issues_sent + 1),
        wall_minus_steady, &result);
  }
  for (auto& pool : pools) pool->Release(all_finished);
  return result;
}

}  // namespace importai::replica_bench
