// importai-soak: a soak test of importai-server. It starts the server on a
// fresh data directory (or connects to a running one) and, for --warmup plus
// --duration, runs at once:
//   - lookups: GetIssue, ListIssues, GetSection, ListSections and Search,
//     --lookups_in_flight at a time (gRPC callback API);
//   - ingests: a new issue every --ingest_interval, every --update_every-th
//     one an update of an earlier issue instead;
//   - --subscribers WatchIssues streams spread over --connections HTTP/2
//     connections (ClientReadReactor: no thread per stream), each checking
//     that it gets every revision exactly once, in order;
// and samples the server's resident memory every --rss_interval. Then it
// reports errors by status code, lookups/s and ingests/s, the memory over
// time with a verdict (flat: of the samples after --warmup, the mean of the
// last third within --rss_growth of the middle third's), and whether every
// subscriber saw every revision once, in order. Exits 1 if there was any
// error, any subscriber missed, repeated or reordered a revision, or memory
// grew.
//
// So that the samples measure the serving path rather than data filling
// memory, a server it starts gets small caches (--server_cache_mb), is
// seeded with enough issues to fill its in-memory feed window, and writes a
// checkpoint (flushing RocksDB's memtables) before each sample.
//
//   importai-soak            (2 minutes after a 10 s warm-up, 1000 subscribers)
//   importai-soak --duration=20s --subscribers=200 --rss_interval=2s  (ctest)
#include <sys/types.h>

#include <algorithm>
#include <atomic>
#include <cinttypes>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cmd/feed_bench/child_process.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/client_callback.h"
#include "importai/v1/admin_service.grpc.pb.h"
#include "importai/v1/archive_service.grpc.pb.h"
#include "importai/v1/ingest_service.grpc.pb.h"

#ifndef IMPORTAI_SERVER_BINARY
#define IMPORTAI_SERVER_BINARY "importai-server"
#endif
#ifndef IMPORTAI_SAMPLE_ISSUES
#define IMPORTAI_SAMPLE_ISSUES "examples/sample-issues.txt"
#endif

ABSL_FLAG(absl::Duration, duration, absl::Minutes(2),
          "how long the load runs after the warm-up");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(10),
          "full load before the RSS samples that the verdict uses");
ABSL_FLAG(int, subscribers, 1000, "WatchIssues streams");
ABSL_FLAG(int, connections, 4, "HTTP/2 connections the streams share");
ABSL_FLAG(int, lookups_in_flight, 4, "lookup calls kept in flight");
ABSL_FLAG(absl::Duration, ingest_interval, absl::Milliseconds(50),
          "one ingest this often");
ABSL_FLAG(int, update_every, 5,
          "every Nth ingest updates an earlier issue instead of adding one");
ABSL_FLAG(int, seed_issues, 2500,
          "issues ingested (50 to a request) before the load starts: enough "
          "to fill the server's in-memory feed window (16 MiB) and caches, so "
          "that what the RSS samples see after that is not their warm-up");
ABSL_FLAG(int, replay, 20,
          "subscribers start this many revisions before the head, so they "
          "replay those from the log and then follow live");
ABSL_FLAG(absl::Duration, rss_interval, absl::Seconds(5),
          "how often the server's VmRSS is sampled");
ABSL_FLAG(double, rss_growth, 0.10,
          "largest accepted growth of mean RSS, last third over middle third");
ABSL_FLAG(std::string, view, "basic", "the subscribers' view: basic or full");
ABSL_FLAG(std::string, server_binary, IMPORTAI_SERVER_BINARY,
          "importai-server to start (unless --server)");
ABSL_FLAG(std::string, server, "",
          "HOST:PORT of a running server to use instead of starting one");
ABSL_FLAG(int, server_pid, 0, "with --server: its PID, for the RSS samples");
ABSL_FLAG(int, first_number, 100000,
          "issue number of the first issue the soak writes");
ABSL_FLAG(std::string, sample, IMPORTAI_SAMPLE_ISSUES,
          "newsletter text whose issues 901 and 902 are renumbered");
