#include "services/server.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "common/limits.h"
#include "google/protobuf/descriptor.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/health/v1/health.pb.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "services/listen_address.h"
#include "services/observability/log.h"
#include "services/observability/rpc_interceptor.h"

namespace importai::services {
namespace {

// The names health answers for, besides "" (the whole server).
const char* const kServiceNames[] = {"importai.v1.ArchiveService",
                                     "importai.v1.IngestService",
                                     "importai.v1.AdminService"};

// Every service the server answers, health and reflection included, so
// metrics label their methods (and only theirs).
RpcMethods ServedMethods() {
  std::vector<const google::protobuf::ServiceDescriptor*> services;
  const google::protobuf::DescriptorPool* pool =
      google::protobuf::DescriptorPool::generated_pool();
  for (const char* name : kServiceNames) {
    services.push_back(pool->FindServiceByName(name));
  }
  services.push_back(
      pool->FindServiceByName(grpc::health::v1::Health::service_full_name()));
  // gRPC's reflection library carries this descriptor (it serves it too).
  services.push_back(
      pool->FindServiceByName("grpc.reflection.v1alpha.ServerReflection"));
  return RpcMethods(services);
}

// "HOST:PORT" with the port replaced by `port` (for listen addresses with :0).
std::string WithPort(const std::string& listen, int port) {
  size_t colon = listen.rfind(':');
  return absl::StrCat(listen.substr(0, colon), ":", port);
}

std::shared_ptr<grpc::ServerCredentials> ServerCredentials(
    const ServerOptions& options) {
  if (options.tls_cert_pem.empty()) return grpc::InsecureServerCredentials();
  grpc::SslServerCredentialsOptions ssl(
      options.tls_client_ca_pem.empty()
          ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
          : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  ssl.pem_root_certs = options.tls_client_ca_pem;
  ssl.pem_key_cert_pairs.push_back({options.tls_key_pem, options.tls_cert_pem});
  return grpc::SslServerCredentials(ssl);
}

// Writes are open: neither a token nor client certificates guard them.
bool WritesAreOpen(const ServerOptions& options) {
  return options.write_token.empty() && options.tls_client_ca_pem.empty();
}

}  // namespace

absl::Status CheckWritesAreGuarded(const ServerOptions& options) {
  if (!WritesAreOpen(options) || options.allow_unauthenticated_writes ||
      IsLoopbackListen(options.listen) || !options.follow.primary.empty()) {
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "listen: \"", options.listen,
      "\" is not a loopback address, and anyone who reaches it could ingest "
      "and make checkpoints: set --ingest_token_file "
      "(IMPORTAI_INGEST_TOKEN_FILE) or --tls_client_ca "
      "(IMPORTAI_TLS_CLIENT_CA), or, to serve writes to everyone, "
      "--allow_unauthenticated_writes "
      "(IMPORTAI_ALLOW_UNAUTHENTICATED_WRITES)"));
}

ArchiveServer::ArchiveServer(storage::ArchiveStore* store,
                             const ServerOptions& options)
    : store_(*store),
      metrics_(ServedMethods()),
      authorizer_(options.write_token, options.follow.primary),
      feed_(store, options.feed),
      gate_([store] { return store->HeadRevision(); }),
      archive_service_(store, &feed_, &gate_),
      ingest_service_(store, options.ingest, &metrics_, &authorizer_),
      admin_service_(store, options.checkpoint_root, &authorizer_) {
  feed_.OnPublish([this] { gate_.Notify(); });
}

MetricGauges ArchiveServer::ReadGauges() {
  MetricGauges gauges;
  gauges.active_subscribers = static_cast<int64_t>(feed_.subscriber_count());
  gauges.catch_up_bytes = feed_.catch_up().held_bytes();
  gauges.catch_up_budget_bytes = feed_.catch_up().budget_bytes();
  gauges.head_revision = store_.HeadRevision();
  gauges.oldest_revision = store_.OldestRevision();
  const storage::StorageStats stats = store_.Stats();
  gauges.live_data_bytes = stats.live_data_bytes;
  gauges.block_cache_hits = stats.block_cache_hits;
  gauges.block_cache_misses = stats.block_cache_misses;
  if (follower_ != nullptr) {
    const replication::ReplicaStatus status = follower_->Status();
    gauges.replica = ReplicaGauges{status.connected,
                                   status.serving,
                                   status.lag_revisions,
                                   absl::ToDoubleSeconds(status.lag),
                                   status.applied,
                                   status.bootstraps};
  }
  return gauges;
}

void ArchiveServer::SetReadHealth(bool serving) {
  server_->GetHealthCheckService()->SetServingStatus("", serving);
}

absl::StatusOr<std::unique_ptr<ArchiveServer>> ArchiveServer::Start(
    storage::ArchiveStore* store, const ServerOptions& options) {
  if (absl::Status guarded = CheckWritesAreGuarded(options); !guarded.ok()) {
    return guarded;
  }
  // gRPC serves health without linking its descriptors; touching them here
  // links them in, so reflection can describe grpc.health.v1.Health.
  grpc::health::v1::HealthCheckRequest::descriptor();
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  std::unique_ptr<ArchiveServer> server(new ArchiveServer(store, options));
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen, ServerCredentials(options),
                           &server->port_);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                             options.max_streams_per_connection);
  builder.AddChannelArgument(
      GRPC_ARG_KEEPALIVE_TIME_MS,
      static_cast<int>(absl::ToInt64Milliseconds(options.keepalive_time)));
  builder.AddChannelArgument(
      GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
      static_cast<int>(absl::ToInt64Milliseconds(options.keepalive_timeout)));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  // Clients may ping as often as every 10 s (ours ping idle watches every
  // 30 s); faster pingers get GOAWAY rather than costing the server.
  builder.AddChannelArgument(
      GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10'000);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 2);
  builder.RegisterService(&server->archive_service_);
  builder.RegisterService(&server->ingest_service_);
  builder.RegisterService(&server->admin_service_);
  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      observers;
  observers.push_back(std::make_unique<RpcObserverFactory>(&server->metrics_));
  builder.experimental().SetInterceptorCreators(std::move(observers));
  // A request at the ingest limit must reach the handler, which answers
  // with a clear message, rather than being cut off by gRPC's 4 MB default.
  // gRPC 1.51 has no per-method receive limit on a server (service-config
  // limits apply to clients only), so this one holds for reads too: they
  // refuse anything over kMaxReadRequestBytes themselves, before any other
  // work (archive_service.cc).
  builder.SetMaxReceiveMessageSize(
      static_cast<int>(options.ingest.max_text_bytes + kIngestEnvelopeBytes));
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("listen: cannot serve on \"", options.listen,
                     "\" (address in use or not valid HOST:PORT)"));
  }
  server->address_ = WithPort(options.listen, server->port_);
  if (WritesAreOpen(options) && !IsLoopbackListen(options.listen)) {
    // Allowed, but never quietly: whatever the log level.
    log::WriteAlways(log::Level::kWarning,
                     "writes are open to everyone who reaches this address "
                     "(--allow_unauthenticated_writes)",
                     {{"address", server->address_}});
  }
  grpc::HealthCheckServiceInterface* health =
      server->server_->GetHealthCheckService();
  const bool replica = !options.follow.primary.empty();
  for (const char* name : kServiceNames) {
    // A replica serves no writes. Its reads are up ("" says whether it is
    // within max_lag), so probes of ArchiveService do not restart one that
    // is catching up.
    health->SetServingStatus(name, !replica || name == kServiceNames[0]);
  }
  if (replica) {
    health->SetServingStatus("", false);
    ArchiveServer* raw = server.get();
    server->follower_ = std::make_unique<replication::Follower>(
        store, options.follow,
        [raw](bool serving) { raw->SetReadHealth(serving); });
  }
  if (!options.metrics_listen.empty()) {
    ArchiveServer* raw = server.get();
    auto gauges =
        std::make_shared<ScrapeGauges>([raw] { return raw->ReadGauges(); });
    absl::StatusOr<std::unique_ptr<MetricsEndpoint>> metrics =
        MetricsEndpoint::Start(options.metrics_listen,
                               {server->metrics_.registry(), gauges});
    if (!metrics.ok()) return metrics.status();
    server->metrics_endpoint_ = *std::move(metrics);
  }
  return server;
}

ArchiveServer::~ArchiveServer() { Shutdown(absl::ZeroDuration()); }

void ArchiveServer::Shutdown(absl::Duration grace) {
  if (server_ == nullptr) return;
  log::Write(log::Level::kWarning, "shutting down",
             {{"grace_ms", absl::ToInt64Milliseconds(grace)},
              {"subscribers", static_cast<int64_t>(feed_.subscriber_count())}});
  // Before health says NOT_SERVING, so the follower cannot say otherwise.
  if (follower_ != nullptr) follower_->Stop();
  server_->GetHealthCheckService()->SetServingStatus(false);
  feed_.Shutdown();
  gate_.Shutdown();
  server_->Shutdown(std::chrono::system_clock::now() +
                    absl::ToChronoNanoseconds(grace));
}

void ArchiveServer::Wait() {
  if (server_ != nullptr) server_->Wait();
}

}  // namespace importai::services
