#ifndef IMPORTAI_BENCH_REPLICA_BENCH_LOOKUP_LOAD_H_
#define IMPORTAI_BENCH_REPLICA_BENCH_LOOKUP_LOAD_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"

namespace importai::replica_bench {

// One call of the load: the serialized request and the exact serialized
// response every server must give back.
struct LookupCall {
  std::string request;
  std::string response;
};

struct LookupOptions {
  int connections = 6;               // dealt round the servers in turn
  int in_flight_per_connection = 8;  // calls outstanding on each
  int client_threads = 2;            // polling the completion queue
  absl::Duration call_timeout = absl::Seconds(10);
};

// What one measured run of the load got.
struct LookupResult {
  int64_t ok = 0;
  int64_t failed = 0;  // a gRPC error
  int64_t wrong = 0;   // OK, but not the expected bytes
  std::string first_error;
  double seconds = 0;                // from the first call to the last answer
  std::vector<double> latencies_ms;  // of the OK calls, sorted
  double server_cpu_s = 0;           // every server's CPU over the run
  double client_cpu_s = 0;           // this process' CPU over the run

  double OpsPerSecond() const { return seconds > 0 ? ok / seconds : 0; }
};

// A closed-loop load of unary calls of one method over raw bytes
// (GenericStub): `connections` HTTP/2 connections, connection i to
// addresses[i % addresses.size()], each with `in_flight_per_connection`
// calls outstanding; each new call asks the next of `calls` in turn. The
// connections persist across Run()s, so a first short Run warms them up.
class LookupLoad {
 public:
  LookupLoad(const std::string& method, const std::vector<LookupCall>& calls,
             const std::vector<std::string>& addresses,
             const LookupOptions& options);
  ~LookupLoad();
  LookupLoad(const LookupLoad&) = delete;
  LookupLoad& operator=(const LookupLoad&) = delete;

  // Keeps calls going for `duration`, then waits for the outstanding ones.
  // `server_cpu_seconds` reads the servers' CPU time, before and after.
  LookupResult Run(absl::Duration duration,
                   const std::function<double()>& server_cpu_seconds);

 private:
  struct Slot;

  const std::string method_;
  const std::vector<LookupCall>& calls_;
  const LookupOptions options_;
  std::vector<grpc::ByteBuffer> requests_;
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs_;
};

}  // namespace importai::replica_bench

#endif  // IMPORTAI_BENCH_REPLICA_BENCH_LOOKUP_LOAD_H_
