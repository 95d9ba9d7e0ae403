#ifndef IMPORTAI_CMD_LOOKUP_BENCH_INGEST_BENCH_H_
#define IMPORTAI_CMD_LOOKUP_BENCH_INGEST_BENCH_H_

#include <cstdio>
#include <string>

#include "absl/status/status.h"
#include "cmd/feed_bench/issue_text.h"

namespace importai::lookup_bench {

struct IngestBenchOptions {
  int single_requests = 200;  // durable one-issue requests, one at a time
  int concurrent_clients = 8; // also: that many clients at once
  int batch_requests = 10;    // durable requests of `batch_size` issues
  int batch_size = 100;
  int first_number = 100000;  // new issue numbers start here
};

// Ingest throughput of a running importai-server at `address` whose data
// directory is `data_dir` (for the fsync probe, on the same filesystem):
//   - durable one-issue IngestIssues, sequential: requests/s, p50, p99;
//   - the same with validate_only (parsed, nothing written or synced);
//   - durable one-issue requests from several clients at once;
//   - durable 100-issue requests: requests/s and issues/s;
//   - what appending one ingest's WAL record and fdatasync-ing it costs
//     on that filesystem, measured outside the server.
// Every issue is `text` renumbered, so every durable request CREATEs.
// Fails if any request fails or does not CREATE what it sent.
absl::Status RunIngestBench(const std::string& address,
                            const std::string& data_dir,
                            const feed_bench::IssueText& text,
                            const IngestBenchOptions& options, FILE* out);

}  // namespace importai::lookup_bench

#endif  // IMPORTAI_CMD_LOOKUP_BENCH_INGEST_BENCH_H_
