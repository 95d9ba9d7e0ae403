#include "services/testing/in_process_server.h"

#include "common/testing/status_matchers.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace importai::services::testing {

void TestServer::Start(const std::string& dir,
                       const storage::RocksDbStoreOptions& store_options,
                       ServerOptions options) {
  server.reset();
  store.reset();
  auto opened = storage::RocksDbStore::Open(dir, store_options);
  ASSERT_THAT(opened, importai::testing::IsOk());
  store = *std::move(opened);
  options.listen = "127.0.0.1:0";
  // Where importai-server puts them by default: inside the data directory.
  if (options.checkpoint_root.empty()) {
    options.checkpoint_root = dir + "/checkpoints";
  }
  auto started = ArchiveServer::Start(store.get(), options);
  ASSERT_THAT(started, importai::testing::IsOk());
  server = *std::move(started);
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(-1);
  args.SetMaxSendMessageSize(-1);
  channel = grpc::CreateCustomChannel(
      server->address(), grpc::InsecureChannelCredentials(), args);
}

void InProcessServerTest::StartServer(ServerOptions options) {
  TestServer started;
  server_.reset();
  store_.reset();
  started.Start(dir_.path(), store_options_, std::move(options));
  store_ = std::move(started.store);
  server_ = std::move(started.server);
  channel_ = std::move(started.channel);
  if (channel_ == nullptr) return;  // Start failed the test
  archive_ = v1::ArchiveService::NewStub(channel_);
  ingest_ = v1::IngestService::NewStub(channel_);
}

}  // namespace importai::services::testing
