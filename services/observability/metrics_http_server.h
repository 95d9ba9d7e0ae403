#ifndef IMPORTAI_SERVICES_OBSERVABILITY_METRICS_HTTP_SERVER_H_
#define IMPORTAI_SERVICES_OBSERVABILITY_METRICS_HTTP_SERVER_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"

namespace importai::services {

// A minimal HTTP/1.1 server for Prometheus: GET /metrics answers with
// `render()` in the text exposition format; anything else is 404 (or 405
// for another method). One thread, one connection at a time: scrapes are
// rare and small, and this keeps the metrics port off the gRPC threads.
class MetricsHttpServer {
 public:
  // Binds HOST:PORT (port 0: any free port). UNAVAILABLE if it cannot.
  static absl::StatusOr<std::unique_ptr<MetricsHttpServer>> Start(
      const std::string& listen, std::function<std::string()> render);

  // Stops serving and joins the thread.
  ~MetricsHttpServer();

  int port() const { return port_; }

 private:
  MetricsHttpServer(int listen_fd, int wake_read, int wake_write, int port,
                    std::function<std::string()> render);
  void Serve();
  void Answer(int fd);

  const int listen_fd_;
  // Writing to the pipe wakes the serving thread to stop.
  const int wake_read_;
  const int wake_write_;
  const int port_;
  const std::function<std::string()> render_;
  std::thread thread_;
};

}  // namespace importai::services

#endif  // IMPORTAI_SERVICES_OBSERVABILITY_METRICS_HTTP_SERVER_H_
