// AdminService checkpoints and the metrics endpoint, over a real server.
#include <filesystem>
#include <future>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/testing/fixtures.h"
#include "common/testing/status_matchers.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/generic/generic_stub.h"
#include "gtest/gtest.h"
#include "importai/v1/admin_service.grpc.pb.h"
#include "services/testing/http_get.h"
#include "services/testing/in_process_server.h"

namespace importai::services {
namespace {

using ::importai::testing::IsOk;
using ::importai::testing::SampleIssueText;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;
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

  // Calls `path` with an empty message, whatever the method.
  grpc::Status CallPath(const std::string& path) {
    grpc::GenericStub stub(channel_);
    grpc::ClientContext context;
    // An empty message: one empty slice (a ByteBuffer without one is no
    // message at all).
    grpc::Slice empty("");
    grpc::ByteBuffer request(&empty, 1);
    grpc::ByteBuffer response;
    std::promise<grpc::Status> done;
    stub.UnaryCall(&context, path, grpc::StubOptions(), &request, &response,
                   [&done](grpc::Status status) { done.set_value(status); });
    return done.get_future().get();
  }

  std::string Scrape() {
    auto scraped = testing::HttpGet(server_->metrics_port(), "/metrics");
    EXPECT_THAT(scraped, IsOk());
    return scraped.ok() ? *scraped : "";
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
  const std::string text = Scrape();
  // prometheus-cpp writes labels sorted by name.
  EXPECT_THAT(text,
              HasSubstr("grpc_server_handled_total{grpc_code=\"OK\","
                        "grpc_method=\"GetIssue\","
                        "grpc_service=\"importai.v1.ArchiveService\"} 1\n"));
  EXPECT_THAT(text,
              HasSubstr("grpc_server_handled_total{"
                        "grpc_code=\"NOT_FOUND\",grpc_method=\"GetIssue\","
                        "grpc_service=\"importai.v1.ArchiveService\"} 1\n"));
  EXPECT_THAT(text,
              HasSubstr("grpc_server_handled_total{grpc_code=\"OK\","
                        "grpc_method=\"IngestIssues\","
                        "grpc_service=\"importai.v1.IngestService\"} 2\n"));
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

TEST_F(AdminMetricsTest, MethodLabelsAreTheServedMethodsAndUnknown) {
  // Health and reflection are served, so labelled by name.
  auto health = grpc::health::v1::Health::NewStub(channel_);
  grpc::health::v1::HealthCheckResponse serving;
  grpc::ClientContext context;
  ASSERT_TRUE(health->Check(&context, {}, &serving).ok());
  CallPath("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo");
  // A hostile client: every path new, some with quotes and backslashes.
  constexpr int kMadeUpPaths = 1000;
  for (int i = 0; i < kMadeUpPaths; ++i) {
    const std::string path =
        i % 2 == 0 ? absl::StrCat("/importai.v1.ArchiveService/Nope", i)
                   : absl::StrCat("/x\"} 9\\", i, "/y");
    ASSERT_EQ(CallPath(path).error_code(), grpc::StatusCode::UNIMPLEMENTED)
        << path;
  }
  const std::string text = Scrape();
  EXPECT_THAT(text, HasSubstr("grpc_server_handled_total{grpc_code=\"OK\","
                              "grpc_method=\"Check\","
                              "grpc_service=\"grpc.health.v1.Health\"} 1\n"));
  EXPECT_THAT(
      text,
      HasSubstr("grpc_method=\"ServerReflectionInfo\","
                "grpc_service=\"grpc.reflection.v1alpha.ServerReflection\""));
  EXPECT_THAT(text, HasSubstr(absl::StrCat(
                        "grpc_server_handled_total{grpc_code=\"UNIMPLEMENTED\","
                        "grpc_method=\"unknown\",grpc_service=\"unknown\"} ",
                        kMadeUpPaths, "\n")));
  EXPECT_THAT(text, AllOf(Not(HasSubstr("Nope")), Not(HasSubstr("/x"))));
}

}  // namespace
}  // namespace importai::services
