#include "cmd/lookup_bench/ingest_bench.h"

#include <fcntl.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "cmd/lookup_bench/h2load_run.h"
#include "cmd/lookup_bench/systems.h"
#include "grpcpp/client_context.h"
#include "importai/v1/ingest_service.grpc.pb.h"

namespace importai::lookup_bench {
namespace {

constexpr absl::Duration kCallTimeout = absl::Seconds(60);

struct Timings {
  std::vector<int64_t> micros;  // per request
  absl::Duration wall;
  int issues_per_request = 1;

  double RequestsPerSecond() const {
    return micros.size() / absl::ToDoubleSeconds(wall);
  }
  int64_t Percentile(double p) const {
    std::vector<int64_t> sorted = micros;
    std::sort(sorted.begin(), sorted.end());
    return lookup_bench::Percentile(sorted, p);
  }
};

v1::IngestIssuesRequest Request(const feed_bench::IssueText& text,
                                int first_number, int issues,
                                bool validate_only) {
  v1::IngestIssuesRequest request;
  for (int i = 0; i < issues; ++i) {
    request.mutable_text()->append(text.WithNumber(first_number + i));
    request.mutable_text()->append("\n");
  }
  request.set_source("lookup_benchmark");
  request.set_validate_only(validate_only);
  return request;
}

// Sends `requests` one after the other on one connection; each must answer
// with one result per issue, CREATED at a revision (0 when validate_only).
absl::Status Send(v1::IngestService::Stub& stub,
                  const std::vector<v1::IngestIssuesRequest>& requests,
                  int issues_per_request, std::vector<int64_t>* micros) {
  for (const v1::IngestIssuesRequest& request : requests) {
    v1::IngestIssuesResponse response;
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + kCallTimeout));
    const absl::Time start = absl::Now();
    const grpc::Status status =
        stub.IngestIssues(&context, request, &response);
    micros->push_back(absl::ToInt64Microseconds(absl::Now() - start));
    if (!status.ok()) {
      return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                          "IngestIssues: " + status.error_message());
    }
    bool as_sent = response.results_size() == issues_per_request;
    for (const v1::IngestResult& result : response.results()) {
      as_sent = as_sent && result.outcome() == v1::INGEST_OUTCOME_CREATED &&
                (request.validate_only() || result.revision() > 0);
    }
    if (!as_sent) {
      return absl::DataLossError(absl::StrCat(
          "IngestIssues did not CREATE the ", issues_per_request,
          " issues it was sent: ", response.ShortDebugString().substr(0, 300)));
    }
  }
  return absl::OkStatus();
}

// `clients` connections, each sending its share of `requests` in turn.
absl::StatusOr<Timings> Measure(
    const std::string& address,
    const std::vector<v1::IngestIssuesRequest>& requests,
    int issues_per_request, int clients) {
  std::vector<std::vector<v1::IngestIssuesRequest>> shares(clients);
  for (size_t i = 0; i < requests.size(); ++i) {
    shares[i % clients].push_back(requests[i]);
  }
  std::vector<std::unique_ptr<v1::IngestService::Stub>> stubs;
  for (int i = 0; i < clients; ++i) {
    std::shared_ptr<grpc::Channel> channel = Connect(address);
    // Connected before the clock starts.
    channel->WaitForConnected(
        absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    stubs.push_back(v1::IngestService::NewStub(channel));
  }
  std::vector<std::vector<int64_t>> micros(clients);
  std::vector<absl::Status> outcomes(clients);
  const absl::Time start = absl::Now();
  std::vector<std::thread> threads;
  for (int i = 0; i < clients; ++i) {
    threads.emplace_back([&, i] {
      outcomes[i] = Send(*stubs[i], shares[i], issues_per_request, &micros[i]);
    });
  }
  for (std::thread& thread : threads) thread.join();
  Timings timings;
  timings.wall = absl::Now() - start;
  timings.issues_per_request = issues_per_request;
  for (int i = 0; i < clients; ++i) {
    if (!outcomes[i].ok()) return outcomes[i];
    timings.micros.insert(timings.micros.end(), micros[i].begin(),
                          micros[i].end());
  }
  return timings;
}

std::string FilesystemType(const std::string& path) {
  struct statfs info;
  if (statfs(path.c_str(), &info) != 0) return "unknown";
  switch (static_cast<unsigned long>(info.f_type)) {
    case 0xEF53: return "ext4";
    case 0x58465342: return "xfs";
    case 0x9123683E: return "btrfs";
    case 0x01021994: return "tmpfs (fsync is free: not durable)";
    case 0x794C7630: return "overlayfs";
    default: return absl::StrFormat("type 0x%x", info.f_type);
  }
}

// Bytes in the RocksDB write-ahead logs (*.log) under `dir`.
int64_t WalBytes(const std::string& dir) {
  int64_t total = 0;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    if (entry.path().extension() == ".log" && entry.is_regular_file(error)) {
      total += static_cast<int64_t>(entry.file_size(error));
    }
  }
  return total;
}

