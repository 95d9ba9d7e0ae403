// A primary and a replica, both real servers on loopback ports over RocksDB.
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/metadata.h"
#include "common/testing/status_matchers.h"
#include "common/testing/temp_dir.h"
#include "common/testing/wait.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "importai/v1/admin_service.grpc.pb.h"
#include "services/testing/feed_fixture.h"
#include "services/testing/grpc_status_matchers.h"
#include "services/testing/narrow_channel.h"

namespace importai::services {
namespace {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;
using ::importai::testing::WaitUntil;
using ::testing::HasSubstr;
using testing::GrpcStatusIs;
using testing::NarrowChannel;

std::unique_ptr<grpc::ClientContext> Deadline(absl::Duration timeout) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        absl::ToChronoNanoseconds(timeout));
  return context;
}

// A read context asking for at least `revision`.
std::unique_ptr<grpc::ClientContext> AtLeast(int64_t revision,
                                             absl::Duration timeout) {
  auto context = Deadline(timeout);
  context->AddMetadata(kMinRevisionMetadata, absl::StrCat(revision));
  return context;
}

HealthCheckResponse::ServingStatus Health(grpc::Channel& channel,
                                          const std::string& service) {
  auto stub = grpc::health::v1::Health::NewStub(
      std::shared_ptr<grpc::Channel>(&channel, [](grpc::Channel*) {}));
  HealthCheckRequest request;
  request.set_service(service);
  HealthCheckResponse response;
  auto context = Deadline(absl::Seconds(10));
  grpc::Status status = stub->Check(context.get(), request, &response);
  return status.ok() ? response.status() : HealthCheckResponse::UNKNOWN;
}

class ReplicaServerTest : public testing::FeedTest {
 protected:
  // Starts (or restarts) the replica following `primary`.
  void StartReplica(const std::string& primary) {
    ServerOptions options = Options();
    options.follow.primary = primary;
    options.follow.progress_interval = absl::Milliseconds(50);
    options.follow.retry_min = absl::Milliseconds(10);
    options.follow.retry_max = absl::Milliseconds(100);
    replica_.Start(replica_dir_.path(), {}, options);
    replica_archive_ = v1::ArchiveService::NewStub(replica_.channel);
  }

  v1::Issue GetIssue(v1::ArchiveService::Stub& stub, int number,
                     int64_t min_revision) {
    v1::GetIssueRequest request;
    request.set_name(absl::StrCat("issues/", number));
    v1::Issue issue;
    auto context = AtLeast(min_revision, absl::Seconds(60));
    grpc::Status status = stub.GetIssue(context.get(), request, &issue);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return issue;
  }

  importai::testing::TempDir replica_dir_;
  testing::TestServer replica_;
  std::unique_ptr<v1::ArchiveService::Stub> replica_archive_;
};

TEST_F(ReplicaServerTest, ServesThePrimarysIssuesAndFeedWithItsRevisions) {
  IngestMany(901, 3);
  const int64_t updated = IngestOne(902, /*variant=*/1);
  StartReplica(server_->address());
  for (int number : {901, 902, 903}) {
    EXPECT_EQ(GetIssue(*replica_archive_, number, updated).SerializeAsString(),
              GetIssue(*archive_, number, 0).SerializeAsString());
  }
  // A subscriber moving from the primary to the replica resumes there.
  testing::Watcher watcher(*replica_archive_, 2);
  EXPECT_EQ(watcher.ReadThrough(updated), testing::Range(2, updated));
  const int64_t live = IngestOne(904);
  EXPECT_EQ(watcher.ReadThrough(live), std::vector<int64_t>{live});
  EXPECT_EQ(GetIssue(*replica_archive_, 904, live).revision(), live);
}

