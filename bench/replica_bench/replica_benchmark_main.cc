// replica_benchmark: read replicas (importai-server --follow) measured with
// real processes on 127.0.0.1, each on a fresh temporary data directory.
// Each repetition:
//   1. Replication lag. A primary and --replicas replicas; one WatchIssues
//      subscriber (FULL view) on every server, from the next revision; then
//      --ingest_rate full issues a second for --ingest_seconds on the
//      primary. Per revision: when the replica's subscriber got it minus
//      when the primary's did (both streams in this process, same clock,
//      read the same way), and minus the revision's commit_time; the
//      replicas' importai_replica_lag_* gauges are scraped meanwhile.
//   2. Lookups, on the same servers: GetIssue FULL of every stored issue in
//      turn, from the same closed-loop client (--connections x --in_flight
//      calls outstanding, for --lookup_seconds after a warm-up), against the
//      primary alone and then spread over the primary and the replicas; each
//      answer must be exactly the primary's bytes. ops/s, p50/p99, and the
//      CPU of every server per op.
//   3. Feed deliveries, with feed_benchmark's RunFeed: --subscribers streams
//      on one server alone, then spread over a fresh primary and replicas;
//      --feed_writes issues, each awaited by every subscriber; latency from
//      the ingest's send to each receipt, and every server's CPU per delivery.
// The order of the two setups alternates between repetitions. Prints the
// medians over --repetitions; exits 1 if anything was missing or wrong.
//   scripts/replica-bench.sh [--repetitions=3] [--subscribers=1000] ...
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "bench/replica_bench/cluster.h"
#include "bench/replica_bench/cluster_feed.h"
#include "bench/replica_bench/lag_run.h"
#include "bench/replica_bench/lookup_load.h"
#include "bench/replica_bench/report_table.h"
#include "cmd/feed_bench/child_process.h"
#include "cmd/feed_bench/feed_run.h"
#include "cmd/feed_bench/issue_text.h"
#include "cmd/feed_bench/ledger.h"
#include "cmd/lookup_bench/systems.h"
#include "importai/v1/archive_service.pb.h"

ABSL_FLAG(int, repetitions, 3, "how often the whole sequence runs");
ABSL_FLAG(int, replicas, 2, "read replicas beside the primary");
ABSL_FLAG(int, issue_bytes, 24 * 1024,
          "size of each ingested issue's text (original filler text in the "
          "newsletter's format)");
ABSL_FLAG(std::string, corpus, "",
          "instead of filler: newsletter text whose largest issue is ingested");
ABSL_FLAG(double, ingest_rate, 20, "lag: issues ingested per second");
ABSL_FLAG(absl::Duration, ingest_duration, absl::Seconds(10),
          "lag: how long the steady ingest lasts");
ABSL_FLAG(absl::Duration, lookup_duration, absl::Seconds(5),
          "lookups: the measured run of each setup");
ABSL_FLAG(absl::Duration, lookup_warm_up, absl::Seconds(1),
          "lookups: the unmeasured run before it, on the same connections");
ABSL_FLAG(int, connections, 6,
          "lookups: client connections, dealt round the servers in turn");
ABSL_FLAG(int, in_flight, 8, "lookups: calls outstanding per connection");
ABSL_FLAG(int, client_threads, 2, "lookups: client completion-queue threads");
ABSL_FLAG(int, subscribers, 1000, "feed: WatchIssues streams in all");
ABSL_FLAG(int, subscribers_per_connection, 200,
          "feed: streams sharing one HTTP/2 connection");
ABSL_FLAG(int, feed_writes, 10,
          "feed: issues written, each once every subscriber has the last");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(900),
          "overall limit: past it the servers are killed and the benchmark "
          "exits with 124");
ABSL_FLAG(std::string, server_binary, IMPORTAI_SERVER_BINARY,
          "the importai-server binary");

