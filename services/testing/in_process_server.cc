#include "services/testing/in_process_server.h"

#include "common/testing/status_matchers.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace importai::services::testing {

void InProcessServerTest::StartServer(ServerOptions options) {
  server_.reset();
  store_.reset();
  auto store = storage::RocksDbStore::Open(dir_.path(), store_options_);
  ASSERT_THAT(store, importai::testing::IsOk());
  store_ = *std::move(store);
  options.listen = "127.0.0.1:0";
  // Where importai-server puts them by default: inside the data directory.
  if (options.checkpoint_root.empty()) {
    options.checkpoint_root = dir_.path() + "/checkpoints";
  }
  auto server = ArchiveServer::Start(store_.get(), options);
  ASSERT_THAT(server, importai::testing::IsOk());
  server_ = *std::move(server);
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(-1);
  args.SetMaxSendMessageSize(-1);
  channel_ = grpc::CreateCustomChannel(
      server_->address(), grpc::InsecureChannelCredentials(), args);
  archive_ = v1::ArchiveService::NewStub(channel_);
  ingest_ = v1::IngestService::NewStub(channel_);
}

}  // namespace importai::services::testing