ABSL_FLAG(absl::Duration, catch_up_timeout, absl::Seconds(60),
          "how long subscribers get to reach the head after the load");
ABSL_FLAG(int, server_cache_mb, 8,
          "the started server's --block_cache_mb and --issue_cache_mb (0: its "
          "defaults); small, so the caches are full after the warm-up");
ABSL_FLAG(bool, flush, true,
          "before each RSS sample, have the started server write a checkpoint "
          "(which flushes RocksDB's memtables) and delete it, so that the "
          "samples do not count the memtables' growth with the data");

namespace importai::soak {
namespace {

using feed_bench::ChildProcess;
using Clock = std::chrono::steady_clock;

constexpr absl::string_view kListeningMarker =
    "\"msg\":\"listening\",\"address\":\"";
constexpr absl::Duration kCallTimeout = absl::Seconds(30);

std::chrono::system_clock::time_point Deadline(absl::Duration timeout) {
  return absl::ToChronoTime(absl::Now() + timeout);
}

std::shared_ptr<grpc::Channel> NewConnection(const std::string& target,
                                             int index) {
  grpc::ChannelArguments args;
  // A connection of its own, not one shared through the subchannel pool.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetInt("importai.soak.connection", index);
  args.SetMaxReceiveMessageSize(-1);
  return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(),
                                   args);
}

// --- Errors ------------------------------------------------------------------

class ErrorTally {
 public:
  void Add(absl::string_view method, const grpc::Status& status) {
    std::lock_guard<std::mutex> lock(mu_);
    const std::string key =
        absl::StrCat(method, " ",
                     absl::StatusCodeToString(
                         static_cast<absl::StatusCode>(status.error_code())));
    if (counts_[key]++ == 0) first_message_[key] = status.error_message();
  }
  void Add(absl::string_view what, absl::string_view message) {
    std::lock_guard<std::mutex> lock(mu_);
    const std::string key(what);
    if (counts_[key]++ == 0) first_message_[key] = std::string(message);
  }
  int64_t Total() const {
    std::lock_guard<std::mutex> lock(mu_);
    int64_t total = 0;
    for (const auto& [key, count] : counts_) total += count;
    return total;
  }
  void Print() const {
    std::lock_guard<std::mutex> lock(mu_);
    if (counts_.empty()) {
      std::printf("errors: 0\n");
      return;
    }
    std::printf("errors by code:\n");
    for (const auto& [key, count] : counts_) {
      std::printf("  %-48s %8" PRId64 "   first: %s\n", key.c_str(), count,
                  first_message_.at(key).c_str());
    }
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, int64_t> counts_;
  std::map<std::string, std::string> first_message_;
};

// --- Issue texts -------------------------------------------------------------

// The sample's two issues, renumbered at will.
class IssueTexts {
 public:
  static absl::StatusOr<IssueTexts> Load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
    std::stringstream text;
    text << in.rdbuf();
    const std::string all = text.str();
    const size_t second = all.find("\nImport AI 902: ");
    if (all.find("Import AI 901: ") == std::string::npos ||
        second == std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, " does not hold issues 901 and 902"));
    }
    IssueTexts texts;
    texts.templates_[0] = all.substr(0, second + 1);
    texts.templates_[1] = "Import AI\n\n" + all.substr(second + 1);
    return texts;
  }

  // Issue `number` (from the first or second template, by its parity); an
  // `edit` above 0 goes into the title, so each update has new content.
  std::string Text(int number, int edit) const {
    const int which = number % 2;
    const std::string header =
        which == 0 ? "Import AI 901: " : "Import AI 902: ";
    std::string title = absl::StrCat("Import AI ", number, ": ");
    if (edit > 0) absl::StrAppend(&title, "Update ", edit, "; ");
    return absl::StrReplaceAll(templates_[which], {{header, title}});
  }

 private:
  std::string templates_[2];
};

// --- Subscribers
// ---------------------------------------------------------------