namespace importai::replica_bench {
namespace {

constexpr char kGetIssue[] = "/importai.v1.ArchiveService/GetIssue";
constexpr int kWarmUpNumber = feed_bench::kWarmUpNumber;
constexpr int kLagFirstNumber = 200000;

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one_minute;
  in >> one_minute;
  return one_minute.empty() ? "unknown" : one_minute;
}

feed_bench::IssueText LoadIssueText() {
  const std::string path = absl::GetFlag(FLAGS_corpus);
  if (!path.empty()) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream corpus;
    corpus << in.rdbuf();
    auto largest = feed_bench::IssueText::LargestIn(corpus.str());
    if (in && largest.ok()) return *largest;
    std::fprintf(stderr, "replica_benchmark: no issue in %s\n", path.c_str());
    std::exit(2);
  }
  // Generated() goes past its target and then adds the closing tale: aim
  // lower by what it overshoots.
  const size_t target = std::max(1024, absl::GetFlag(FLAGS_issue_bytes));
  const size_t over = feed_bench::IssueText::Generated(target).size() - target;
  return feed_bench::IssueText::Generated(target > 2 * over ? target - over
                                                            : target);
}

double Quantile(const std::vector<double>& sorted, double q) {
  return feed_bench::FeedResult::Quantile(sorted, q);
}

// Per-op figures in µs; NaN without ops.
double MicrosPer(double seconds, double count) {
  return count > 0 ? seconds * 1e6 / count : NAN;
}

// Everything that went wrong, across phases and repetitions.
class Problems {
 public:
  void Add(int repetition, const std::string& what) {
    lines_.push_back(absl::StrCat("repetition ", repetition + 1, ": ", what));
  }
  bool empty() const { return lines_.empty(); }
  void Print(std::FILE* out) const {
    for (const std::string& line : lines_) {
      std::fprintf(out, "  %s\n", line.c_str());
    }
  }

 private:
  std::vector<std::string> lines_;
};

struct Tables {
  Tables(const std::vector<std::string>& lag_columns,
         const std::vector<std::string>& setups)
      : lag("Replication lag, steady ingest on the primary", lag_columns),
        ingest("Ingest during the lag run", {"primary"}),
        lookups("Lookups: GetIssue FULL, same client, same concurrency",
                setups),
        feed("Feed deliveries: WatchIssues FULL, ingest send to receipt",
             setups) {}

  RepeatedTable lag;
  RepeatedTable ingest;
  RepeatedTable lookups;
  RepeatedTable feed;
};

void RecordLag(const LagResult& result, int repetition, Tables* tables,
               Problems* problems) {
  if (!result.error.empty()) problems->Add(repetition, "lag: " + result.error);
  for (const std::string& note : result.notes) {
    problems->Add(repetition, "lag: " + note);
  }
  if (result.missing > 0 || result.mismatched > 0) {
    problems->Add(repetition,
                  absl::StrCat("lag: ", result.missing, " missing and ",
                               result.mismatched, " wrong deliveries"));
  }
  RepeatedTable& lag = tables->lag;
  const struct {
    const char* name;
    double q;
  } kQuantiles[] = {{"p50", 0.5}, {"p99", 0.99}, {"max", 1.0}};
  for (const auto& [name, q] : kQuantiles) {
    for (size_t r = 0; r < result.replicas.size(); ++r) {
      lag.Add(absl::StrCat("lag vs primary's subscriber ", name, " (ms)"),
              static_cast<int>(r) + 1,
              Quantile(result.replicas[r].stream_lag_ms, q), 2);
    }
  }
  for (const auto& [name, q] : kQuantiles) {
    const std::string label =
        absl::StrCat("commit -> subscriber ", name, " (ms)");
    lag.Add(label, 0, Quantile(result.primary_commit_ms, q), 2);
    for (size_t r = 0; r < result.replicas.size(); ++r) {
      lag.Add(label, static_cast<int>(r) + 1,
              Quantile(result.replicas[r].commit_lag_ms, q), 2);
    }
  }
  for (size_t r = 0; r < result.replicas.size(); ++r) {
    const ReplicaLag& replica = result.replicas[r];
    lag.Add("gauge lag_revisions, max scraped", static_cast<int>(r) + 1,
            replica.max_metric_lag_revisions, 0);
    lag.Add("gauge lag_seconds, max scraped", static_cast<int>(r) + 1,
            replica.max_metric_lag_seconds, 3);
  }
  RepeatedTable& ingest = tables->ingest;
  ingest.Add("issues ingested", 0, result.issues_sent, 0);
  ingest.Add("achieved issues/s", 0, result.achieved_per_second, 1);
  ingest.Add("sent late (> 1 interval behind)", 0, result.late_sends, 0);
  ingest.Add("IngestIssues send->ack p50 (ms)", 0,
             Quantile(result.ingest_ms, 0.5), 2);
  ingest.Add("IngestIssues send->ack p99 (ms)", 0,
             Quantile(result.ingest_ms, 0.99), 2);
  ingest.Add("issue text (bytes)", 0, static_cast<double>(result.issue_bytes),
             0);
}

