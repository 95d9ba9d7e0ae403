// GetIssue(FULL) latency at concurrency 1 over loopback, against the real
// importai-server binary in its own process (temporary data directory, the
// shared corpus or an original sample ingested over gRPC). One client calls
// back to back for the largest issue and reports p50/p99 in µs:
//   Wire   receives the response bytes: what the service and transport cost;
//   Typed  also parses them into an Issue, as a C++ client does;
//   Health a do-nothing call, the floor of this client and machine.
//   build/release/services/get_issue_benchmark
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "benchmark/benchmark.h"
#include "common/testing/fixtures.h"
#include "common/testing/temp_dir.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "importai/v1/archive_service.grpc.pb.h"
#include "importai/v1/ingest_service.grpc.pb.h"

extern char** environ;

namespace importai::services {
namespace {

// The server process, loaded with the corpus; shared by every benchmark.
class ServerProcess {
 public:
  ServerProcess() {
    if (!Spawn()) return;
    channel_ =
        grpc::CreateChannel(address_, grpc::InsecureChannelCredentials());
    v1::IngestIssuesRequest ingest;
    std::string where;
    ingest.set_text(testing::ReadCorpusFile("import-ai-382-387.txt", &where));
    if (ingest.text().empty()) ingest.set_text(testing::SampleIssueText(901));
    v1::IngestIssuesResponse ingested;
    grpc::ClientContext context;
    if (!v1::IngestService::NewStub(channel_)
             ->IngestIssues(&context, ingest, &ingested)
             .ok()) {
      return;
    }
    FindLargestIssue(ingested);
  }

  ~ServerProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }

  bool ok() const { return largest_issue_ > 0; }
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  int largest_issue() const { return largest_issue_; }
  size_t response_bytes() const { return response_bytes_; }
  v1::GetIssueRequest Request() const {
    v1::GetIssueRequest request;
    request.set_name("issues/" + std::to_string(largest_issue_));
    request.set_view(v1::ISSUE_VIEW_FULL);
    return request;
  }

 private:
  // Starts importai-server on a free port and reads its address from the
  // line it prints once serving.
  bool Spawn() {
    int out[2];
    if (pipe(out) != 0) return false;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    std::string data_dir = "--data_dir=" + dir_.path();
    std::vector<char*> argv = {const_cast<char*>(IMPORTAI_SERVER_BINARY),
                               const_cast<char*>("--listen=127.0.0.1:0"),
                               const_cast<char*>("--log_level=warning"),
                               data_dir.data(), nullptr};
    int spawned = posix_spawn(&pid_, IMPORTAI_SERVER_BINARY, &actions, nullptr,
                              argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    if (spawned != 0) return false;
    FILE* lines = fdopen(out[0], "r");
    char line[512];
    // The start-up log line: {..."msg":"listening","address":"HOST:PORT",...}.
    constexpr absl::string_view kMarker =
        "\"msg\":\"listening\",\"address\":\"";
    while (fgets(line, sizeof(line), lines) != nullptr) {
      absl::string_view text(line);
      const size_t at = text.find(kMarker);
      if (at == absl::string_view::npos) continue;
      text.remove_prefix(at + kMarker.size());
      address_ = std::string(text.substr(0, text.find('"')));
      break;
    }
    return !address_.empty();
  }

  void FindLargestIssue(const v1::IngestIssuesResponse& ingested) {
    auto stub = v1::ArchiveService::NewStub(channel_);
    for (const v1::IngestResult& result : ingested.results()) {
      v1::GetIssueRequest request;
      request.set_name("issues/" + std::to_string(result.number()));
      v1::Issue issue;
      grpc::ClientContext context;
      if (stub->GetIssue(&context, request, &issue).ok() &&
          issue.ByteSizeLong() > response_bytes_) {
        response_bytes_ = issue.ByteSizeLong();
        largest_issue_ = result.number();
      }
    }
  }

  testing::TempDir dir_;
  pid_t pid_ = 0;
  std::string address_;
  std::shared_ptr<grpc::Channel> channel_;
  int largest_issue_ = 0;
  size_t response_bytes_ = 0;
};

ServerProcess& Server() {
  static ServerProcess server;  // stopped by its destructor at exit
  return server;
}

// Times `call` once per iteration and reports percentiles.
template <typename Call>
void MeasureCalls(benchmark::State& state, Call call) {
  std::vector<double> micros;
  micros.reserve(state.max_iterations);
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    grpc::Status status = call();
    auto end = std::chrono::steady_clock::now();
    if (!status.ok())
      return state.SkipWithError(status.error_message().c_str());
    micros.push_back(
        std::chrono::duration<double, std::micro>(end - start).count());
  }
  std::sort(micros.begin(), micros.end());
  auto percentile = [&](double p) {
    return micros[std::min(micros.size() - 1,
                           static_cast<size_t>(p * micros.size()))];
  };
  state.counters["p50_us"] = percentile(0.50);
  state.counters["p99_us"] = percentile(0.99);
  state.counters["issue"] = Server().largest_issue();
  state.counters["response_bytes"] =
      static_cast<double>(Server().response_bytes());
}

void BM_GetIssueFullWire(benchmark::State& state) {
  if (!Server().ok()) return state.SkipWithError("cannot set up the server");
  grpc::GenericStub stub(Server().channel());
  grpc::CompletionQueue queue;
  const std::string request_bytes = Server().Request().SerializeAsString();
  grpc::Slice request_slice(request_bytes);
  const grpc::ByteBuffer request(&request_slice, 1);
  MeasureCalls(state, [&] {
    grpc::ClientContext context;
    grpc::ByteBuffer response;
    grpc::Status status;
    auto call = stub.PrepareUnaryCall(
        &context, "/importai.v1.ArchiveService/GetIssue", request, &queue);
    call->StartCall();
    call->Finish(&response, &status, nullptr);
    void* tag = nullptr;
    bool ok = false;
    queue.Next(&tag, &ok);
    if (status.ok() && response.Length() != Server().response_bytes()) {
      return grpc::Status(grpc::StatusCode::INTERNAL, "short response");
    }
    return status;
  });
}
BENCHMARK(BM_GetIssueFullWire)
    ->Iterations(20000)
    ->Unit(benchmark::kMicrosecond);

void BM_GetIssueFullTyped(benchmark::State& state) {
  if (!Server().ok()) return state.SkipWithError("cannot set up the server");
  auto stub = v1::ArchiveService::NewStub(Server().channel());
  const v1::GetIssueRequest request = Server().Request();
  MeasureCalls(state, [&] {
    google::protobuf::Arena arena;
    auto* issue = google::protobuf::Arena::CreateMessage<v1::Issue>(&arena);
    grpc::ClientContext context;
    return stub->GetIssue(&context, request, issue);
  });
}
BENCHMARK(BM_GetIssueFullTyped)
    ->Iterations(20000)
    ->Unit(benchmark::kMicrosecond);

void BM_HealthCheck(benchmark::State& state) {
  if (!Server().ok()) return state.SkipWithError("cannot set up the server");
  auto stub = grpc::health::v1::Health::NewStub(Server().channel());
  MeasureCalls(state, [&] {
    grpc::health::v1::HealthCheckRequest request;
    grpc::health::v1::HealthCheckResponse response;
    grpc::ClientContext context;
    return stub->Check(&context, request, &response);
  });
}
BENCHMARK(BM_HealthCheck)->Iterations(20000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace importai::services

int main(int argc, char** argv) {
  // As in importai-server: Debian's abseil would check every absl::Mutex
  // acquisition in the gRPC client for lock-order cycles.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
