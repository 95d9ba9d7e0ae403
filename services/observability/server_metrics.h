#ifndef IMPORTAI_SERVICES_OBSERVABILITY_SERVER_METRICS_H_
#define IMPORTAI_SERVICES_OBSERVABILITY_SERVER_METRICS_H_

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "importai/v1/ingest_service.pb.h"

namespace importai::services {

// Values read when metrics are scraped rather than counted as they happen.
struct MetricGauges {
  int64_t active_subscribers = 0;
  int64_t head_revision = 0;
  int64_t oldest_revision = 0;
  uint64_t live_data_bytes = 0;
  uint64_t block_cache_hits = 0;
  uint64_t block_cache_misses = 0;
};

// The server's counters, rendered in the Prometheus text format. Thread-safe.
class ServerMetrics {
 public:
  // Upper bounds of the latency histogram, in seconds.
  static constexpr std::array<double, 14> kLatencyBuckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
      0.025,  0.05,    0.1,    0.25,  1,      5,     30};

  // `method` is gRPC's full name ("/importai.v1.ArchiveService/GetIssue").
  void RecordRpc(const std::string& method, const std::string& code,
                 absl::Duration duration) ABSL_LOCKS_EXCLUDED(mu_);
  void RecordIngestOutcome(v1::IngestOutcome outcome) ABSL_LOCKS_EXCLUDED(mu_);

  std::string RenderPrometheus(const MetricGauges& gauges)
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Latency {
    uint64_t count = 0;
    double sum_seconds = 0;
    // Non-cumulative; rendering sums them.
    std::array<uint64_t, kLatencyBuckets.size()> buckets = {};
  };

  absl::Mutex mu_;
  // By (method, code); ordered so the output is stable.
  std::map<std::pair<std::string, std::string>, Latency> rpcs_
      ABSL_GUARDED_BY(mu_);
  std::map<std::string, uint64_t> ingest_outcomes_ ABSL_GUARDED_BY(mu_);
};

}  // namespace importai::services

#endif  // IMPORTAI_SERVICES_OBSERVABILITY_SERVER_METRICS_H_