// `count` appends of `bytes` each followed by fdatasync, in a scratch file
// under `dir` preallocated as RocksDB preallocates its WAL: what syncing one
// ingest's log record costs on that filesystem, without the server.
absl::StatusOr<Timings> MeasureFdatasync(const std::string& dir, int count,
                                         size_t bytes) {
  const std::string path = dir + "/lookup-bench-fsync-probe";
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                      0644);
  if (fd < 0) return absl::InternalError("cannot create " + path);
  fallocate(fd, FALLOC_FL_KEEP_SIZE, 0,
            static_cast<off_t>(bytes) * (count + 1));  // best effort
  const std::string block(bytes, 'x');
  Timings timings;
  const absl::Time start = absl::Now();
  for (int i = 0; i < count; ++i) {
    const absl::Time before = absl::Now();
    if (write(fd, block.data(), block.size()) !=
            static_cast<ssize_t>(block.size()) ||
        fdatasync(fd) != 0) {
      close(fd);
      unlink(path.c_str());
      return absl::InternalError("write/fdatasync failed on " + path);
    }
    timings.micros.push_back(absl::ToInt64Microseconds(absl::Now() - before));
  }
  timings.wall = absl::Now() - start;
  close(fd);
  unlink(path.c_str());
  return timings;
}

void PrintRow(FILE* out, const std::string& what, const Timings& timings) {
  const double requests_per_second = timings.RequestsPerSecond();
  absl::FPrintF(out, "  %-44s %7zu %10.1f %10.0f %9d %9d\n", what,
                timings.micros.size(), requests_per_second,
                requests_per_second * timings.issues_per_request,
                timings.Percentile(0.5), timings.Percentile(0.99));
}

}  // namespace

absl::Status RunIngestBench(const std::string& address,
                            const std::string& data_dir,
                            const feed_bench::IssueText& text,
                            const IngestBenchOptions& options, FILE* out) {
  int next = options.first_number;
  auto batch_of = [&](int requests, int issues, bool validate_only) {
    std::vector<v1::IngestIssuesRequest> batch;
    for (int i = 0; i < requests; ++i) {
      batch.push_back(Request(text, next, issues, validate_only));
      next += issues;
    }
    return batch;
  };
  // Built before any clock starts; the first request of each kind warms up.
  const auto warm = batch_of(2, 1, false);
  const auto singles = batch_of(options.single_requests, 1, false);
  const auto validations = batch_of(options.single_requests, 1, true);
  const auto concurrent = batch_of(options.single_requests, 1, false);
  const auto batches =
      batch_of(options.batch_requests, options.batch_size, false);

  if (auto warmed = Measure(address, warm, 1, 1); !warmed.ok()) {
    return warmed.status();
  }
  const int64_t wal_before = WalBytes(data_dir);
  auto single = Measure(address, singles, 1, 1);
  if (!single.ok()) return single.status();
  // Negative if the log rolled over meanwhile: then a 4 KiB guess.
  const int64_t wal_per_request =
      (WalBytes(data_dir) - wal_before) / std::max(1, options.single_requests);
  auto validate = Measure(address, validations, 1, 1);
  if (!validate.ok()) return validate.status();
  auto parallel =
      Measure(address, concurrent, 1, options.concurrent_clients);
  if (!parallel.ok()) return parallel.status();
  auto hundred = Measure(address, batches, options.batch_size, 1);
  if (!hundred.ok()) return hundred.status();
  const size_t record_bytes =
      wal_per_request > 0 ? static_cast<size_t>(wal_per_request) : 4096;
  auto synced =
      MeasureFdatasync(data_dir, options.single_requests, record_bytes);
  if (!synced.ok()) return synced.status();

  absl::FPrintF(out,
                "\nIngest (IngestIssues on importai-server; each issue the "
                "largest corpus issue renumbered, %zu bytes of text; every "
                "durable request CREATEs and is fsynced before it answers)\n",
                text.size());
  absl::FPrintF(out, "  %-44s %7s %10s %10s %9s %9s\n", "request", "count",
                "req/s", "issues/s", "p50 µs", "p99 µs");
  PrintRow(out, "1 issue, durable, sequential", *single);
  PrintRow(out, "1 issue, validate_only (no write), sequential", *validate);
  PrintRow(out,
           absl::StrCat("1 issue, durable, ", options.concurrent_clients,
                        " clients at once"),
           *parallel);
  PrintRow(out,
           absl::StrCat(options.batch_size, " issues, durable, sequential"),
           *hundred);
  absl::FPrintF(out, "  %-44s %7zu %10.1f %10s %9d %9d\n",
                absl::StrCat("append ", record_bytes / 1024,
                             " KiB + fdatasync, ", FilesystemType(data_dir)),
                synced->micros.size(), synced->RequestsPerSecond(), "-",
                synced->Percentile(0.5), synced->Percentile(0.99));
  if (wal_per_request > 0) {
    absl::FPrintF(out,
                  "  the WAL grows by %d bytes per 1-issue ingest (the "
                  "probe above appends as much)\n",
                  wal_per_request);
  }
  const int64_t write_cost =
      single->Percentile(0.5) - validate->Percentile(0.5);
  absl::FPrintF(out,
                "  fsync cost: a durable 1-issue request takes %d µs at the "
                "median, %d µs more than validate_only (indexing, storing, "
                "syncing); the append + fdatasync alone takes %d µs (%.0f%% "
                "of the request)\n",
                single->Percentile(0.5), write_cost, synced->Percentile(0.5),
                100.0 * synced->Percentile(0.5) /
                    std::max<int64_t>(1, single->Percentile(0.5)));
  return absl::OkStatus();
}

}  // namespace importai::lookup_bench
