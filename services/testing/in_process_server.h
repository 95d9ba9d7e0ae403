#ifndef IMPORTAI_SERVICES_TESTING_IN_PROCESS_SERVER_H_
#define IMPORTAI_SERVICES_TESTING_IN_PROCESS_SERVER_H_

#include <memory>
#include <string>

#include "common/testing/temp_dir.h"
#include "grpcpp/channel.h"
#include "gtest/gtest.h"
#include "importai/v1/archive_service.grpc.pb.h"
#include "importai/v1/ingest_service.grpc.pb.h"
#include "services/server.h"
#include "storage/rocksdb_store.h"

namespace importai::services::testing {

// The real server on a free loopback port over RocksDB in a directory, and a
// channel to it without message size limits.
struct TestServer {
  // (Re)starts on `dir` with `options` (listen and, unless set,
  // checkpoint_root are the test's).
  void Start(const std::string& dir,
             const storage::RocksDbStoreOptions& store_options,
             ServerOptions options);

  std::unique_ptr<storage::RocksDbStore> store;
  std::unique_ptr<ArchiveServer> server;
  std::shared_ptr<grpc::Channel> channel;
};

// A test with the real server on a free loopback port, RocksDB in a
// temporary directory, and stubs on a channel without message size limits.
class InProcessServerTest : public ::testing::Test {
 protected:
  void SetUp() override { StartServer(ServerOptions{}); }

  // (Re)starts the server on the same data directory with `options`.
  void StartServer(ServerOptions options);

  importai::testing::TempDir dir_;
  // What StartServer opens the store with.
  storage::RocksDbStoreOptions store_options_;
  std::unique_ptr<storage::RocksDbStore> store_;
  std::unique_ptr<ArchiveServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::ArchiveService::Stub> archive_;
  std::unique_ptr<v1::IngestService::Stub> ingest_;
};

}  // namespace importai::services::testing

#endif  // IMPORTAI_SERVICES_TESTING_IN_PROCESS_SERVER_H_
