// feed_benchmark: change-feed fan-out of importai-server's WatchIssues
// against etcd's Watch, both real processes on 127.0.0.1, one after the
// other on fresh data directories. For each subscriber count N it measures
//   - server RSS per idle subscriber: (RSS with N idle streams - RSS before
//     opening them) / N;
//   - write-to-delivery latency: K issues written one at a time (each the
//     largest corpus issue, renumbered; etcd stores the same Issue bytes
//     under issues/N), from just before the write is sent until each
//     subscriber has the event, over every subscriber and write;
//   - delivered events/s, from the first send to the last delivery;
//   - that every subscriber got every event once, in order.
// Exits non-zero when a system could not run or delivered wrongly.
//   scripts/feed-bench.sh [--subscribers=1000] [--writes=20] ...
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "cmd/feed_bench/child_process.h"
#include "cmd/feed_bench/etcd_feed.h"
#include "cmd/feed_bench/feed_run.h"
#include "cmd/feed_bench/importai_feed.h"
#include "cmd/feed_bench/issue_text.h"
#include "cmd/feed_bench/report.h"

ABSL_FLAG(std::vector<std::string>, subscribers,
          std::vector<std::string>({"1000", "10000"}),
          "comma-separated subscriber counts, one comparison each");
ABSL_FLAG(int, writes, 20, "issues written, one at a time, per run");
ABSL_FLAG(int, subscribers_per_connection, 200,
          "streams sharing one HTTP/2 connection");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(300),
          "overall limit: past it the servers are killed and the benchmark "
          "exits with 124");
ABSL_FLAG(absl::Duration, idle, absl::Seconds(2),
          "how long the open subscribers sit idle before RSS is read");
ABSL_FLAG(absl::Duration, ready_timeout, absl::Seconds(30),
          "how long to wait for every stream to be confirmed open");
ABSL_FLAG(absl::Duration, delivery_timeout, absl::Seconds(30),
          "how long to wait for one write to reach every subscriber");
ABSL_FLAG(bool, await_delivery, true,
          "send the next write only once every subscriber has the last one "
          "(false: back to back, each after the previous is acknowledged)");
ABSL_FLAG(std::vector<std::string>, systems,
          std::vector<std::string>({"importai", "etcd"}),
          "which systems to run: importai, etcd or both");
ABSL_FLAG(bool, etcd_decode_values, true,
          "parse each etcd value as an Issue, as gRPC does for importai "
          "events, so both clients do the same work per event");
ABSL_FLAG(std::string, server_binary, IMPORTAI_SERVER_BINARY,
          "the importai-server binary");
ABSL_FLAG(std::string, etcd_binary, "/usr/bin/etcd", "the etcd binary");
ABSL_FLAG(std::string, corpus, FEED_BENCH_CORPUS_FILE,
          "newsletter text whose largest issue is the payload; original "
          "filler text is used when it is absent");

namespace importai::feed_bench {
namespace {

// Filler of about the corpus' largest issue's size, when there is no corpus.
constexpr size_t kFillerBytes = 20000;

std::vector<int> SubscriberCounts() {
  std::vector<int> counts;
  for (const std::string& text : absl::GetFlag(FLAGS_subscribers)) {
    int count = 0;
    if (!absl::SimpleAtoi(text, &count) || count <= 0) {
      std::fprintf(stderr, "feed_benchmark: bad --subscribers entry \"%s\"\n",
                   text.c_str());
      std::exit(2);
    }
    counts.push_back(count);
  }
  return counts;
}

bool Wants(const std::string& system) {
  for (const std::string& wanted : absl::GetFlag(FLAGS_systems)) {
    if (wanted == system) return true;
  }
  return false;
}

IssueText LoadIssueText() {
  const std::string path = absl::GetFlag(FLAGS_corpus);
  std::ifstream in(path, std::ios::binary);
  std::stringstream corpus;
  corpus << in.rdbuf();
  auto largest = IssueText::LargestIn(corpus.str());
  if (in && largest.ok()) {
    std::printf("payload: the largest issue of %s (%zu bytes of text)\n",
                path.c_str(), largest->size());
    return *largest;
  }
  std::printf("payload: original filler text (%s not usable)\n", path.c_str());
  return IssueText::Generated(kFillerBytes);
}

RunOptions Options(int subscribers) {
  RunOptions options;
  options.subscribers = subscribers;
  options.per_connection = absl::GetFlag(FLAGS_subscribers_per_connection);
  options.writes = absl::GetFlag(FLAGS_writes);
  options.idle = absl::GetFlag(FLAGS_idle);
  options.ready_timeout = absl::GetFlag(FLAGS_ready_timeout);
  options.delivery_timeout = absl::GetFlag(FLAGS_delivery_timeout);
  options.await_delivery = absl::GetFlag(FLAGS_await_delivery);
  return options;
}

// The 1-minute load average: anything else using the CPUs skews the figures.
std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one_minute;
  in >> one_minute;
  return one_minute.empty() ? "unknown" : one_minute;
}

FeedResult Failed(const std::string& system, int subscribers,
                  const absl::Status& status) {
  FeedResult result;
  result.system = system;
  result.subscribers = subscribers;
  result.error = "cannot start: " + status.ToString();
  return result;
}

// One comparison: importai first, then etcd, never both at once, so each
// server has the machine to itself. importai's server always starts, as its
// GetIssue answer is the payload etcd stores.
bool Compare(const IssueText& text, const RunOptions& options) {
  std::vector<FeedResult> results;
  Setup setup{options.subscribers, options.writes, options.per_connection, 0,
              LoadAverage()};
  auto ours = ImportAiFeed::Start(absl::GetFlag(FLAGS_server_binary), text,
                                  options.writes);
  if (!ours.ok()) {
    results.push_back(Failed("importai", options.subscribers, ours.status()));
    PrintComparison(setup, results, stdout);
    return false;
  }
  const v1::Issue payload = (*ours)->warm_up_issue();
  setup.payload_bytes = payload.ByteSizeLong();
  if (Wants("importai")) results.push_back(RunFeed(**ours, options));
  ours->reset();  // stops the server before etcd starts

  if (Wants("etcd")) {
    auto etcd = EtcdFeed::Start(absl::GetFlag(FLAGS_etcd_binary), payload,
                                options.writes,
                                absl::GetFlag(FLAGS_etcd_decode_values));
    results.push_back(etcd.ok()
                          ? RunFeed(**etcd, options)
                          : Failed("etcd", options.subscribers, etcd.status()));
  }
  PrintComparison(setup, results, stdout);
  bool all_ok = true;
  for (const FeedResult& result : results) all_ok = all_ok && result.ok();
  return all_ok;
}

int Main() {
  StartGuardian(absl::GetFlag(FLAGS_timeout));
  const int64_t open_files = RaiseOpenFileLimit();
  const std::vector<int> counts = SubscriberCounts();
  std::printf("feed_benchmark: open-file limit %lld\n",
              static_cast<long long>(open_files));
  const IssueText text = LoadIssueText();
  bool all_ok = true;
  for (int count : counts) all_ok = Compare(text, Options(count)) && all_ok;
  std::printf("\n%s\n", all_ok ? "feed_benchmark: all runs delivered correctly"
                               : "feed_benchmark: FAILED (see above)");
  return all_ok ? 0 : 1;
}

}  // namespace
}  // namespace importai::feed_bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  // As in importai-server: Debian's abseil would check every absl::Mutex
  // acquisition in the gRPC client for lock-order cycles.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  return importai::feed_bench::Main();
}