// GetIssue FULL of every stored issue, answered by the primary; every
// replica must answer each exactly the same.
absl::StatusOr<std::vector<LookupCall>> LookupCalls(const Cluster& cluster,
                                                    int lag_issues) {
  std::vector<int> numbers = {kWarmUpNumber};
  for (int i = 0; i <= lag_issues; ++i) numbers.push_back(kLagFirstNumber + i);
  const std::vector<ServerProcess>& servers = cluster.servers();
  std::vector<LookupCall> calls;
  for (int number : numbers) {
    v1::GetIssueRequest request;
    request.set_name(absl::StrCat("issues/", number));
    request.set_view(v1::ISSUE_VIEW_FULL);
    LookupCall call;
    call.request = request.SerializeAsString();
    auto expected =
        lookup_bench::CallRaw(servers[0].channel, kGetIssue, call.request);
    if (!expected.ok()) return expected.status();
    call.response = *std::move(expected);
    for (size_t i = 1; i < servers.size(); ++i) {
      auto answer =
          lookup_bench::CallRaw(servers[i].channel, kGetIssue, call.request);
      if (!answer.ok()) return answer.status();
      if (*answer != call.response) {
        return absl::DataLossError(
            absl::StrCat(servers[i].role, " answers GetIssue ", number,
                         " differently from the primary"));
      }
    }
    calls.push_back(std::move(call));
  }
  return calls;
}

LookupOptions LookupOptionsFromFlags() {
  LookupOptions options;
  options.connections = absl::GetFlag(FLAGS_connections);
  options.in_flight_per_connection = absl::GetFlag(FLAGS_in_flight);
  options.client_threads = absl::GetFlag(FLAGS_client_threads);
  return options;
}

void RecordLookups(const LookupResult& result, int column, int repetition,
                   Tables* tables, Problems* problems) {
  if (result.failed > 0 || result.wrong > 0 || result.ok == 0) {
    problems->Add(
        repetition,
        absl::StrCat("lookups (", column == 0 ? "1 server" : "all",
                     "): ", result.ok, " ok, ", result.failed, " failed, ",
                     result.wrong, " wrong bytes; ", result.first_error));
  }
  RepeatedTable& lookups = tables->lookups;
  lookups.Add("GetIssue/s", column, result.OpsPerSecond(), 0);
  lookups.Add("latency p50 (ms)", column, Quantile(result.latencies_ms, 0.5),
              2);
  lookups.Add("latency p99 (ms)", column, Quantile(result.latencies_ms, 0.99),
              2);
  lookups.Add("server CPU per GetIssue (us, all)", column,
              MicrosPer(result.server_cpu_s, result.ok), 1);
  lookups.Add("server CPU busy (cores, all)", column,
              result.seconds > 0 ? result.server_cpu_s / result.seconds : NAN,
              2);
  lookups.Add("client CPU per GetIssue (us)", column,
              MicrosPer(result.client_cpu_s, result.ok), 1);
  lookups.Add("failed + wrong answers", column,
              static_cast<double>(result.failed + result.wrong), 0);
}

