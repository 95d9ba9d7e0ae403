// GetIssue latency at concurrency 1 over loopback: a real server on a free
// port, RocksDB in a temporary directory, the corpus ingested, one stub
// calling GetIssue(FULL) back to back. Reports p50/p99 per call in µs.
//   build/release/services/get_issue_benchmark
#include <algorithm>
#include <chrono>
#include <vector>

#include "absl/time/clock.h"
#include "benchmark/benchmark.h"
#include "common/testing/fixtures.h"
#include "common/testing/temp_dir.h"
#include "grpcpp/create_channel.h"
#include "importai/v1/archive_service.grpc.pb.h"
#include "services/ingest.h"
#include "services/server.h"
#include "storage/rocksdb_store.h"

namespace importai::services {
namespace {

// The corpus's newest issue, or an original sample when the corpus is absent.
std::string BenchmarkText(int* number) {
  std::string where;
  std::string corpus = testing::ReadCorpusFile("import-ai-382-387.txt", &where);
  *number = corpus.empty() ? 901 : 387;
  return corpus.empty() ? testing::SampleIssueText(901) : corpus;
}

void BM_GetIssueFull(benchmark::State& state) {
  testing::TempDir dir;
  auto store = storage::RocksDbStore::Open(dir.path());
  if (!store.ok()) return state.SkipWithError("cannot open the store");
  int number = 0;
  v1::IngestIssuesRequest ingest;
  ingest.set_text(BenchmarkText(&number));
  if (!Ingest(**store, ingest, IngestLimits{}, absl::Now()).ok()) {
    return state.SkipWithError("cannot ingest the benchmark text");
  }
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  auto server = ArchiveServer::Start(store->get(), options);
  if (!server.ok()) return state.SkipWithError("cannot start the server");
  auto stub = v1::ArchiveService::NewStub(grpc::CreateChannel(
      (*server)->address(), grpc::InsecureChannelCredentials()));

  v1::GetIssueRequest request;
  request.set_name("issues/" + std::to_string(number));
  request.set_view(v1::ISSUE_VIEW_FULL);
  std::vector<double> micros;
  size_t response_bytes = 0;
  for (auto _ : state) {
    v1::Issue issue;
    grpc::ClientContext context;
    auto start = std::chrono::steady_clock::now();
    grpc::Status status = stub->GetIssue(&context, request, &issue);
    auto end = std::chrono::steady_clock::now();
    if (!status.ok())
      return state.SkipWithError(status.error_message().c_str());
    micros.push_back(
        std::chrono::duration<double, std::micro>(end - start).count());
    response_bytes = issue.ByteSizeLong();
  }
  std::sort(micros.begin(), micros.end());
  auto percentile = [&](double p) {
    return micros[std::min(micros.size() - 1,
                           static_cast<size_t>(p * micros.size()))];
  };
  state.counters["p50_us"] = percentile(0.50);
  state.counters["p99_us"] = percentile(0.99);
  state.counters["response_bytes"] = static_cast<double>(response_bytes);
  (*server)->Shutdown(absl::ZeroDuration());
}
BENCHMARK(BM_GetIssueFull)->Iterations(20000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace importai::services

BENCHMARK_MAIN();
