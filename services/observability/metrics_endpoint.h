#ifndef IMPORTAI_SERVICES_OBSERVABILITY_METRICS_ENDPOINT_H_
#define IMPORTAI_SERVICES_OBSERVABILITY_METRICS_ENDPOINT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "prometheus/collectable.h"

namespace prometheus {
class Exposer;
}  // namespace prometheus

namespace importai::services {

// GET /metrics in the Prometheus text format, collected from `collectables`
// at each scrape; other paths are 404. prometheus-cpp's Exposer (civetweb)
// serves it on its own threads, several connections at once, so a client
// that connects and stalls holds one thread until kRequestTimeout, not the
// endpoint.
class MetricsEndpoint {
 public:
  // Connections served at once.
  static constexpr int kThreads = 4;
  // How long reading a request or writing a response may take.
  static constexpr absl::Duration kRequestTimeout = absl::Seconds(10);

  // Binds `listen`, "HOST:PORT" with HOST an IPv4 address, a name or empty
  // (every interface), and port 0 for any free port. UNAVAILABLE, naming
  // metrics_listen, if it cannot.
  static absl::StatusOr<std::unique_ptr<MetricsEndpoint>> Start(
      const std::string& listen,
      std::vector<std::shared_ptr<prometheus::Collectable>> collectables);

  // Stops serving; returns once no scrape is running.
  ~MetricsEndpoint();

  // The bound port.
  int port() const { return port_; }

 private:
  MetricsEndpoint(
      std::unique_ptr<prometheus::Exposer> exposer, int port,
      std::vector<std::shared_ptr<prometheus::Collectable>> collectables);

  // The exposer holds weak pointers; these keep the collectables alive
  // until it is gone.
  const std::vector<std::shared_ptr<prometheus::Collectable>> collectables_;
  const std::unique_ptr<prometheus::Exposer> exposer_;
  const int port_;
};

}  // namespace importai::services

#endif  // IMPORTAI_SERVICES_OBSERVABILITY_METRICS_ENDPOINT_H_