// Phases 1 and 2 on one cluster.
void LagAndLookups(const feed_bench::IssueText& text, int repetition,
                   Tables* tables, Problems* problems) {
  const int replicas = absl::GetFlag(FLAGS_replicas);
  auto cluster = Cluster::Start(absl::GetFlag(FLAGS_server_binary), replicas,
                                text, kWarmUpNumber);
  if (!cluster.ok()) {
    problems->Add(repetition,
                  "cannot start the cluster: " + cluster.status().ToString());
    return;
  }
  LagOptions lag_options;
  lag_options.issues_per_second = absl::GetFlag(FLAGS_ingest_rate);
  lag_options.issues = std::max(
      1, static_cast<int>(std::lround(
             lag_options.issues_per_second *
             absl::ToDoubleSeconds(absl::GetFlag(FLAGS_ingest_duration)))));
  lag_options.first_number = kLagFirstNumber;
  std::printf("repetition %d: lag, %d issues at %.1f/s\n", repetition + 1,
              lag_options.issues, lag_options.issues_per_second);
  std::fflush(stdout);
  const LagResult lag = MeasureLag(**cluster, text, lag_options);
  RecordLag(lag, repetition, tables, problems);
  if (!lag.error.empty()) return;

  if (absl::Status caught_up = (*cluster)->AwaitReplicas(
          (*cluster)->head_revision(), absl::Seconds(60));
      !caught_up.ok()) {
    problems->Add(repetition, "lookups: " + caught_up.ToString());
    return;
  }
  auto calls = LookupCalls(**cluster, lag.issues_sent);
  if (!calls.ok()) {
    problems->Add(repetition, "lookups: " + calls.status().ToString());
    return;
  }
  const std::vector<std::string> all = (*cluster)->addresses();
  const std::vector<std::vector<std::string>> setups = {{all[0]}, all};
  const auto cpu = [&cluster] { return (*cluster)->CpuSeconds(); };
  for (int k = 0; k < 2; ++k) {
    const int column = (k + repetition) % 2;  // alternate the order
    std::printf("repetition %d: lookups on %s\n", repetition + 1,
                column == 0 ? "one server" : "every server");
    std::fflush(stdout);
    LookupLoad load(kGetIssue, *calls, setups[column],
                    LookupOptionsFromFlags());
    load.Run(absl::GetFlag(FLAGS_lookup_warm_up), cpu);
    RecordLookups(load.Run(absl::GetFlag(FLAGS_lookup_duration), cpu), column,
                  repetition, tables, problems);
  }
}

void RecordFeed(const feed_bench::FeedResult& result, double cluster_cpu_s,
                int column, int repetition, Tables* tables,
                Problems* problems) {
  if (!result.ok()) {
    std::string what = absl::StrCat(
        "feed (", result.system, "): ", result.delivered, " delivered, ",
        result.missing, " missing, ", result.duplicates, " duplicate, ",
        result.out_of_order, " out of order, ", result.mismatched,
        " mismatched, ", result.failed_subscribers, " failed subscribers");
    if (!result.error.empty()) absl::StrAppend(&what, "; ", result.error);
    problems->Add(repetition, what);
  }
  for (const std::string& note : result.notes) {
    problems->Add(repetition,
                  absl::StrCat("feed (", result.system, "): ", note));
  }
  const double delivered = static_cast<double>(result.delivered);
  RepeatedTable& feed = tables->feed;
  feed.Add("delivery latency p50 (ms)", column, result.LatencyMs(0.5), 2);
  feed.Add("delivery latency p99 (ms)", column, result.LatencyMs(0.99), 2);
  feed.Add("delivery latency max (ms)", column, result.LatencyMs(1.0), 2);
  feed.Add("deliveries/s (first send to last receipt)", column,
           result.events_per_second, 0);
  feed.Add("server CPU per delivery (us, all)", column,
           MicrosPer(cluster_cpu_s, delivered), 1);
  feed.Add("client CPU per delivery (us)", column,
           MicrosPer(result.client_cpu_s, delivered), 1);
  feed.Add("all streams confirmed open (ms)", column, result.open_ms, 0);
  feed.Add("primary RSS per idle subscriber (KiB)", column,
           column == 0 ? result.RssPerSubscriberKib() : NAN, 1);
  feed.Add(
      "deliveries expected - delivered", column,
      static_cast<double>(int64_t{result.subscribers} * result.writes_sent -
                          result.delivered),
      0);
}

