#include "services/observability/server_metrics.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"

namespace importai::services {
namespace {

// "/importai.v1.ArchiveService/GetIssue" -> service and method labels.
std::string RpcLabels(absl::string_view full_method, absl::string_view code) {
  absl::ConsumePrefix(&full_method, "/");
  const size_t slash = full_method.find('/');
  const absl::string_view service = full_method.substr(0, slash);
  const absl::string_view method = slash == absl::string_view::npos
                                       ? absl::string_view()
                                       : full_method.substr(slash + 1);
  return absl::StrCat("grpc_service=\"", service, "\",grpc_method=\"", method,
                      "\",grpc_code=\"", code, "\"");
}

void Header(absl::string_view name, absl::string_view type,
            absl::string_view help, std::string* out) {
  absl::StrAppend(out, "# HELP ", name, " ", help, "\n# TYPE ", name, " ", type,
                  "\n");
}

std::string Number(double value) { return absl::StrFormat("%.9g", value); }

}  // namespace

void ServerMetrics::RecordRpc(const std::string& method,
                              const std::string& code,
                              absl::Duration duration) {
  const double seconds = absl::ToDoubleSeconds(duration);
  const size_t bucket = std::lower_bound(kLatencyBuckets.begin(),
                                         kLatencyBuckets.end(), seconds) -
                        kLatencyBuckets.begin();
  absl::MutexLock lock(&mu_);
  Latency& latency = rpcs_[{method, code}];
  ++latency.count;
  latency.sum_seconds += seconds;
  if (bucket < latency.buckets.size()) ++latency.buckets[bucket];
}

void ServerMetrics::RecordIngestOutcome(v1::IngestOutcome outcome) {
  std::string name = v1::IngestOutcome_Name(outcome);
  absl::MutexLock lock(&mu_);
  ++ingest_outcomes_[name];
}

std::string ServerMetrics::RenderPrometheus(const MetricGauges& gauges) {
  std::string out;
  {
    absl::MutexLock lock(&mu_);
    Header("grpc_server_handled_total", "counter",
           "RPCs completed, by method and status code.", &out);
    for (const auto& [key, latency] : rpcs_) {
      absl::StrAppend(&out, "grpc_server_handled_total{",
                      RpcLabels(key.first, key.second), "} ", latency.count,
                      "\n");
    }
    Header("grpc_server_handling_seconds", "histogram",
           "RPC duration, from the call's start to its status.", &out);
    for (const auto& [key, latency] : rpcs_) {
      const std::string labels = RpcLabels(key.first, key.second);
      uint64_t cumulative = 0;
      for (size_t i = 0; i < kLatencyBuckets.size(); ++i) {
        cumulative += latency.buckets[i];
        absl::StrAppend(&out, "grpc_server_handling_seconds_bucket{", labels,
                        ",le=\"", Number(kLatencyBuckets[i]), "\"} ",
                        cumulative, "\n");
      }
      absl::StrAppend(&out, "grpc_server_handling_seconds_bucket{", labels,
                      ",le=\"+Inf\"} ", latency.count, "\n");
      absl::StrAppend(&out, "grpc_server_handling_seconds_sum{", labels, "} ",
                      Number(latency.sum_seconds), "\n");
      absl::StrAppend(&out, "grpc_server_handling_seconds_count{", labels, "} ",
                      latency.count, "\n");
    }
    Header("importai_ingest_outcomes_total", "counter",
           "Issue copies ingested (not validate_only), by outcome.", &out);
    for (const auto& [outcome, count] : ingest_outcomes_) {
      absl::StrAppend(&out, "importai_ingest_outcomes_total{outcome=\"",
                      outcome, "\"} ", count, "\n");
    }
  }
  auto gauge = [&](absl::string_view name, absl::string_view help,
                   double value) {
    Header(name, "gauge", help, &out);
    absl::StrAppend(&out, name, " ", Number(value), "\n");
  };
  gauge("importai_feed_subscribers", "Open WatchIssues streams.",
        gauges.active_subscribers);
  gauge("importai_head_revision", "The newest committed revision.",
        gauges.head_revision);
  gauge("importai_oldest_revision",
        "The oldest revision the feed can still replay.",
        gauges.oldest_revision);
  gauge("importai_rocksdb_live_data_bytes",
        "RocksDB's estimate of live data, all column families.",
        gauges.live_data_bytes);
  const uint64_t lookups = gauges.block_cache_hits + gauges.block_cache_misses;
  gauge("importai_rocksdb_block_cache_hit_ratio",
        "Block cache hits over lookups since start (0 before any lookup).",
        lookups == 0 ? 0.0
                     : static_cast<double>(gauges.block_cache_hits) / lookups);
  Header("importai_rocksdb_block_cache_lookups_total", "counter",
         "Block cache lookups since start, by result.", &out);
  absl::StrAppend(
      &out, "importai_rocksdb_block_cache_lookups_total{result=\"hit\"} ",
      gauges.block_cache_hits, "\n",
      "importai_rocksdb_block_cache_lookups_total{result=\"miss\"} ",
      gauges.block_cache_misses, "\n");
  return out;
}

}  // namespace importai::services