// One WatchIssues stream from `first` on. Keeps the next revision it
// expects; anything else is counted as a gap, a duplicate or a reorder.
class Subscriber final
    : public grpc::ClientReadReactor<v1::WatchIssuesResponse> {
 public:
  Subscriber(int64_t first, std::atomic<int>* done, std::mutex* done_mu,
             std::condition_variable* done_cv)
      : next_(first), done_(done), done_mu_(done_mu), done_cv_(done_cv) {}

  void Start(v1::ArchiveService::Stub* stub,
             const v1::WatchIssuesRequest* request) {
    stub->async()->WatchIssues(&context_, request, this);
    StartRead(&response_);
    StartCall();
  }
  void Cancel() { context_.TryCancel(); }

  void OnReadDone(bool ok) override {
    if (!ok) return;  // OnDone follows
    const int64_t revision = response_.revision();
    const int64_t next = next_.load(std::memory_order_relaxed);
    if (response_.type() == v1::EVENT_TYPE_PROGRESS) {
      // Nothing at or below a PROGRESS revision follows it: if it is at or
      // past the next expected revision, those are lost.
      if (revision >= next) {
        missed_ += revision - next + 1;
        next_.store(revision + 1);
      }
    } else if (revision == next) {
      next_.store(next + 1);
      ++events_;
    } else if (revision < next) {
      ++duplicates_;
    } else {
      missed_ += revision - next;
      next_.store(revision + 1);
      ++events_;
    }
    response_.Clear();
    StartRead(&response_);
  }

  void OnDone(const grpc::Status& status) override {
    status_ = status;
    {
      std::lock_guard<std::mutex> lock(*done_mu_);
      done_->fetch_add(1);
    }
    done_cv_->notify_all();
  }

  int64_t next() const { return next_.load(); }
  // Read after OnDone only.
  int64_t events() const { return events_; }
  int64_t missed() const { return missed_; }
  int64_t duplicates() const { return duplicates_; }
  const grpc::Status& status() const { return status_; }

 private:
  grpc::ClientContext context_;
  v1::WatchIssuesResponse response_;
  std::atomic<int64_t> next_;
  int64_t events_ = 0;
  int64_t missed_ = 0;
  int64_t duplicates_ = 0;
  grpc::Status status_;
  std::atomic<int>* done_;
  std::mutex* done_mu_;
  std::condition_variable* done_cv_;
};

// --- Lookups
// -------------------------------------------------------------------

// Keeps `in_flight` lookups going on the callback API until Stop().
class Lookups {
 public:
  Lookups(std::shared_ptr<grpc::Channel> channel, int first_number,
          std::atomic<int>* issues, ErrorTally* errors)
      : stub_(v1::ArchiveService::NewStub(std::move(channel))),
        first_number_(first_number),
        issues_(issues),
        errors_(errors) {}

  void Start(int in_flight) {
    for (int i = 0; i < in_flight; ++i) {
      running_.fetch_add(1);
      Next(i);
    }
  }

