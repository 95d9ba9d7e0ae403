#ifndef IMPORTAI_SERVICES_OBSERVABILITY_SCRAPE_GAUGES_H_
#define IMPORTAI_SERVICES_OBSERVABILITY_SCRAPE_GAUGES_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "prometheus/collectable.h"
#include "prometheus/metric_family.h"

namespace importai::services {

// Where a replica stands against its primary.
struct ReplicaGauges {
  bool connected = false;
  bool serving = false;
  int64_t lag_revisions = 0;
  double lag_seconds = 0;
  uint64_t applied = 0;
  uint64_t bootstraps = 0;
};

// Values read when metrics are scraped rather than counted as they happen.
struct MetricGauges {
  int64_t active_subscribers = 0;
  // Log events read for lagging subscribers, held now, and the budget.
  uint64_t catch_up_bytes = 0;
  uint64_t catch_up_budget_bytes = 0;
  int64_t head_revision = 0;
  int64_t oldest_revision = 0;
  uint64_t live_data_bytes = 0;
  uint64_t block_cache_hits = 0;
  uint64_t block_cache_misses = 0;
  // Set on a read replica only (importai-server --follow).
  std::optional<ReplicaGauges> replica;
};

// Calls `read` on every scrape and reports its values as
// importai_feed_subscribers, importai_feed_catch_up_bytes,
// importai_feed_catch_up_budget_bytes, importai_head_revision,
// importai_oldest_revision,
// importai_rocksdb_live_data_bytes, importai_rocksdb_block_cache_hit_ratio
// and importai_rocksdb_block_cache_lookups_total; on a replica also
// importai_replica_connected, importai_replica_serving,
// importai_replica_lag_revisions, importai_replica_lag_seconds,
// importai_replica_applied_total and importai_replica_bootstraps_total.
// Thread-safe if `read` is;
// `read` runs on the metrics endpoint's threads.
class ScrapeGauges final : public prometheus::Collectable {
 public:
  explicit ScrapeGauges(std::function<MetricGauges()> read)
      : read_(std::move(read)) {}

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  const std::function<MetricGauges()> read_;
};

}  // namespace importai::services

#endif  // IMPORTAI_SERVICES_OBSERVABILITY_SCRAPE_GAUGES_H_
