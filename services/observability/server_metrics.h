#ifndef IMPORTAI_SERVICES_OBSERVABILITY_SERVER_METRICS_H_
#define IMPORTAI_SERVICES_OBSERVABILITY_SERVER_METRICS_H_

#include <array>
#include <memory>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "importai/v1/ingest_service.pb.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"
#include "services/observability/rpc_methods.h"

namespace importai::services {

// The server's counters, kept in a Prometheus registry (registry(), for the
// metrics endpoint). Thread-safe.
class ServerMetrics {
 public:
  // Upper bounds of the latency histogram, in seconds.
  static constexpr std::array<double, 14> kLatencyBuckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
      0.025,  0.05,    0.1,    0.25,  1,      5,     30};

  // RPCs are labelled with `methods`; any other path is "unknown".
  explicit ServerMetrics(RpcMethods methods);

  // Counts and times one RPC. `path` is gRPC's full method name
  // ("/importai.v1.ArchiveService/GetIssue"); a code outside gRPC's counts
  // as UNKNOWN.
  void RecordRpc(absl::string_view path, absl::StatusCode code,
                 absl::Duration duration) ABSL_LOCKS_EXCLUDED(mu_);
  void RecordIngestOutcome(v1::IngestOutcome outcome);

  // Holds grpc_server_handled_total, grpc_server_handling_seconds and
  // importai_ingest_outcomes_total; lives as long as its last holder.
  std::shared_ptr<prometheus::Registry> registry() const { return registry_; }

 private:
  // gRPC's codes run from OK (0) to UNAUTHENTICATED (16).
  static constexpr int kCodes = 17;
  // One label set's series, made on its first RPC (so the scrape lists only
  // what happened) and owned by the registry.
  struct Series {
    prometheus::Counter* handled = nullptr;
    prometheus::Histogram* handling = nullptr;
  };

  Series& SeriesFor(size_t method, int code) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const RpcMethods methods_;
  const std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& handled_;
  prometheus::Family<prometheus::Histogram>& handling_;
  prometheus::Family<prometheus::Counter>& ingest_outcomes_;

  absl::Mutex mu_;
  // By RpcMethods index, then by code: bounded whatever clients send.
  std::vector<std::array<Series, kCodes>> series_ ABSL_GUARDED_BY(mu_);
};

}  // namespace importai::services

#endif  // IMPORTAI_SERVICES_OBSERVABILITY_SERVER_METRICS_H_