  // Stops issuing and waits for the calls in flight.
  void Stop() {
    stopping_.store(true);
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return running_.load() == 0; });
  }

  int64_t completed() const { return completed_.load(); }
  // Latencies in microseconds; after Stop().
  std::vector<int64_t> TakeLatencies() { return std::move(latencies_); }

 private:
  struct Call {
    grpc::ClientContext context;
    Clock::time_point start = Clock::now();
    v1::GetIssueRequest get_issue;
    v1::Issue issue;
    v1::ListIssuesRequest list_issues;
    v1::ListIssuesResponse issues;
    v1::GetSectionRequest get_section;
    v1::Section section;
    v1::ListSectionsRequest list_sections;
    v1::ListSectionsResponse sections;
    v1::SearchRequest search;
    v1::SearchResponse results;
  };

  int RandomIssue(std::mt19937& random) {
    const int count = issues_->load();
    return first_number_ + static_cast<int>(random() % count);
  }

  void Next(int lane) {
    if (stopping_.load()) {
      std::lock_guard<std::mutex> lock(mu_);
      if (running_.fetch_sub(1) == 1) cv_.notify_all();
      return;
    }
    thread_local std::mt19937 random(std::random_device{}());
    auto call = std::make_shared<Call>();
    call->context.set_deadline(Deadline(kCallTimeout));
    const uint64_t n = issued_.fetch_add(1);
    auto done = [this, call, lane](const char* method) {
      return [this, call, lane, method](grpc::Status status) {
        Finish(method, status, call->start);
        Next(lane);
      };
    };
    static const char* const kQueries[] = {
        "robots",       "weather",  "model*", "\"weather station\"",
        "fold laundry", "librarian"};
    switch (n % 5) {
      case 0:
        call->get_issue.set_name(absl::StrCat("issues/", RandomIssue(random)));
        call->get_issue.set_view(v1::ISSUE_VIEW_FULL);
        stub_->async()->GetIssue(&call->context, &call->get_issue, &call->issue,
                                 done("GetIssue"));
        break;
      case 1:
        call->list_issues.set_page_size(20);
        stub_->async()->ListIssues(&call->context, &call->list_issues,
                                   &call->issues, done("ListIssues"));
        break;
      case 2:
        call->get_section.set_name(
            absl::StrCat("issues/", RandomIssue(random), "/sections/1"));
        stub_->async()->GetSection(&call->context, &call->get_section,
                                   &call->section, done("GetSection"));
        break;
      case 3:
        call->list_sections.set_parent(
            absl::StrCat("issues/", RandomIssue(random)));
        stub_->async()->ListSections(&call->context, &call->list_sections,
                                     &call->sections, done("ListSections"));
        break;
      default:
        call->search.set_query(kQueries[random() % 6]);
        call->search.set_page_size(10);
        stub_->async()->Search(&call->context, &call->search, &call->results,
                               done("Search"));
        break;
    }
  }

  void Finish(const char* method, const grpc::Status& status,
              Clock::time_point start) {
    if (!status.ok()) errors_->Add(method, status);
    const int64_t micros =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() -
                                                              start)
            .count();
    completed_.fetch_add(1);
    std::lock_guard<std::mutex> lock(latency_mu_);
    latencies_.push_back(micros);
  }

  std::unique_ptr<v1::ArchiveService::Stub> stub_;
  const int first_number_;
  std::atomic<int>* const issues_;
  ErrorTally* const errors_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> running_{0};
  std::atomic<uint64_t> issued_{0};
  std::atomic<int64_t> completed_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  std::mutex latency_mu_;
  std::vector<int64_t> latencies_;
};

// --- Reporting
// -------------------------------------------------------------------

double Percentile(std::vector<int64_t>& values, double p) {
  if (values.empty()) return 0;
  const size_t index =
      std::min(values.size() - 1, static_cast<size_t>(p * values.size()));
  std::nth_element(values.begin(), values.begin() + index, values.end());
  return values[index] / 1000.0;
}

struct RssSample {
  double seconds;
  int64_t kib;
  int64_t head;
  int64_t lookups;
};

double MeanKib(const std::vector<RssSample>& samples, size_t from, size_t to) {
  double sum = 0;
  for (size_t i = from; i < to; ++i) sum += samples[i].kib;
  return to > from ? sum / (to - from) : 0;
}

