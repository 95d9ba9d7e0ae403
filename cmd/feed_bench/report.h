#ifndef IMPORTAI_CMD_FEED_BENCH_REPORT_H_
#define IMPORTAI_CMD_FEED_BENCH_REPORT_H_

#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

#include "cmd/feed_bench/ledger.h"

namespace importai::feed_bench {

// What every system of one comparison shared.
struct Setup {
  int subscribers = 0;
  int writes = 0;
  int per_connection = 0;
  size_t payload_bytes = 0;  // the serialized Issue each event carries
  std::string load_average;  // /proc/loadavg before the runs: other load
};

// Prints one table: a column per system, then importai/etcd where both ran.
void PrintComparison(const Setup& setup, const std::vector<FeedResult>& results,
                     std::FILE* out);

}  // namespace importai::feed_bench

#endif  // IMPORTAI_CMD_FEED_BENCH_REPORT_H_
