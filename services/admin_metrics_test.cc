// AdminService checkpoints and the metrics endpoint, over a real server.
#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/testing/fixtures.h"
#include "common/testing/status_matchers.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "importai/v1/admin_service.grpc.pb.h"
#include "services/testing/http_get.h"
#include "services/testing/in_process_server.h"

namespace importai::services {
namespace {

using ::importai::testing::IsOk;
using ::importai::testing::SampleIssueText;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::StartsWith;

class AdminMetricsTest : public testing::InProcessServerTest {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.metrics_listen = "127.0.0.1:0";
    StartServer(options);
    admin_ = v1::AdminService::NewStub(channel_);
  }

  void Ingest(const std::string& text) {
    v1::IngestIssuesRequest request;
    request.set_text(text);
    v1::IngestIssuesResponse response;
    grpc::ClientContext context;
    ASSERT_TRUE(ingest_->IngestIssues(&context, request, &response).ok());
  }

  grpc::Status Checkpoint(const std::string& directory,
                          v1::Checkpoint* checkpoint) {
    v1::CreateCheckpointRequest request;
    request.set_directory(directory);
    grpc::ClientContext context;
    return admin_->CreateCheckpoint(&context, request, checkpoint);
  }

  std::unique_ptr<v1::AdminService::Stub> admin_;
};

TEST_F(AdminMetricsTest, ACheckpointRestoresEveryIssueAndTheWholeLog) {
  Ingest(SampleIssueText(901) + SampleIssueText(902));
  Ingest(SampleIssueText(901, 3));  // an update: revision 3
  v1::Checkpoint checkpoint;
  grpc::Status status = Checkpoint("checkpoint-1", &checkpoint);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const std::string directory = dir_.path() + "/checkpoints/checkpoint-1";
  EXPECT_EQ(checkpoint.directory(), directory);
  EXPECT_EQ(checkpoint.head_revision(), 3);
  EXPECT_GT(checkpoint.create_time().seconds(), 0);
  // Written after the checkpoint: not in it.
  Ingest(SampleIssueText(903));

  auto restored = storage::RocksDbStore::Open(directory);
  ASSERT_THAT(restored, IsOk());
  EXPECT_EQ((*restored)->HeadRevision(), 3);
  auto issues = (*restored)->ListIssues(0, 10);
  ASSERT_THAT(issues, IsOk());
  ASSERT_EQ(issues->size(), 2u);
  EXPECT_EQ((*issues)[0].number(), 902);
  auto original = store_->GetIssue(901);
  ASSERT_THAT(original, IsOk());
  auto copy = (*restored)->GetIssue(901);
  ASSERT_THAT(copy, IsOk());
  EXPECT_EQ(copy->SerializeAsString(), original->SerializeAsString());
  auto log = (*restored)->ReadRevisions(1, 10);
  ASSERT_THAT(log, IsOk());
  ASSERT_EQ(log->size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ((*log)[i].revision(), i + 1);
  auto hits =
      (*restored)->Search(*search::ParseQuery("laundry"), {}, nullptr, 10);
  ASSERT_THAT(hits, IsOk());
  EXPECT_EQ(hits->total_size, 2);
}

TEST_F(AdminMetricsTest, CheckpointsAreNamesUnderTheRootOnly) {
  importai::testing::TempDir elsewhere;
  const std::string outside = elsewhere.path() + "/x";
  v1::Checkpoint checkpoint;
  for (const std::string& name :
       {std::string("../x"), outside, std::string("/tmp/x"),
        std::string("a/../../b"), std::string(""), std::string("./x"),
        std::string("a//b"), std::string("a/"), std::string("x\n")}) {
    grpc::Status refused = Checkpoint(name, &checkpoint);
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << "\"" << name << "\"";
    EXPECT_THAT(refused.error_message(), StartsWith("directory: ")) << name;
  }
  EXPECT_FALSE(std::filesystem::exists(outside));
  EXPECT_FALSE(std::filesystem::exists(dir_.path() + "/x"));

  const std::string root = dir_.path() + "/checkpoints";
  ASSERT_TRUE(Checkpoint("backup-1", &checkpoint).ok());
  EXPECT_EQ(checkpoint.directory(), root + "/backup-1");
  EXPECT_TRUE(std::filesystem::is_directory(root + "/backup-1"));
  ASSERT_TRUE(Checkpoint("daily/2026-11-26", &checkpoint).ok());
  EXPECT_TRUE(std::filesystem::is_directory(root + "/daily/2026-11-26"));
  grpc::Status again = Checkpoint("backup-1", &checkpoint);
  EXPECT_EQ(again.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(again.error_message(), StartsWith("directory: "));

  // A symbolic link under the root does not lead a name out of it.
  std::filesystem::create_directory_symlink(elsewhere.path(), root + "/out");
  grpc::Status linked = Checkpoint("out/x", &checkpoint);
  EXPECT_EQ(linked.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(linked.error_message(), HasSubstr("symbolic links"));
  EXPECT_FALSE(std::filesystem::exists(outside));
}

TEST_F(AdminMetricsTest, MetricsCountRpcsOutcomesAndReadGauges) {
  Ingest(SampleIssueText(901));
  Ingest(SampleIssueText(901));
  v1::Issue issue;
  for (const char* name : {"issues/901", "issues/999"}) {
    v1::GetIssueRequest request;
    request.set_name(name);
    grpc::ClientContext context;
    archive_->GetIssue(&context, request, &issue);
  }
  auto scraped = testing::HttpGet(server_->metrics_port(), "/metrics");
  ASSERT_THAT(scraped, IsOk());
  const std::string& text = *scraped;
  EXPECT_THAT(text,
              HasSubstr("grpc_service=\"importai.v1.ArchiveService\","
                        "grpc_method=\"GetIssue\",grpc_code=\"OK\"} 1\n"));
  EXPECT_THAT(
      text, HasSubstr("grpc_method=\"GetIssue\",grpc_code=\"NOT_FOUND\"} 1\n"));
  EXPECT_THAT(text,
              HasSubstr("grpc_service=\"importai.v1.IngestService\","
                        "grpc_method=\"IngestIssues\",grpc_code=\"OK\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("outcome=\"INGEST_OUTCOME_CREATED\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("outcome=\"INGEST_OUTCOME_UNCHANGED\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("importai_head_revision 1\n"));
  EXPECT_THAT(text, HasSubstr("importai_feed_subscribers 0\n"));
  EXPECT_THAT(
      text,
      MatchesRegex("(.|\n)*importai_rocksdb_live_data_bytes [0-9]+\n(.|\n)*"));
  EXPECT_THAT(
      text,
      MatchesRegex(
          "(.|\n)*importai_rocksdb_block_cache_hit_ratio [0-9.e-]+\n(.|\n)*"));
}

}  // namespace
}  // namespace importai::services