// Phase 3: a fresh server alone, then a fresh primary with replicas (or the
// other way round), each with the same subscribers and writes.
void FeedDeliveries(const feed_bench::IssueText& text, int repetition,
                    Tables* tables, Problems* problems) {
  feed_bench::RunOptions options;
  options.subscribers = absl::GetFlag(FLAGS_subscribers);
  options.per_connection = absl::GetFlag(FLAGS_subscribers_per_connection);
  options.writes = absl::GetFlag(FLAGS_feed_writes);
  options.idle = absl::Seconds(1);
  const int replica_counts[] = {0, absl::GetFlag(FLAGS_replicas)};
  for (int k = 0; k < 2; ++k) {
    const int column = (k + repetition) % 2;
    std::printf("repetition %d: feed, %d subscribers on %s\n", repetition + 1,
                options.subscribers,
                column == 0 ? "one server" : "every server");
    std::fflush(stdout);
    auto feed =
        ClusterFeed::Start(absl::GetFlag(FLAGS_server_binary),
                           replica_counts[column], text, options.writes);
    if (!feed.ok()) {
      problems->Add(repetition,
                    "feed: cannot start: " + feed.status().ToString());
      continue;
    }
    const feed_bench::FeedResult result = feed_bench::RunFeed(**feed, options);
    RecordFeed(result, (*feed)->cluster_cpu_s(), column, repetition, tables,
               problems);
  }
}

// Operations per second that one CPU core of server time pays for, at
// `micros` of server CPU each.
double PerCore(double micros) { return micros > 0 ? 1e6 / micros : NAN; }

void PrintCapacity(const Tables& tables, int servers, std::FILE* out) {
  const char* kLookup = "server CPU per GetIssue (us, all)";
  const char* kDelivery = "server CPU per delivery (us, all)";
  const double lookup_alone = tables.lookups.Median(kLookup, 0);
  const double lookup_spread = tables.lookups.Median(kLookup, 1);
  const double delivery_alone = tables.feed.Median(kDelivery, 0);
  const double delivery_spread = tables.feed.Median(kDelivery, 1);
  const double rss_kib =
      tables.feed.Median("primary RSS per idle subscriber (KiB)", 0);
  std::fprintf(out,
               "\n== Per-server capacity (server CPU per operation, medians; "
               "alone / spread over %d servers)\n",
               servers);
  std::fprintf(out,
               "  GetIssue FULL: %.1f / %.1f us each => %.0f / %.0f lookups/s "
               "per CPU core of a server\n",
               lookup_alone, lookup_spread, PerCore(lookup_alone),
               PerCore(lookup_spread));
  std::fprintf(out,
               "  feed: %.0f / %.0f us per delivered event => %.0f / %.0f "
               "deliveries/s per CPU core of a server\n",
               delivery_alone, delivery_spread, PerCore(delivery_alone),
               PerCore(delivery_spread));
  std::fprintf(out,
               "  feed: %.1f KiB of server memory per idle subscriber => about "
               "%.0f subscribers per GiB\n",
               rss_kib, rss_kib > 0 ? 1024 * 1024 / rss_kib : NAN);
  std::fprintf(out,
               "  (CPU times come from /proc/PID/stat in 10 ms ticks per "
               "server; spread, each server gets its share of the load and "
               "shares the cores with the others and the client, so its "
               "figure is the pessimistic one)\n");
}

