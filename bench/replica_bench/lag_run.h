#ifndef IMPORTAI_BENCH_REPLICA_BENCH_LAG_RUN_H_
#define IMPORTAI_BENCH_REPLICA_BENCH_LAG_RUN_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "bench/replica_bench/cluster.h"
#include "cmd/feed_bench/issue_text.h"

namespace importai::replica_bench {

struct LagOptions {
  double issues_per_second = 20;
  int issues = 200;
  // Issue numbers: first_number is the priming write (not measured), the
  // measured ones follow it.
  int first_number = 200000;
  absl::Duration delivery_timeout = absl::Seconds(30);
  absl::Duration metrics_interval = absl::Milliseconds(100);
};

// Replication lag of one replica over the measured revisions, in ms, each
// vector sorted.
struct ReplicaLag {
  std::string role;
  // Receive time on the replica's subscriber - on the primary's: both
  // WatchIssues streams of this process, read the same way.
  std::vector<double> stream_lag_ms;
  // Receive time on the replica's subscriber - the revision's commit_time
  // (the primary's clock, which is this machine's).
  std::vector<double> commit_lag_ms;
  // The largest importai_replica_lag_revisions / _seconds the replica's
  // metrics endpoint showed while the issues went in.
  double max_metric_lag_revisions = 0;
  double max_metric_lag_seconds = 0;
};

struct LagResult {
  std::string error;  // empty if the run completed
  std::vector<std::string> notes;
  int issues_sent = 0;
  double achieved_per_second = 0;
  int late_sends = 0;  // sent more than one interval behind schedule
  size_t issue_bytes = 0;
  std::vector<double> ingest_ms;          // send to acknowledgement, sorted
  std::vector<double> primary_commit_ms;  // commit_time to primary receipt
  std::vector<ReplicaLag> replicas;
  int64_t missing = 0;     // revisions some subscriber never got
  int64_t mismatched = 0;  // wrong revision, duplicates, out of order, ...
};

// Opens one WatchIssues subscriber (FULL view) on every server of `cluster`,
// from the next revision on, then ingests `options.issues` issues (`text`
// renumbered) on the primary at a steady `options.issues_per_second`,
// and compares, per revision, when each replica's subscriber got it with
// when the primary's did.
LagResult MeasureLag(Cluster& cluster, const feed_bench::IssueText& text,
                     const LagOptions& options);

}  // namespace importai::replica_bench

#endif  // IMPORTAI_BENCH_REPLICA_BENCH_LAG_RUN_H_
