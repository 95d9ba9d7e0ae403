#ifndef IMPORTAI_CMD_LOOKUP_BENCH_H2LOAD_RUN_H_
#define IMPORTAI_CMD_LOOKUP_BENCH_H2LOAD_RUN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace importai::lookup_bench {

// A gRPC message as it travels in an HTTP/2 DATA frame: a 0 byte (not
// compressed), the message length as 4 big-endian bytes, the message.
std::string GrpcFramed(absl::string_view message);

// One h2load run: `requests` unary gRPC calls of `path` on `address`
// (HOST:PORT, plaintext HTTP/2), each sending the framed request in
// `body_file`, over `connections` connections of `streams` concurrent
// streams each.
struct H2loadRun {
  std::string h2load_binary = "/usr/bin/h2load";
  std::string address;
  std::string path;  // "/package.Service/Method"
  std::string body_file;
  int requests = 0;
  int connections = 1;
  int streams = 1;
  std::string work_prefix;  // where the output and the per-request log go
};

// What h2load reported, and the per-request times from its --log-file.
struct H2loadResult {
  double requests_per_second = 0;
  int64_t done = 0;
  int64_t succeeded = 0;
  int64_t failed = 0;
  int64_t errored = 0;
  int64_t timed_out = 0;
  int64_t status_2xx = 0;
  int64_t data_bytes = 0;     // DATA frame payload received, all responses
  int64_t log_rows = 0;       // requests in the --log-file
  int64_t log_not_200 = 0;    // of those, with another status (or -1)
  std::vector<int64_t> micros;  // per request, sorted
};

// The nearest-rank percentile (0 < p <= 1) of `sorted`, -1 if it is empty.
int64_t Percentile(const std::vector<int64_t>& sorted, double p);

// Runs h2load to completion (it is killed past `timeout_seconds`) and
// parses its summary and log. Fails only when h2load could not run or its
// output could not be read; whether the calls succeeded is for Check.
absl::StatusOr<H2loadResult> RunH2load(const H2loadRun& run,
                                       int timeout_seconds);

// OK when every one of `requests` calls completed with HTTP 200 and exactly
// `framed_response_bytes` of DATA each: a gRPC error is a trailers-only
// response with no DATA, so it cannot pass for an answer.
absl::Status Check(const H2loadResult& result, int64_t requests,
                   int64_t framed_response_bytes);

}  // namespace importai::lookup_bench

#endif  // IMPORTAI_CMD_LOOKUP_BENCH_H2LOAD_RUN_H_
