#include "bench/replica_bench/cluster.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "cmd/lookup_bench/systems.h"
#include "importai/v1/archive_service.pb.h"

namespace importai::replica_bench {
namespace {

// The start-up log line:
// {..."msg":"listening","address":"HOST:PORT","metrics_port":N,...}.
constexpr absl::string_view kListeningMarker =
    "\"msg\":\"listening\",\"address\":\"";
constexpr absl::string_view kMetricsPortKey = "\"metrics_port\":";

constexpr absl::Duration kStartTimeout = absl::Seconds(30);
constexpr absl::Duration kCatchUpTimeout = absl::Seconds(60);

constexpr char kIngestIssues[] = "/importai.v1.IngestService/IngestIssues";
constexpr char kGetFeedInfo[] = "/importai.v1.ArchiveService/GetFeedInfo";

absl::StatusOr<int64_t> FeedHead(
    const std::shared_ptr<grpc::Channel>& channel) {
  auto bytes = lookup_bench::CallRaw(
      channel, kGetFeedInfo, v1::GetFeedInfoRequest().SerializeAsString());
  if (!bytes.ok()) return bytes.status();
  v1::FeedInfo info;
  if (!info.ParseFromString(*bytes)) {
    return absl::InternalError("GetFeedInfo: unreadable answer");
  }
  return info.head_revision();
}

}  // namespace

v1::IngestIssuesRequest IngestRequest(const feed_bench::IssueText& text,
                                      int number) {
  v1::IngestIssuesRequest request;
  request.set_text(text.WithNumber(number));
  request.set_source("replica_benchmark");
  return request;
}

absl::StatusOr<std::unique_ptr<Cluster>> Cluster::Start(
    const std::string& server_binary, int replicas,
    const feed_bench::IssueText& text, int warm_up_number) {
  std::unique_ptr<Cluster> cluster(new Cluster());
  if (absl::Status launched = cluster->Launch(server_binary, "primary", {});
      !launched.ok()) {
    return launched;
  }
  auto warm_up = cluster->Ingest(IngestRequest(text, warm_up_number));
  if (!warm_up.ok()) return warm_up.status();
  const std::string follow = "--follow=" + cluster->primary().address;
  for (int i = 1; i <= replicas; ++i) {
    if (absl::Status launched = cluster->Launch(
            server_binary, absl::StrCat("replica-", i), {follow});
        !launched.ok()) {
      return launched;
    }
  }
  if (absl::Status caught_up =
          cluster->AwaitReplicas(*warm_up, kCatchUpTimeout);
      !caught_up.ok()) {
    return caught_up;
  }
  return cluster;
}

Cluster::~Cluster() {
  // Replicas first, so none sees its primary go away.
  for (auto it = servers_.rbegin(); it != servers_.rend(); ++it) {
    it->process->Stop(absl::Seconds(5));
  }
}

absl::Status Cluster::Launch(const std::string& server_binary,
                             const std::string& role,
                             const std::vector<std::string>& extra_flags) {
  const std::string prefix = absl::StrCat(dir_.path(), "/", role);
  std::vector<std::string> argv = {server_binary,
                                   "--listen=127.0.0.1:0",
                                   "--metrics_listen=127.0.0.1:0",
                                   "--data_dir=" + prefix + "-data",
                                   "--shutdown_grace=2s",
                                   "--log_level=warning"};
  argv.insert(argv.end(), extra_flags.begin(), extra_flags.end());
  auto process = feed_bench::ChildProcess::Spawn(argv, prefix + ".log",
                                                 /*pipe_stdout=*/true);
  if (!process.ok()) return process.status();
  ServerProcess server;
  server.role = role;
  server.process = std::move(*process);
  auto listening = server.process->WaitForLine(kListeningMarker, kStartTimeout);
  if (!listening.ok()) return listening.status();
  server.address = listening->substr(0, listening->find('"'));
  server.channel = lookup_bench::Connect(server.address);
  absl::string_view rest = *listening;
  const size_t key = rest.find(kMetricsPortKey);
  if (key != absl::string_view::npos)
    rest.remove_prefix(key + kMetricsPortKey.size());
  if (key == absl::string_view::npos ||
      !absl::SimpleAtoi(rest.substr(0, rest.find_first_of(",}")),
                        &server.metrics_port)) {
    return absl::InternalError(
        absl::StrCat(role, ": no metrics_port in its listening line"));
  }
  servers_.push_back(std::move(server));
  return absl::OkStatus();
}

std::vector<std::string> Cluster::addresses() const {
  std::vector<std::string> addresses;
  for (const ServerProcess& server : servers_) {
    addresses.push_back(server.address);
  }
  return addresses;
}

double Cluster::CpuSeconds() const {
  double total = 0;
  for (const ServerProcess& server : servers_) {
    total +=
        std::max(0.0, feed_bench::ProcessCpuSeconds(server.process->pid()));
  }
  return total;
}

absl::StatusOr<int64_t> Cluster::Ingest(
    const v1::IngestIssuesRequest& request) {
  auto bytes = lookup_bench::CallRaw(primary().channel, kIngestIssues,
                                     request.SerializeAsString());
  if (!bytes.ok()) return bytes.status();
  v1::IngestIssuesResponse response;
  if (!response.ParseFromString(*bytes) || response.results_size() != 1 ||
      response.results(0).outcome() != v1::INGEST_OUTCOME_CREATED) {
    return absl::FailedPreconditionError(
        absl::StrCat("IngestIssues answered ", response.ShortDebugString(),
                     "; expected one CREATED issue"));
  }
  head_revision_ = response.head_revision();
  return response.results(0).revision();
}

absl::Status Cluster::AwaitReplicas(int64_t revision,
                                    absl::Duration timeout) const {
  const absl::Time deadline = absl::Now() + timeout;
  for (size_t i = 1; i < servers_.size(); ++i) {
    while (true) {
      auto head = FeedHead(servers_[i].channel);
      if (head.ok() && *head >= revision) break;
      if (absl::Now() > deadline || !servers_[i].process->Running()) {
        return absl::DeadlineExceededError(absl::StrCat(
            servers_[i].role, " did not reach revision ", revision, " (",
            head.ok() ? absl::StrCat("head ", *head) : head.status().ToString(),
            "); its log ends with:\n", servers_[i].process->LogTail(2000)));
      }
      absl::SleepFor(absl::Milliseconds(20));
    }
  }
  return absl::OkStatus();
}

}  // namespace importai::replica_bench
