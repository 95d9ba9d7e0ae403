#include "services/server.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "common/limits.h"
#include "grpc/health/v1/health.pb.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace importai::services {
namespace {

// The names health answers for, besides "" (the whole server).
const char* const kServiceNames[] = {"importai.v1.ArchiveService",
                                     "importai.v1.IngestService"};

// "HOST:PORT" with the port replaced by `port` (for listen addresses with :0).
std::string WithPort(const std::string& listen, int port) {
  size_t colon = listen.rfind(':');
  return absl::StrCat(listen.substr(0, colon), ":", port);
}

}  // namespace

ArchiveServer::ArchiveServer(storage::ArchiveStore* store,
                             const ServerOptions& options)
    : feed_(store, options.feed),
      archive_service_(store, &feed_),
      ingest_service_(store, options.ingest) {}

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
  grpc::HealthCheckServiceInterface* health =
      server->server_->GetHealthCheckService();
  for (const char* name : kServiceNames) health->SetServingStatus(name, true);
  return server;
}

ArchiveServer::~ArchiveServer() { Shutdown(absl::ZeroDuration()); }

void ArchiveServer::Shutdown(absl::Duration grace) {
  if (server_ == nullptr) return;
  server_->GetHealthCheckService()->SetServingStatus(false);
  feed_.Shutdown();
  server_->Shutdown(std::chrono::system_clock::now() +
                    absl::ToChronoNanoseconds(grace));
}

void ArchiveServer::Wait() {
  if (server_ != nullptr) server_->Wait();
}

}  // namespace importai::services
