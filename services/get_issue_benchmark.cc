// GetIssue(FULL) latency at concurrency 1 over loopback: a real server on a
// free port, RocksDB in a temporary directory, the corpus ingested, and one
// client calling back to back for the largest issue. Reports p50/p99 in µs,
// twice: "Wire" receives the response bytes (what the service costs, as
// h2load measures it), "Typed" also parses them into an Issue the way a C++
// client does.
//   build/release/services/get_issue_benchmark
#include <algorithm>
#include <chrono>
#include <vector>

#include "absl/time/clock.h"
#include "benchmark/benchmark.h"
#include "common/testing/fixtures.h"
#include "common/testing/temp_dir.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "importai/v1/archive_service.grpc.pb.h"
#include "services/ingest.h"
#include "services/server.h"
#include "storage/rocksdb_store.h"

namespace importai::services {
namespace {

// A server holding the shared corpus (or an original sample issue when the
// corpus is absent), shared by both benchmarks.
class Fixture {
 public:
  Fixture() {
    auto store = storage::RocksDbStore::Open(dir_.path());
    if (!store.ok()) return;
    store_ = *std::move(store);
    std::string where;
    v1::IngestIssuesRequest ingest;
    ingest.set_text(testing::ReadCorpusFile("import-ai-382-387.txt", &where));
    if (ingest.text().empty()) ingest.set_text(testing::SampleIssueText(901));
    auto ingested = Ingest(*store_, ingest, IngestLimits{}, absl::Now());
    if (!ingested.ok()) return;
    for (const v1::IngestResult& result : ingested->results()) {
      auto bytes = store_->GetIssueBytes(result.number());
      if (bytes.ok() && (*bytes)->size() > response_bytes_) {
        response_bytes_ = (*bytes)->size();
        largest_issue_ = result.number();
      }
    }
    ServerOptions options;
    options.listen = "127.0.0.1:0";
    auto server = ArchiveServer::Start(store_.get(), options);
    if (server.ok()) server_ = *std::move(server);
  }

  bool ok() const { return server_ != nullptr && largest_issue_ > 0; }
  std::shared_ptr<grpc::Channel> NewChannel() const {
    return grpc::CreateChannel(server_->address(),
                               grpc::InsecureChannelCredentials());
  }
  v1::GetIssueRequest Request() const {
    v1::GetIssueRequest request;
    request.set_name("issues/" + std::to_string(largest_issue_));
    request.set_view(v1::ISSUE_VIEW_FULL);
    return request;
  }
  int largest_issue() const { return largest_issue_; }
  size_t response_bytes() const { return response_bytes_; }

 private:
  testing::TempDir dir_;
  std::unique_ptr<storage::RocksDbStore> store_;
  std::unique_ptr<ArchiveServer> server_;
  int largest_issue_ = 0;
  size_t response_bytes_ = 0;
};

Fixture& SharedFixture() {
  static Fixture* fixture = new Fixture();
  return *fixture;
}

// Times `call` once per iteration and reports percentiles.
template <typename Call>
void MeasureCalls(benchmark::State& state, Call call) {
  Fixture& fixture = SharedFixture();
  if (!fixture.ok()) return state.SkipWithError("cannot set up the server");
  std::vector<double> micros;
  micros.reserve(state.max_iterations);
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    grpc::Status status = call();
    auto end = std::chrono::steady_clock::now();
    if (!status.ok()) return state.SkipWithError(status.error_message().c_str());
    micros.push_back(std::chrono::duration<double, std::micro>(end - start).count());
  }
  std::sort(micros.begin(), micros.end());
  auto percentile = [&](double p) {
    return micros[std::min(micros.size() - 1,
                           static_cast<size_t>(p * micros.size()))];
  };
  state.counters["p50_us"] = percentile(0.50);
  state.counters["p99_us"] = percentile(0.99);
  state.counters["issue"] = fixture.largest_issue();
  state.counters["response_bytes"] = static_cast<double>(fixture.response_bytes());
}

void BM_GetIssueFullWire(benchmark::State& state) {
  Fixture& fixture = SharedFixture();
  if (!fixture.ok()) return state.SkipWithError("cannot set up the server");
  grpc::GenericStub stub(fixture.NewChannel());
  grpc::CompletionQueue queue;
  const std::string request_bytes = fixture.Request().SerializeAsString();
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
    if (status.ok() && response.Length() != fixture.response_bytes()) {
      return grpc::Status(grpc::StatusCode::INTERNAL, "short response");
    }
    return status;
  });
}
BENCHMARK(BM_GetIssueFullWire)->Iterations(20000)->Unit(benchmark::kMicrosecond);

void BM_GetIssueFullTyped(benchmark::State& state) {
  Fixture& fixture = SharedFixture();
  if (!fixture.ok()) return state.SkipWithError("cannot set up the server");
  auto stub = v1::ArchiveService::NewStub(fixture.NewChannel());
  const v1::GetIssueRequest request = fixture.Request();
  MeasureCalls(state, [&] {
    google::protobuf::Arena arena;
    auto* issue = google::protobuf::Arena::CreateMessage<v1::Issue>(&arena);
    grpc::ClientContext context;
    return stub->GetIssue(&context, request, issue);
  });
}
BENCHMARK(BM_GetIssueFullTyped)->Iterations(20000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace importai::services

BENCHMARK_MAIN();