TEST_F(ReplicaServerTest, HealthSaysServingOnceCaughtUpAndNeverForWrites) {
  IngestMany(901, 2);
  StartReplica(server_->address());
  GetIssue(*replica_archive_, 902, store_->HeadRevision());
  ASSERT_TRUE(WaitUntil([&] {
    return Health(*replica_.channel, "") == HealthCheckResponse::SERVING;
  }));
  EXPECT_EQ(Health(*replica_.channel, "importai.v1.ArchiveService"),
            HealthCheckResponse::SERVING);
  EXPECT_EQ(Health(*replica_.channel, "importai.v1.IngestService"),
            HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(Health(*replica_.channel, "importai.v1.AdminService"),
            HealthCheckResponse::NOT_SERVING);
}

TEST_F(ReplicaServerTest, NotServingBeforeItHasReachedItsPrimary) {
  // A port nothing listens on: the replica never learns how far behind it is.
  testing::TestServer gone;
  importai::testing::TempDir gone_dir;
  gone.Start(gone_dir.path(), {}, Options());
  const std::string address = gone.server->address();
  gone.server.reset();
  StartReplica(address);
  ASSERT_TRUE(WaitUntil([&] {
    return replica_.server->follower()->Status().primary_head == 0 &&
           !replica_.server->follower()->Status().connected;
  }));
  EXPECT_EQ(Health(*replica_.channel, ""), HealthCheckResponse::NOT_SERVING);
  // Reads are still answered, from what it has.
  EXPECT_EQ(Health(*replica_.channel, "importai.v1.ArchiveService"),
            HealthCheckResponse::SERVING);
}

TEST_F(ReplicaServerTest, WritesAndAdminCallsNameThePrimary) {
  StartReplica(server_->address());
  auto ingest = v1::IngestService::NewStub(replica_.channel);
  v1::IngestIssuesRequest request;
  request.set_text(importai::testing::SampleIssueText(905));
  v1::IngestIssuesResponse response;
  grpc::ClientContext ingest_context;
  EXPECT_THAT(
      ingest->IngestIssues(&ingest_context, request, &response),
      GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION,
                   HasSubstr(absl::StrCat("read replica of ",
                                          server_->address()))));
  auto admin = v1::AdminService::NewStub(replica_.channel);
  grpc::ClientContext checkpoint_context;
  v1::CreateCheckpointRequest checkpoint;
  checkpoint.set_directory("x");
  v1::Checkpoint written;
  EXPECT_THAT(admin->CreateCheckpoint(&checkpoint_context, checkpoint, &written),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION,
                           HasSubstr(server_->address())));
  grpc::ClientContext snapshot_context;
  auto snapshot = admin->StreamSnapshot(&snapshot_context, {});
  v1::SnapshotChunk chunk;
  EXPECT_FALSE(snapshot->Read(&chunk));
  EXPECT_THAT(snapshot->Finish(),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION,
                           HasSubstr(server_->address())));
  EXPECT_THAT(store_->GetIssue(905), ::importai::testing::StatusIs(
                                         absl::StatusCode::kNotFound));
}

TEST_F(ReplicaServerTest, AReadWaitsForItsRevisionUntilTheDeadline) {
  IngestMany(901, 1);
  StartReplica(server_->address());
  const int64_t head = store_->HeadRevision();
  v1::GetIssueRequest request;
  request.set_name("issues/901");
  v1::Issue issue;
  auto too_soon = AtLeast(head + 5, absl::Milliseconds(200));
  EXPECT_THAT(replica_archive_->GetIssue(too_soon.get(), request, &issue),
              GrpcStatusIs(grpc::StatusCode::UNAVAILABLE,
                           HasSubstr(absl::StrCat("revision ", head + 5,
                                                  " is not applied"))));
  // The same on the primary: the header means the same everywhere.
  auto on_primary = AtLeast(head + 5, absl::Milliseconds(200));
  EXPECT_THAT(archive_->GetIssue(on_primary.get(), request, &issue),
              GrpcStatusIs(grpc::StatusCode::UNAVAILABLE, HasSubstr("head")));

  // A read held for the next revision is answered once it is applied.
  v1::GetIssueRequest next_request;
  next_request.set_name("issues/902");
  grpc::Status held;
  v1::Issue next_issue;
  std::thread reader([&] {
    auto context = AtLeast(head + 1, absl::Seconds(60));
    held = replica_archive_->GetIssue(context.get(), next_request, &next_issue);
  });
  ASSERT_TRUE(WaitUntil(
      [&] { return replica_.server->revision_gate().waiting() == 1; }));
  IngestOne(902);
  reader.join();
  EXPECT_TRUE(held.ok()) << held.error_message();
  EXPECT_EQ(next_issue.number(), 902);
}

