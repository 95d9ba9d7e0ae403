#ifndef IMPORTAI_SERVICES_SERVER_H_
#define IMPORTAI_SERVICES_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/server.h"
#include "services/admin_service.h"
#include "services/archive_service.h"
#include "services/feed/feed_hub.h"
#include "services/ingest.h"
#include "services/ingest_service.h"
#include "services/observability/metrics_endpoint.h"
#include "services/observability/scrape_gauges.h"
#include "services/observability/server_metrics.h"
#include "services/replication/follower.h"
#include "services/replication/revision_gate.h"
#include "services/write_authorizer.h"
#include "storage/archive_store.h"

namespace importai::services {

struct ServerOptions {
  // HOST:PORT; port 0 picks a free one (see ArchiveServer::port()).
  std::string listen = "127.0.0.1:50051";
  // HOST:PORT of the Prometheus endpoint (GET /metrics); empty: none.
  std::string metrics_listen;
  // With a token, IngestService and AdminService need "authorization:
  // Bearer <token>".
  std::string write_token;
  // Serve writes to anyone on a non-loopback address, with neither a token
  // nor client certificates; without it Start() refuses (see
  // CheckWritesAreGuarded).
  bool allow_unauthenticated_writes = false;
  // The absolute directory CreateCheckpoint writes under, by name (made on
  // demand); empty: every checkpoint is FAILED_PRECONDITION.
  std::string checkpoint_root;
  // PEM contents. With a certificate and key the server speaks TLS only;
  // with a client CA too, clients must present a certificate it signed.
  std::string tls_cert_pem;
  std::string tls_key_pem;
  std::string tls_client_ca_pem;
  // HTTP/2 streams one connection may have open at once.
  int max_streams_per_connection = 1000;
  // The server pings a connection idle this long, and closes it when the
  // ping goes unanswered for keepalive_timeout: dead peers are reaped.
  absl::Duration keepalive_time = absl::Minutes(1);
  absl::Duration keepalive_timeout = absl::Seconds(20);
  IngestLimits ingest;
  feed::FeedOptions feed;
  // With a primary set, a read replica of it (importai-server --follow):
  // its store changes only from the primary's feed; writes and admin calls
  // are FAILED_PRECONDITION, and health follows the replica's lag.
  replication::FollowerOptions follow;
};

// FAILED_PRECONDITION, saying what to set, when `options` would serve writes
// (IngestService, AdminService) to whoever reaches a non-loopback address:
// no write token, no client CA, and no allow_unauthenticated_writes. A
// replica serves no writes, so it passes.
absl::Status CheckWritesAreGuarded(const ServerOptions& options);

// A running gRPC server with ArchiveService, IngestService, AdminService,
// health checking (for "" and each service name) and server reflection. Every
// RPC is counted, timed and logged (services/observability).
class ArchiveServer {
 public:
  // Binds and starts serving. UNAVAILABLE if the address cannot be bound;
  // CheckWritesAreGuarded's error if writes would be open to the network.
  // `store` must outlive the server.
  static absl::StatusOr<std::unique_ptr<ArchiveServer>> Start(
      storage::ArchiveStore* store, const ServerOptions& options);

  // Shuts down with no grace period if Shutdown() was not called.
  ~ArchiveServer();

  feed::FeedHub& feed() { return feed_; }

  // The bound port and "HOST:PORT" with it.
  int port() const { return port_; }
  const std::string& address() const { return address_; }
  // The metrics endpoint's port; 0 when it is off.
  int metrics_port() const {
    return metrics_endpoint_ ? metrics_endpoint_->port() : 0;
  }
  ServerMetrics& metrics() { return metrics_; }

  replication::RevisionGate& revision_gate() { return gate_; }
  // Null unless a replica.
  replication::Follower* follower() { return follower_.get(); }

  // Stops following (on a replica), reports NOT_SERVING, ends open WatchIssues streams with UNAVAILABLE (so
  // clients reconnect and resume), stops accepting calls, lets in-flight
  // calls finish for up to `grace`, then cancels the rest. Safe to call more
  // than once.
  void Shutdown(absl::Duration grace);

  // Blocks until the server has shut down.
  void Wait();

 private:
  ArchiveServer(storage::ArchiveStore* store, const ServerOptions& options);

  MetricGauges ReadGauges();
  void SetReadHealth(bool serving);

  storage::ArchiveStore& store_;
  // Declared before the services and the server, so they outlive them.
  ServerMetrics metrics_;
  WriteAuthorizer authorizer_;
  feed::FeedHub feed_;
  replication::RevisionGate gate_;
  ArchiveServiceImpl archive_service_;
  IngestServiceImpl ingest_service_;
  AdminServiceImpl admin_service_;
  std::unique_ptr<grpc::Server> server_;
  // Started once the server serves, before the metrics endpoint that reads
  // it (and declared before it, so it goes after it); stopped first by
  // Shutdown().
  std::unique_ptr<replication::Follower> follower_;
  // Declared after what scrapes read, so it stops before they go.
  std::unique_ptr<MetricsEndpoint> metrics_endpoint_;
  int port_ = 0;
  std::string address_;
};

}  // namespace importai::services

#endif  // IMPORTAI_SERVICES_SERVER_H_
