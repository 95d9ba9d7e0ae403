#include "services/server.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "common/limits.h"
#include "grpc/health/v1/health.pb.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "services/observability/log.h"
#include "services/observability/rpc_interceptor.h"

namespace importai::services {
namespace {

// The names health answers for, besides "" (the whole server).
const char* const kServiceNames[] = {"importai.v1.ArchiveService",
                                     "importai.v1.IngestService",
                                     "importai.v1.AdminService"};

// "HOST:PORT" with the port replaced by `port` (for listen addresses with :0).
std::string WithPort(const std::string& listen, int port) {
  size_t colon = listen.rfind(':');
  return absl::StrCat(listen.substr(0, colon), ":", port);
}

}  // namespace

ArchiveServer::ArchiveServer(storage::ArchiveStore* store,
                             const ServerOptions& options)
    : store_(*store),
      feed_(store, options.feed),
      archive_service_(store, &feed_),
      ingest_service_(store, options.ingest, &metrics_),
      admin_service_(store) {}

std::string ArchiveServer::RenderMetrics() {
  MetricGauges gauges;
  gauges.active_subscribers = static_cast<int64_t>(feed_.subscriber_count());
  gauges.head_revision = store_.HeadRevision();
  gauges.oldest_revision = store_.OldestRevision();
  const storage::StorageStats stats = store_.Stats();
  gauges.live_data_bytes = stats.live_data_bytes;
  gauges.block_cache_hits = stats.block_cache_hits;
  gauges.block_cache_misses = stats.block_cache_misses;
  return metrics_.RenderPrometheus(gauges);
}

absl::StatusOr<std::unique_ptr<ArchiveServer>> ArchiveServer::Start(
    storage::ArchiveStore* store, const ServerOptions& options) {
  // gRPC serves health without linking its descriptors; touching them here
  // links them in, so reflection can describe grpc.health.v1.Health.
  grpc::health::v1::HealthCheckRequest::descriptor();
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  std::unique_ptr<ArchiveServer> server(new ArchiveServer(store, options));
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen, grpc::InsecureServerCredentials(),
                           &server->port_);
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
  builder.SetMaxReceiveMessageSize(
      static_cast<int>(options.ingest.max_text_bytes + kIngestEnvelopeBytes));
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("listen: cannot serve on \"", options.listen,
                     "\" (address in use or not valid HOST:PORT)"));
  }
  server->address_ = WithPort(options.listen, server->port_);
  if (!options.metrics_listen.empty()) {
    ArchiveServer* raw = server.get();
    absl::StatusOr<std::unique_ptr<MetricsHttpServer>> metrics =
        MetricsHttpServer::Start(options.metrics_listen,
                                 [raw] { return raw->RenderMetrics(); });
    if (!metrics.ok()) return metrics.status();
    server->metrics_http_ = *std::move(metrics);
  }
  grpc::HealthCheckServiceInterface* health =
      server->server_->GetHealthCheckService();
  for (const char* name : kServiceNames) health->SetServingStatus(name, true);
  return server;
}

ArchiveServer::~ArchiveServer() { Shutdown(absl::ZeroDuration()); }

void ArchiveServer::Shutdown(absl::Duration grace) {
  if (server_ == nullptr) return;
  log::Write(log::Level::kWarning, "shutting down",
             {{"grace_ms", absl::ToInt64Milliseconds(grace)},
              {"subscribers", static_cast<int64_t>(feed_.subscriber_count())}});
  server_->GetHealthCheckService()->SetServingStatus(false);
  feed_.Shutdown();
  server_->Shutdown(std::chrono::system_clock::now() +
                    absl::ToChronoNanoseconds(grace));
}

void ArchiveServer::Wait() {
  if (server_ != nullptr) server_->Wait();
}

}  // namespace importai::services
