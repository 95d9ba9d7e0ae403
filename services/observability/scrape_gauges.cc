#include "services/observability/scrape_gauges.h"

#include <string>

namespace importai::services {
namespace {

prometheus::MetricFamily Family(std::string name, std::string help,
                                prometheus::MetricType type) {
  prometheus::MetricFamily family;
  family.name = std::move(name);
  family.help = std::move(help);
  family.type = type;
  return family;
}

prometheus::MetricFamily Gauge(std::string name, std::string help,
                               double value) {
  prometheus::MetricFamily family =
      Family(std::move(name), std::move(help), prometheus::MetricType::Gauge);
  family.metric.emplace_back().gauge.value = value;
  return family;
}

prometheus::MetricFamily Counter(std::string name, std::string help,
                                 uint64_t value) {
  prometheus::MetricFamily family =
      Family(std::move(name), std::move(help), prometheus::MetricType::Counter);
  family.metric.emplace_back().counter.value = static_cast<double>(value);
  return family;
}

void AddReplicaFamilies(const ReplicaGauges& replica,
                        std::vector<prometheus::MetricFamily>* families) {
  families->push_back(Gauge("importai_replica_connected",
                            "1 while a feed stream from the primary is open.",
                            replica.connected ? 1 : 0));
  families->push_back(Gauge(
      "importai_replica_serving",
      "1 while within --max_lag of the primary (health SERVING).",
      replica.serving ? 1 : 0));
  families->push_back(Gauge(
      "importai_replica_lag_revisions",
      "Revisions the primary is known to have that this replica has not.",
      static_cast<double>(replica.lag_revisions)));
  families->push_back(Gauge("importai_replica_lag_seconds",
                            "While behind the primary's last known head: how "
                            "long ago the last revision applied was committed; "
                            "0 when caught up with what the primary was last "
                            "known to have (see importai_replica_connected).",
                            replica.lag_seconds));
  families->push_back(Counter("importai_replica_applied_total",
                              "Revisions applied from the primary since start.",
                              replica.applied));
  families->push_back(Counter(
      "importai_replica_bootstraps_total",
      "Snapshots of the primary copied since start.", replica.bootstraps));
}

prometheus::ClientMetric Lookups(const char* result, uint64_t count) {
  prometheus::ClientMetric metric;
  metric.label = {{"result", result}};
  metric.counter.value = static_cast<double>(count);
  return metric;
}

}  // namespace

std::vector<prometheus::MetricFamily> ScrapeGauges::Collect() const {
  const MetricGauges gauges = read_();
  const uint64_t lookups = gauges.block_cache_hits + gauges.block_cache_misses;
  std::vector<prometheus::MetricFamily> families = {
      Gauge("importai_feed_subscribers", "Open WatchIssues streams.",
            gauges.active_subscribers),
      Gauge("importai_feed_catch_up_bytes",
            "Bytes of log events read for subscribers behind the live "
            "window, held until sent.",
            static_cast<double>(gauges.catch_up_bytes)),
      Gauge("importai_feed_catch_up_budget_bytes",
            "The most catch_up_bytes may reach before reads wait "
            "(--feed_catch_up_budget_mb).",
            static_cast<double>(gauges.catch_up_budget_bytes)),
      Gauge("importai_head_revision", "The newest committed revision.",
            gauges.head_revision),
      Gauge("importai_oldest_revision",
            "The oldest revision the feed can still replay.",
            gauges.oldest_revision),
      Gauge("importai_rocksdb_live_data_bytes",
            "RocksDB's estimate of live data, all column families.",
            static_cast<double>(gauges.live_data_bytes)),
      Gauge("importai_rocksdb_block_cache_hit_ratio",
            "Block cache hits over lookups since start (0 before any lookup).",
            lookups == 0 ? 0.0
                         : static_cast<double>(gauges.block_cache_hits) /
                               static_cast<double>(lookups)),
      Family("importai_rocksdb_block_cache_lookups_total",
             "Block cache lookups since start, by result.",
             prometheus::MetricType::Counter)};
  families.back().metric = {Lookups("hit", gauges.block_cache_hits),
                            Lookups("miss", gauges.block_cache_misses)};
  if (gauges.replica.has_value()) AddReplicaFamilies(*gauges.replica, &families);
  return families;
}

}  // namespace importai::services
