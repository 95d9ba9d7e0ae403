// IngestIssues over a real gRPC server whose RocksDB writes through a
// fault-injecting Env: a failing disk is UNAVAILABLE naming the cause, reads
// and the feed go on, nothing of the failed request is served, and after a
// restart on a good disk ingests continue from the last acknowledged
// revision.
#include <chrono>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "common/testing/fixtures.h"
#include "common/testing/status_matchers.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "importai/v1/archive_service.grpc.pb.h"
#include "importai/v1/ingest_service.grpc.pb.h"
#include "services/server.h"
#include "storage/rocksdb_store.h"
#include "storage/testing/fault_injection_env.h"

namespace importai {
namespace {

using ::importai::testing::IsOk;
using ::importai::testing::SampleIssueText;
using ::testing::HasSubstr;
using Fault = storage::testing::FaultInjectionEnv::Fault;

class IngestFaultTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(); }
  void TearDown() override {
    server_.reset();
    store_.reset();
  }

  // (Re)starts the store and the server on the same data directory.
  void Start() {
    server_.reset();
    store_.reset();
    storage::RocksDbStoreOptions options;
    options.env = &env_;
    auto store = storage::RocksDbStore::Open(dir_.path(), options);
    ASSERT_THAT(store, IsOk());
    store_ = *std::move(store);
    services::ServerOptions server_options;
    server_options.listen = "127.0.0.1:0";
    // Feed() waits one progress interval once the replay is done.
    server_options.feed.min_progress_interval = absl::Milliseconds(100);
    auto server = services::ArchiveServer::Start(store_.get(), server_options);
    ASSERT_THAT(server, IsOk());
    server_ = *std::move(server);
    auto channel = grpc::CreateChannel(server_->address(),
                                       grpc::InsecureChannelCredentials());
    archive_ = v1::ArchiveService::NewStub(channel);
    ingest_ = v1::IngestService::NewStub(channel);
  }

  static std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(20));
    return context;
  }

  grpc::Status Ingest(const std::string& text,
                      v1::IngestIssuesResponse* response) {
    v1::IngestIssuesRequest request;
    request.set_text(text);
    return ingest_->IngestIssues(Context().get(), request, response);
  }

  grpc::Status Get(int number, v1::Issue* issue) {
    v1::GetIssueRequest request;
    request.set_name("issues/" + std::to_string(number));
    return archive_->GetIssue(Context().get(), request, issue);
  }

  // The CREATED/UPDATED revisions a subscriber from revision 1 gets before
  // the feed goes idle (a PROGRESS event), and that PROGRESS revision.
  std::pair<std::vector<int64_t>, int64_t> Feed() {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(20));
    v1::WatchIssuesRequest request;
    request.set_start_revision(1);
    request.mutable_progress_interval()->set_nanos(100000000);
    auto reader = archive_->WatchIssues(&context, request);
    std::vector<int64_t> revisions;
    int64_t progress = -1;
    v1::WatchIssuesResponse event;
    while (reader->Read(&event)) {
      if (event.type() == v1::EVENT_TYPE_PROGRESS) {
        progress = event.revision();
        break;
      }
      revisions.push_back(event.revision());
    }
    context.TryCancel();
    while (reader->Read(&event)) {
    }
    reader->Finish().IgnoreError();
    return {revisions, progress};
  }

  importai::testing::TempDir dir_;
  storage::testing::FaultInjectionEnv env_;
  std::unique_ptr<storage::RocksDbStore> store_;
  std::unique_ptr<services::ArchiveServer> server_;
  std::unique_ptr<v1::ArchiveService::Stub> archive_;
  std::unique_ptr<v1::IngestService::Stub> ingest_;
};

TEST_F(IngestFaultTest, FullDiskIsUnavailableAndLeavesNothing) {
  v1::IngestIssuesResponse response;
  ASSERT_TRUE(Ingest(SampleIssueText(901), &response).ok());
  EXPECT_EQ(response.head_revision(), 1);

  env_.SetFault(Fault::kNoSpace);
  grpc::Status failed =
      Ingest(SampleIssueText(901, 1) + SampleIssueText(902), &response);
  EXPECT_EQ(failed.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(failed.error_message(), HasSubstr("No space left on device"));

  // Reads and the feed work on; nothing of the failed request is served.
  v1::Issue issue;
  ASSERT_TRUE(Get(901, &issue).ok());
  EXPECT_EQ(issue.revision(), 1);
  EXPECT_EQ(Get(902, &issue).error_code(), grpc::StatusCode::NOT_FOUND);
  auto [revisions, progress] = Feed();
  EXPECT_THAT(revisions, ::testing::ElementsAre(1));
  EXPECT_EQ(progress, 1);

  // A restart with the disk fixed: the retry is stored as revisions 2 and 3.
  env_.SetFault(Fault::kNone);
  Start();
  ASSERT_TRUE(
      Ingest(SampleIssueText(901, 1) + SampleIssueText(902), &response).ok());
  ASSERT_EQ(response.results_size(), 2);
  EXPECT_EQ(response.results(0).outcome(), v1::INGEST_OUTCOME_UPDATED);
  EXPECT_EQ(response.results(1).outcome(), v1::INGEST_OUTCOME_CREATED);
  EXPECT_EQ(response.head_revision(), 3);
  std::tie(revisions, progress) = Feed();
  EXPECT_THAT(revisions, ::testing::ElementsAre(1, 2, 3));
  EXPECT_EQ(progress, 3);
}

TEST_F(IngestFaultTest, IoErrorIsUnavailableWithTheCause) {
  env_.SetFault(Fault::kIoError);
  v1::IngestIssuesResponse response;
  grpc::Status failed = Ingest(SampleIssueText(901), &response);
  EXPECT_EQ(failed.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(failed.error_message(), HasSubstr("Input/output error"));
  v1::Issue issue;
  EXPECT_EQ(Get(901, &issue).error_code(), grpc::StatusCode::NOT_FOUND);
  // A dry run stores nothing, so the disk does not matter.
  v1::IngestIssuesRequest request;
  request.set_text(SampleIssueText(901));
  request.set_validate_only(true);
  EXPECT_TRUE(ingest_->IngestIssues(Context().get(), request, &response).ok());
}

}  // namespace
}  // namespace importai
