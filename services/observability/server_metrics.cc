#include "services/observability/server_metrics.h"

#include <string>
#include <utility>

namespace importai::services {

ServerMetrics::ServerMetrics(RpcMethods methods)
    : methods_(std::move(methods)),
      registry_(std::make_shared<prometheus::Registry>()),
      handled_(prometheus::BuildCounter()
                   .Name("grpc_server_handled_total")
                   .Help("RPCs completed, by method and status code.")
                   .Register(*registry_)),
      handling_(prometheus::BuildHistogram()
                    .Name("grpc_server_handling_seconds")
                    .Help("RPC duration, from the call's start to its status.")
                    .Register(*registry_)),
      ingest_outcomes_(
          prometheus::BuildCounter()
              .Name("importai_ingest_outcomes_total")
              .Help("Issue copies ingested (not validate_only), by outcome.")
              .Register(*registry_)),
      series_(methods_.size()) {}

ServerMetrics::Series& ServerMetrics::SeriesFor(size_t method, int code) {
  Series& series = series_[method][code];
  if (series.handled == nullptr) {
    const RpcMethods::Labels& names = methods_.labels(method);
    const prometheus::Labels labels = {
        {"grpc_service", names.service},
        {"grpc_method", names.method},
        {"grpc_code",
         absl::StatusCodeToString(static_cast<absl::StatusCode>(code))}};
    series.handled = &handled_.Add(labels);
    series.handling = &handling_.Add(
        labels, prometheus::Histogram::BucketBoundaries(kLatencyBuckets.begin(),
                                                        kLatencyBuckets.end()));
  }
  return series;
}

void ServerMetrics::RecordRpc(absl::string_view path, absl::StatusCode code,
                              absl::Duration duration) {
  int code_index = static_cast<int>(code);
  if (code_index < 0 || code_index >= kCodes) {
    code_index = static_cast<int>(absl::StatusCode::kUnknown);
  }
  const size_t method = methods_.Find(path);
  Series series;
  {
    absl::MutexLock lock(&mu_);
    series = SeriesFor(method, code_index);
  }
  // Both are thread-safe on their own.
  series.handled->Increment();
  series.handling->Observe(absl::ToDoubleSeconds(duration));
}

void ServerMetrics::RecordIngestOutcome(v1::IngestOutcome outcome) {
  // Bounded: one series per enum value.
  ingest_outcomes_.Add({{"outcome", v1::IngestOutcome_Name(outcome)}})
      .Increment();
}

}  // namespace importai::services
