#include "services/observability/metrics_endpoint.h"

#include <algorithm>
#include <exception>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "prometheus/exposer.h"

namespace importai::services {
namespace {

absl::Status Unavailable(const std::string& listen, absl::string_view why) {
  return absl::UnavailableError(
      absl::StrCat("metrics_listen: cannot serve on \"", listen, "\": ", why));
}

// civetweb's listening_ports reads "," as a list and letters after the port
// as options (TLS, redirect): only one plain HOST:PORT gets through.
absl::StatusOr<std::string> ListeningPort(const std::string& listen) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return Unavailable(listen, "not HOST:PORT");
  const absl::string_view port = absl::string_view(listen).substr(colon + 1);
  if (port.empty() ||
      !std::all_of(port.begin(), port.end(), absl::ascii_isdigit)) {
    return Unavailable(listen, "the port is not a number");
  }
  if (absl::StrContains(listen, ",")) {
    return Unavailable(listen, "not HOST:PORT");
  }
  if (absl::StartsWith(listen, "[")) {
    return Unavailable(listen, "IPv6: Debian's civetweb serves IPv4 only");
  }
  // civetweb binds every IPv4 interface for a bare port.
  if (colon == 0) return std::string(port);
  return listen;
}

}  // namespace

absl::StatusOr<std::unique_ptr<MetricsEndpoint>> MetricsEndpoint::Start(
    const std::string& listen,
    std::vector<std::shared_ptr<prometheus::Collectable>> collectables) {
  absl::StatusOr<std::string> port = ListeningPort(listen);
  if (!port.ok()) return port.status();
  std::unique_ptr<prometheus::Exposer> exposer;
  try {
    exposer = std::make_unique<prometheus::Exposer>(std::vector<std::string>{
        "listening_ports", *port, "num_threads", absl::StrCat(kThreads),
        "request_timeout_ms",
        absl::StrCat(absl::ToInt64Milliseconds(kRequestTimeout))});
  } catch (const std::exception& e) {
    // civetweb could not bind (in use, or not an address).
    return Unavailable(listen, e.what());
  }
  const std::vector<int> ports = exposer->GetListeningPorts();
  if (ports.size() != 1) return Unavailable(listen, "not one port");
  for (const auto& collectable : collectables) {
    exposer->RegisterCollectable(collectable);
  }
  return std::unique_ptr<MetricsEndpoint>(new MetricsEndpoint(
      std::move(exposer), ports[0], std::move(collectables)));
}

MetricsEndpoint::MetricsEndpoint(
    std::unique_ptr<prometheus::Exposer> exposer, int port,
    std::vector<std::shared_ptr<prometheus::Collectable>> collectables)
    : collectables_(std::move(collectables)),
      exposer_(std::move(exposer)),
      port_(port) {}

MetricsEndpoint::~MetricsEndpoint() = default;

}  // namespace importai::services