int Main(int argc, char** argv) {
  feed_bench::StartGuardian(absl::GetFlag(FLAGS_timeout));
  feed_bench::RaiseOpenFileLimit();
  const int repetitions = std::max(1, absl::GetFlag(FLAGS_repetitions));
  const int replicas = absl::GetFlag(FLAGS_replicas);
  if (replicas < 1) {
    std::fprintf(stderr, "replica_benchmark: --replicas must be at least 1\n");
    return 2;
  }
  const int servers = replicas + 1;
  const unsigned cores = std::thread::hardware_concurrency();
  const feed_bench::IssueText text = LoadIssueText();

  std::vector<std::string> args(argv, argv + argc);
  std::printf("replica_benchmark: %s\n", absl::StrJoin(args, " ").c_str());
  std::printf(
      "%u CPU cores, load average before: %s; %d repetitions; issues of %zu "
      "bytes of text\n",
      cores, LoadAverage().c_str(), repetitions, text.WithNumber(0).size());
  if (cores < static_cast<unsigned>(servers) + 1) {
    std::printf(
        "NOTE: the %d servers and this client share %u cores, so spreading "
        "load over replicas adds no capacity here; the figures to carry over "
        "are the per-operation costs (CPU per op, per delivery) and the "
        "latencies, not the totals.\n",
        servers, cores);
  }
  std::fflush(stdout);

  std::vector<std::string> lag_columns = {"primary"};
  for (int i = 1; i <= replicas; ++i) {
    lag_columns.push_back(absl::StrCat("replica-", i));
  }
  const std::string spread = absl::StrCat("primary+", replicas, " replicas");
  Tables tables(lag_columns, {"1 server", spread});
  Problems problems;
  for (int repetition = 0; repetition < repetitions; ++repetition) {
    LagAndLookups(text, repetition, &tables, &problems);
    FeedDeliveries(text, repetition, &tables, &problems);
  }

  tables.lag.Print(stdout);
  std::printf(
      "  lag vs primary's subscriber: when the replica's WatchIssues "
      "subscriber got a revision minus when the primary's did (this "
      "process, one clock): the replica's receive, apply (synced write) and "
      "fan-out.\n  commit -> subscriber: a subscriber's receipt minus the "
      "revision's commit_time (same machine clock).\n  gauges: the "
      "replicas' importai_replica_lag_* on --metrics_listen, scraped every "
      "100 ms during the ingest.\n");
  tables.ingest.Print(stdout);
  tables.lookups.Print(stdout);
  std::printf(
      "  %d connections x %d calls in flight, %s measured after %s warm-up; "
      "\"all\" sums the CPU of all %d servers (idle ones included).\n",
      absl::GetFlag(FLAGS_connections), absl::GetFlag(FLAGS_in_flight),
      absl::FormatDuration(absl::GetFlag(FLAGS_lookup_duration)).c_str(),
      absl::FormatDuration(absl::GetFlag(FLAGS_lookup_warm_up)).c_str(),
      servers);
  tables.feed.Print(stdout);
  std::printf(
      "  %d subscribers (%d per connection), %d writes; \"1 server\" is a "
      "server without replicas; subscribers on replicas include the "
      "replication lag.\n",
      absl::GetFlag(FLAGS_subscribers),
      absl::GetFlag(FLAGS_subscribers_per_connection),
      absl::GetFlag(FLAGS_feed_writes));
  PrintCapacity(tables, servers, stdout);
  if (!problems.empty()) {
    std::printf("\nreplica_benchmark: FAILED\n");
    problems.Print(stdout);
    return 1;
  }
  std::printf(
      "\nreplica_benchmark: every revision, answer and delivery "
      "checked\n");
  return 0;
}

}  // namespace
}  // namespace importai::replica_bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  // As in importai-server: Debian's abseil would check every absl::Mutex
  // acquisition in the gRPC client for lock-order cycles.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  return importai::replica_bench::Main(argc, argv);
}
