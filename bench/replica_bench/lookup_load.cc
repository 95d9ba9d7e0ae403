#include "bench/replica_bench/lookup_load.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <thread>

#include "absl/strings/str_cat.h"
#include "cmd/feed_bench/child_process.h"
#include "cmd/feed_bench/feed_run.h"
#include "cmd/feed_bench/ledger.h"
#include "grpcpp/client_context.h"
#include "grpcpp/completion_queue.h"

namespace importai::replica_bench {
namespace {

using feed_bench::Nanos;
using feed_bench::NowNanos;

// Whether `buffer` holds exactly `expected`.
bool SameBytes(const grpc::ByteBuffer& buffer, const std::string& expected) {
  if (buffer.Length() != expected.size()) return false;
  std::vector<grpc::Slice> slices;
  if (!buffer.Dump(&slices).ok()) return false;
  size_t at = 0;
  for (const grpc::Slice& slice : slices) {
    if (std::memcmp(slice.begin(), expected.data() + at, slice.size()) != 0) {
      return false;
    }
    at += slice.size();
  }
  return true;
}

}  // namespace

// One outstanding call; a completion queue thread owns it from the
// completion until it has started the next call.
struct LookupLoad::Slot {
  grpc::GenericStub* stub = nullptr;
  size_t next_call = 0;  // index into calls_, advanced by the slot count
  size_t call = 0;
  std::unique_ptr<grpc::ClientContext> context;
  std::unique_ptr<grpc::GenericClientAsyncResponseReader> reader;
  grpc::ByteBuffer response;
  grpc::Status status;
  Nanos started = 0;
  // What this slot saw; summed once every thread is done.
  std::vector<double> latencies_ms;
  int64_t failed = 0;
  int64_t wrong = 0;
  std::string first_error;
};

LookupLoad::LookupLoad(const std::string& method,
                       const std::vector<LookupCall>& calls,
                       const std::vector<std::string>& addresses,
                       const LookupOptions& options)
    : method_(method), calls_(calls), options_(options) {
  for (const LookupCall& call : calls_) {
    grpc::Slice slice(call.request);
    requests_.emplace_back(&slice, 1);
  }
  for (int i = 0; i < options_.connections; ++i) {
    stubs_.push_back(std::make_unique<grpc::GenericStub>(
        feed_bench::NewConnection(addresses[i % addresses.size()], i)));
  }
}

LookupLoad::~LookupLoad() = default;

LookupResult LookupLoad::Run(
    absl::Duration duration,
    const std::function<double()>& server_cpu_seconds) {
  const size_t slot_count =
      stubs_.size() * static_cast<size_t>(options_.in_flight_per_connection);
  std::vector<Slot> slots(slot_count);
  grpc::CompletionQueue queue;
  auto start_call = [&](Slot& slot) {
    slot.call = slot.next_call % calls_.size();
    slot.next_call += slot_count;
    slot.context = std::make_unique<grpc::ClientContext>();
    slot.context->set_deadline(
        absl::ToChronoTime(absl::Now() + options_.call_timeout));
    slot.response.Clear();
    slot.started = NowNanos();
    slot.reader = slot.stub->PrepareUnaryCall(slot.context.get(), method_,
                                              requests_[slot.call], &queue);
    slot.reader->StartCall();
    slot.reader->Finish(&slot.response, &slot.status, &slot);
  };

  LookupResult result;
  const double server_cpu_before = server_cpu_seconds();
  const double client_cpu_before = feed_bench::OwnCpuSeconds();
  const Nanos start = NowNanos();
  const Nanos end = start + absl::ToInt64Nanoseconds(duration);
  std::atomic<size_t> outstanding{slot_count};
  std::atomic<Nanos> last_answer{start};
  for (size_t i = 0; i < slot_count; ++i) {
    slots[i].stub = stubs_[i % stubs_.size()].get();
    slots[i].next_call = i;
    start_call(slots[i]);
  }
  auto poll = [&] {
    void* tag = nullptr;
    bool ok = false;
    while (queue.Next(&tag, &ok)) {
      Slot& slot = *static_cast<Slot*>(tag);
      const Nanos now = NowNanos();
      if (!slot.status.ok()) {
        if (slot.failed++ == 0) {
          slot.first_error = absl::StrCat(slot.status.error_code(), ": ",
                                          slot.status.error_message());
        }
      } else if (!SameBytes(slot.response, calls_[slot.call].response)) {
        ++slot.wrong;
      } else {
        slot.latencies_ms.push_back((now - slot.started) / 1e6);
      }
      if (now < end) {
        start_call(slot);
        continue;
      }
      Nanos last = last_answer.load();
      while (now > last && !last_answer.compare_exchange_weak(last, now)) {
      }
      if (outstanding.fetch_sub(1) == 1) queue.Shutdown();
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < std::max(1, options_.client_threads); ++i) {
    threads.emplace_back(poll);
  }
  for (std::thread& thread : threads) thread.join();
  result.server_cpu_s = server_cpu_seconds() - server_cpu_before;
  result.client_cpu_s = feed_bench::OwnCpuSeconds() - client_cpu_before;
  result.seconds = (last_answer.load() - start) / 1e9;

  for (Slot& slot : slots) {
    result.ok += static_cast<int64_t>(slot.latencies_ms.size());
    result.latencies_ms.insert(result.latencies_ms.end(),
                               slot.latencies_ms.begin(),
                               slot.latencies_ms.end());
    result.failed += slot.failed;
    result.wrong += slot.wrong;
    if (result.first_error.empty()) result.first_error = slot.first_error;
  }
  std::sort(result.latencies_ms.begin(), result.latencies_ms.end());
  return result;
}

}  // namespace importai::replica_bench