TEST_F(ReplicaServerTest, AReplicaOfAnotherHistoryStopsAndSaysSo) {
  IngestMany(901, 2);
  StartReplica(server_->address());
  const std::string kept = GetIssue(*replica_archive_, 901, 2).SerializeAsString();
  // Another primary whose revisions 1 and 2 are other changes (as after a
  // restore from an older backup and new ingests).
  importai::testing::TempDir other_dir;
  testing::TestServer other;
  other.Start(other_dir.path(), {}, Options());
  auto other_ingest = v1::IngestService::NewStub(other.channel);
  for (int number : {901, 902}) {
    v1::IngestIssuesRequest request;
    request.set_text(importai::testing::SampleIssueText(number, 7));
    v1::IngestIssuesResponse response;
    grpc::ClientContext context;
    ASSERT_TRUE(other_ingest->IngestIssues(&context, request, &response).ok());
  }
  StartReplica(other.server->address());
  ASSERT_TRUE(WaitUntil(
      [&] { return replica_.server->follower()->Status().diverged; }));
  EXPECT_EQ(Health(*replica_.channel, ""), HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(GetIssue(*replica_archive_, 901, 0).SerializeAsString(), kept);
  EXPECT_EQ(replica_.store->HeadRevision(), 2);
}

TEST_F(ReplicaServerTest, AMalformedMinimumRevisionIsRefused) {
  v1::ListIssuesRequest request;
  v1::ListIssuesResponse response;
  for (const char* value : {"abc", "-1", "99999999999999999999", ""}) {
    grpc::ClientContext context;
    context.AddMetadata(kMinRevisionMetadata, value);
    EXPECT_THAT(archive_->ListIssues(&context, request, &response),
                GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                             HasSubstr(kMinRevisionMetadata)))
        << value;
  }
}

TEST_F(ReplicaServerTest, OnlyAFewSnapshotsAreSentAtOnce) {
  // Enough that a snapshot's first message outgrows what a narrow client
  // takes in unread, so every stream below holds its place.
  IngestMany(1000, 40);
  auto narrow = NarrowChannel(server_->address());
  auto admin = v1::AdminService::NewStub(narrow);
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<std::unique_ptr<grpc::ClientReader<v1::SnapshotChunk>>> readers;
  for (int i = 0; i < kMaxConcurrentSnapshots; ++i) {
    contexts.push_back(Deadline(absl::Seconds(60)));
    readers.push_back(admin->StreamSnapshot(contexts.back().get(), {}));
    // Its first bytes arrived: the server has taken its place.
    readers.back()->WaitForInitialMetadata();
  }
  auto refused_context = Deadline(absl::Seconds(60));
  auto refused = admin->StreamSnapshot(refused_context.get(), {});
  v1::SnapshotChunk chunk;
  EXPECT_FALSE(refused->Read(&chunk));
  EXPECT_THAT(refused->Finish(),
              GrpcStatusIs(grpc::StatusCode::RESOURCE_EXHAUSTED,
                           HasSubstr(absl::StrCat(kMaxConcurrentSnapshots))));
  // Each held stream still gives its whole snapshot when read.
  for (auto& reader : readers) {
    int issues = 0;
    bool last = false;
    while (reader->Read(&chunk)) {
      issues += chunk.issues_size();
      last = chunk.last();
      EXPECT_EQ(chunk.revision(), 40);
    }
    EXPECT_TRUE(last);
    EXPECT_EQ(issues, 40);
    EXPECT_TRUE(reader->Finish().ok());
  }
}

TEST_F(ReplicaServerTest, ANewReplicaBehindTheRetainedLogCopiesASnapshot) {
  ServerOptions trimming = Options();
  trimming.feed.retention.max_revisions = 2;
  trimming.feed.trim_interval = absl::Milliseconds(10);
  StartServer(trimming);
  IngestMany(901, 6);
  ASSERT_TRUE(WaitUntil([&] { return store_->OldestRevision() > 1; }));
  StartReplica(server_->address());
  const int64_t head = store_->HeadRevision();
  for (int number = 901; number <= 906; ++number) {
    EXPECT_EQ(GetIssue(*replica_archive_, number, head).SerializeAsString(),
              GetIssue(*archive_, number, 0).SerializeAsString());
  }
  // Counted right after the copy's last write, which the reads above saw.
  EXPECT_TRUE(WaitUntil(
      [&] { return replica_.server->follower()->Status().bootstraps == 1; }));
  // Then it follows.
  const int64_t next = IngestOne(907);
  EXPECT_EQ(GetIssue(*replica_archive_, 907, next).revision(), next);
  EXPECT_EQ(replica_.store->OldestRevision(), head + 1);
}

}  // namespace
}  // namespace importai::services