int Run() {
  const absl::Duration duration = absl::GetFlag(FLAGS_duration);
  const int subscriber_count = absl::GetFlag(FLAGS_subscribers);
  const int connections = std::max(1, absl::GetFlag(FLAGS_connections));
  const int first_number = absl::GetFlag(FLAGS_first_number);
  const int update_every = absl::GetFlag(FLAGS_update_every);
  const absl::Duration ingest_interval = absl::GetFlag(FLAGS_ingest_interval);
  const absl::Duration rss_interval = absl::GetFlag(FLAGS_rss_interval);
  const double rss_growth = absl::GetFlag(FLAGS_rss_growth);
  feed_bench::StartGuardian(duration + absl::GetFlag(FLAGS_catch_up_timeout) +
                            absl::Minutes(5));
  feed_bench::RaiseOpenFileLimit();

  absl::StatusOr<IssueTexts> texts =
      IssueTexts::Load(absl::GetFlag(FLAGS_sample));
  if (!texts.ok()) {
    std::fprintf(stderr, "importai-soak: %s\n",
                 std::string(texts.status().message()).c_str());
    return 2;
  }

  // The server: ours, or the one named.
  std::unique_ptr<feed_bench::ScopedTempDir> dir;
  std::unique_ptr<ChildProcess> child;
  std::string address = absl::GetFlag(FLAGS_server);
  pid_t server_pid = absl::GetFlag(FLAGS_server_pid);
  if (address.empty()) {
    dir = std::make_unique<feed_bench::ScopedTempDir>("importai-soak");
    std::vector<std::string> argv = {
        absl::GetFlag(FLAGS_server_binary), "--listen=127.0.0.1:0",
        "--data_dir=" + dir->path() + "/data", "--log_level=warning",
        "--shutdown_grace=5s"};
    if (const int mb = absl::GetFlag(FLAGS_server_cache_mb); mb > 0) {
      argv.push_back(absl::StrCat("--block_cache_mb=", mb));
      argv.push_back(absl::StrCat("--issue_cache_mb=", mb));
    }
    auto spawned = ChildProcess::Spawn(argv, dir->path() + "/server.log",
                                       /*pipe_stdout=*/true);
    if (!spawned.ok()) {
      std::fprintf(stderr, "importai-soak: %s\n",
                   std::string(spawned.status().message()).c_str());
      return 2;
    }
    child = *std::move(spawned);
    auto listening = child->WaitForLine(kListeningMarker, absl::Seconds(30));
    if (!listening.ok()) {
      std::fprintf(stderr, "importai-soak: server did not start: %s\n%s\n",
                   std::string(listening.status().message()).c_str(),
                   child->LogTail(2000).c_str());
      return 2;
    }
    address = listening->substr(0, listening->find('"'));
    server_pid = child->pid();
  }
  std::printf(
      "server %s (pid %d); %s of load, %d subscribers on %d "
      "connections, %d lookups in flight, an ingest every %s\n",
      address.c_str(), static_cast<int>(server_pid),
      absl::FormatDuration(duration).c_str(), subscriber_count, connections,
      absl::GetFlag(FLAGS_lookups_in_flight),
      absl::FormatDuration(ingest_interval).c_str());
  if (dir != nullptr) {
    std::printf(
        "server caches: %s; memtables %s before each RSS sample\n",
        absl::GetFlag(FLAGS_server_cache_mb) > 0
            ? absl::StrCat(absl::GetFlag(FLAGS_server_cache_mb),
                           " MiB block cache, as much for issues")
                  .c_str()
            : "the server's defaults",
        absl::GetFlag(FLAGS_flush) ? "flushed (a checkpoint)" : "not flushed");
  }
  std::fflush(stdout);

  ErrorTally errors;
  auto ingest_stub = v1::IngestService::NewStub(NewConnection(address, -1));
  auto archive_stub = v1::ArchiveService::NewStub(NewConnection(address, -2));
  auto ingest = [&](int number, int edit,
                    v1::IngestIssuesResponse* response) -> bool {
    v1::IngestIssuesRequest request;
    request.set_text(texts->Text(number, edit));
    request.set_source("importai-soak");
    grpc::ClientContext context;
    context.set_deadline(Deadline(kCallTimeout));
    const grpc::Status status =
        ingest_stub->IngestIssues(&context, request, response);
    if (!status.ok()) {
      errors.Add("IngestIssues", status);
      return false;
    }
    const v1::IngestOutcome want =
        edit > 0 ? v1::INGEST_OUTCOME_UPDATED : v1::INGEST_OUTCOME_CREATED;
    if (response->results_size() != 1 ||
        response->results(0).outcome() != want) {
      errors.Add("IngestIssues unexpected outcome",
                 response->ShortDebugString());
      return false;
    }
    return true;
  };

  // Where the subscribers start: the first revision the soak writes.
  int64_t first_revision = 1;
  {
    grpc::ClientContext context;
    context.set_deadline(Deadline(kCallTimeout));
    v1::FeedInfo info;
    const grpc::Status status =
        archive_stub->GetFeedInfo(&context, v1::GetFeedInfoRequest(), &info);
    if (!status.ok()) {
      std::fprintf(stderr, "importai-soak: GetFeedInfo: %s\n",
                   status.error_message().c_str());
      return 2;
    }
    first_revision = info.head_revision() + 1;
  }
  std::atomic<int> issues{0};  // issues first_number.. written so far
  std::vector<int> edits;      // the last edit of each
  int64_t head = first_revision - 1;
  const int seed_issues = std::max(1, absl::GetFlag(FLAGS_seed_issues));
  const absl::Time seed_start = absl::Now();
  for (int i = 0; i < seed_issues; i += 50) {
    v1::IngestIssuesRequest request;
    for (int j = i; j < std::min(seed_issues, i + 50); ++j) {
      request.mutable_text()->append(texts->Text(first_number + j, 0));
    }
    request.set_source("importai-soak seed");
    v1::IngestIssuesResponse response;
    grpc::ClientContext context;
    context.set_deadline(Deadline(kCallTimeout));
    const grpc::Status status =
        ingest_stub->IngestIssues(&context, request, &response);
    if (!status.ok()) {
      std::fprintf(stderr, "importai-soak: seeding: %s\n",
                   status.error_message().c_str());
      return 2;
    }
    head = response.head_revision();
    for (int j = i; j < std::min(seed_issues, i + 50); ++j) edits.push_back(0);
    issues.store(static_cast<int>(edits.size()));
  }
  std::printf("seeded %d issues (revisions %" PRId64 "..%" PRId64 ") in %s\n",
              seed_issues, first_revision, head,
              absl::FormatDuration(
                  absl::Trunc(absl::Now() - seed_start, absl::Milliseconds(1)))
                  .c_str());
  first_revision = std::max(
      first_revision, head + 1 - std::max(0, absl::GetFlag(FLAGS_replay)));

  // Subscribers from --replay revisions before the head: they replay those,
  // then follow live.
  v1::WatchIssuesRequest watch;
  watch.set_start_revision(first_revision);
  watch.set_view(absl::GetFlag(FLAGS_view) == "full" ? v1::ISSUE_VIEW_FULL
                                                     : v1::ISSUE_VIEW_BASIC);
  std::vector<std::unique_ptr<v1::ArchiveService::Stub>> watch_stubs;
  for (int i = 0; i < connections; ++i) {
    watch_stubs.push_back(
        v1::ArchiveService::NewStub(NewConnection(address, i)));
  }
  std::atomic<int> subscribers_done{0};
  std::mutex done_mu;
  std::condition_variable done_cv;
  std::vector<std::unique_ptr<Subscriber>> subscribers;
  for (int i = 0; i < subscriber_count; ++i) {
    subscribers.push_back(std::make_unique<Subscriber>(
        first_revision, &subscribers_done, &done_mu, &done_cv));
    subscribers.back()->Start(watch_stubs[i % connections].get(), &watch);
  }

  Lookups lookups(NewConnection(address, -3), first_number, &issues, &errors);
  const absl::Time start = absl::Now();
  const absl::Duration warmup = absl::GetFlag(FLAGS_warmup);
  const absl::Time end = start + warmup + duration;
  lookups.Start(absl::GetFlag(FLAGS_lookups_in_flight));

  // Ingests on a thread of their own, at a fixed rate.
  std::atomic<int64_t> ingests{0};
  std::atomic<int64_t> updates{0};
  std::atomic<int64_t> head_revision{head};
  std::vector<int64_t> ingest_latencies;
  std::thread writer([&] {
    std::mt19937 random(42);
    absl::Time next = absl::Now();
    for (int64_t i = 1;; ++i) {
      absl::SleepFor(std::min(next, end) - absl::Now());
      if (absl::Now() >= end) break;
      next += ingest_interval;
      const int count = issues.load();
      int number = first_number + count;
      int edit = 0;
      const bool update = update_every > 0 && i % update_every == 0;
      if (update) {
        const int index = static_cast<int>(random() % count);
        number = first_number + index;
        edit = ++edits[index];
      }
      const Clock::time_point sent = Clock::now();
      v1::IngestIssuesResponse response;
      if (!ingest(number, edit, &response)) continue;
      ingest_latencies.push_back(
          std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() -
                                                                sent)
              .count());
      if (response.head_revision() != head_revision.load() + 1) {
        errors.Add("IngestIssues revision not head + 1",
                   response.ShortDebugString());
      }
      head_revision.store(response.head_revision());
      ingests.fetch_add(1);
      if (update) {
        updates.fetch_add(1);
      } else {
        edits.push_back(0);
        issues.store(count + 1);
      }
    }
  });

  // Memory samples while the load runs, each after a memtable flush.
  const bool flush = absl::GetFlag(FLAGS_flush) && dir != nullptr;
  auto admin_stub = v1::AdminService::NewStub(NewConnection(address, -4));
  int checkpoints = 0;
  auto flush_memtables = [&] {
    if (!flush) return;
    // A name under the server's checkpoint root (in its data directory),
    // which says where it wrote it.
    v1::CreateCheckpointRequest request;
    request.set_directory(absl::StrCat("soak-", ++checkpoints));
    v1::Checkpoint checkpoint;
    grpc::ClientContext context;
    context.set_deadline(Deadline(kCallTimeout));
    const grpc::Status status =
        admin_stub->CreateCheckpoint(&context, request, &checkpoint);
    if (!status.ok()) errors.Add("CreateCheckpoint", status);
    std::error_code ignored;
    if (status.ok())
      std::filesystem::remove_all(checkpoint.directory(), ignored);
  };
  std::vector<RssSample> samples;
  auto sample = [&] {
    flush_memtables();
    samples.push_back({absl::ToDoubleSeconds(absl::Now() - start),
                       feed_bench::ResidentKib(server_pid),
                       head_revision.load(), lookups.completed()});
    const RssSample& s = samples.back();
    std::printf("  t=%5.0fs  rss %7.1f MiB  head %6" PRId64
                "  lookups %8" PRId64 "\n",
                s.seconds, s.kib / 1024.0, s.head, s.lookups);
    std::fflush(stdout);
  };
  sample();
  for (absl::Time next = start + rss_interval; next <= end;
       next += rss_interval) {
    absl::SleepFor(next - absl::Now());
    sample();
  }
  writer.join();
  lookups.Stop();
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);

  // Every subscriber reaches the head, then is cancelled.
  const int64_t final_head = head_revision.load();
  const absl::Time catch_up_end =
      absl::Now() + absl::GetFlag(FLAGS_catch_up_timeout);
  int behind = 0;
  do {
    behind = 0;
    for (const auto& s : subscribers) behind += s->next() <= final_head;
    if (behind == 0) break;
    absl::SleepFor(absl::Milliseconds(100));
  } while (absl::Now() < catch_up_end);
  const double catch_up_s = absl::ToDoubleSeconds(
      absl::Now() - (catch_up_end - absl::GetFlag(FLAGS_catch_up_timeout)));
  for (const auto& s : subscribers) s->Cancel();
  {
    std::unique_lock<std::mutex> lock(done_mu);
    done_cv.wait(lock, [&] {
      return subscribers_done.load() == static_cast<int>(subscribers.size());
    });
  }
  // One more sample, idle.
  sample();

  // The subscribers' verdict.
  const int64_t expected_events = final_head - first_revision + 1;
  int exact = 0;
  int64_t missed = 0, duplicates = 0, events = 0;
  for (const auto& s : subscribers) {
    events += s->events();
    missed += s->missed();
    duplicates += s->duplicates();
    if (s->status().error_code() != grpc::StatusCode::CANCELLED) {
      errors.Add("WatchIssues ended early", s->status());
    }
    if (s->events() == expected_events && s->missed() == 0 &&
        s->duplicates() == 0 && s->next() == final_head + 1) {
      ++exact;
    }
  }

  // The report.
  std::vector<int64_t> lookup_latencies = lookups.TakeLatencies();
  std::printf("\n== importai-soak: %.0f s, %d subscribers on %d connections\n",
              seconds, subscriber_count, connections);
  errors.Print();
  std::printf("lookups: %" PRId64 " (%.0f/s), p50 %.2f ms, p99 %.2f ms\n",
              lookups.completed(), lookups.completed() / seconds,
              Percentile(lookup_latencies, 0.5),
              Percentile(lookup_latencies, 0.99));
  std::printf("ingests: %" PRId64 " (%.1f/s; %" PRId64
              " updates), p50 %.2f ms, p99 %.2f ms; revisions %" PRId64
              "..%" PRId64 "\n",
              ingests.load(), ingests.load() / seconds, updates.load(),
              Percentile(ingest_latencies, 0.5),
              Percentile(ingest_latencies, 0.99), first_revision, final_head);
  std::printf("feed: %" PRId64
              " events delivered (%.0f/s); caught up %.1f s "
              "after the load\n",
              events, events / seconds, catch_up_s);
  std::printf("subscribers that saw every revision %" PRId64 "..%" PRId64
              " exactly once, in order: %d of %d (missed %" PRId64
              ", duplicated %" PRId64 ", behind at the end %d)\n",
              first_revision, final_head, exact, subscriber_count, missed,
              duplicates, behind);

  // Memory: flat if the last third's mean is within rss_growth of the
  // middle third's (the first third is warm-up). The idle sample after the
  // load is not counted.
  // The samples the verdict uses: after the warm-up, during the load.
  const size_t n = samples.size() - 1;
  size_t first_warm = 0;
  while (first_warm < n &&
         samples[first_warm].seconds < absl::ToDoubleSeconds(warmup) - 0.5) {
    ++first_warm;
  }
  const size_t warm = n - first_warm;
  bool flat = true;
  std::printf("server RSS (MiB):\n     t    RSS   head  lookups\n");
  for (size_t i = 0; i < samples.size(); ++i) {
    std::printf("  %4.0f %6.1f %6" PRId64 " %8" PRId64 "%s\n",
                samples[i].seconds, samples[i].kib / 1024.0, samples[i].head,
                samples[i].lookups,
                i == n                          ? "  (after the load)"
                : i < first_warm                ? "  (warm-up)"
                : i < first_warm + warm / 3     ? "  (first third)"
                : i < first_warm + 2 * warm / 3 ? "  (middle third)"
                                                : "  (last third)");
  }
  if (warm >= 3) {
    const double middle =
        MeanKib(samples, first_warm + warm / 3, first_warm + 2 * warm / 3);
    const double last = MeanKib(samples, first_warm + 2 * warm / 3, n);
    const double growth = middle > 0 ? last / middle - 1 : 0;
    flat = growth <= rss_growth;
    std::printf(
        "RSS verdict: %s (mean of the last third %.1f MiB vs the "
        "middle third %.1f MiB: %+.1f%%, limit %+.0f%%)\n",
        flat ? "flat after warm-up" : "GROWING", last / 1024, middle / 1024,
        100 * growth, 100 * rss_growth);
  } else {
    std::printf(
        "RSS verdict: too few samples (raise --duration or lower "
        "--rss_interval)\n");
  }

  if (child != nullptr) child->Stop(absl::Seconds(10));
  const bool pass = errors.Total() == 0 && exact == subscriber_count && flat;
  std::printf("soak: %s\n", pass ? "PASS" : "FAIL");
  return pass ? 0 : 1;
}

}  // namespace
}  // namespace importai::soak

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "importai-soak [--duration=2m] [--subscribers=1000] ...: lookups, "
      "ingests and WatchIssues subscribers against importai-server at once; "
      "reports errors, rates, server RSS over time and whether every "
      "subscriber saw every revision once");
  absl::ParseCommandLine(argc, argv);
  return importai::soak::Run();
}
