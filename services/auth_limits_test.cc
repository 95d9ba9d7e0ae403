// Who may write, and deadlines, over a real server.
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "common/testing/fixtures.h"
#include "common/testing/status_matchers.h"
#include "common/testing/temp_dir.h"
#include "common/testing/wait.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "importai/v1/admin_service.grpc.pb.h"
#include "services/ingest.h"
#include "services/testing/in_process_server.h"
#include "services/testing/tcp_relay.h"
#include "storage/rocksdb_store.h"

namespace importai::services {
namespace {

using ::importai::testing::IsOk;
using ::importai::testing::SampleIssueText;
using ::importai::testing::StatusIs;
using ::importai::testing::WaitUntil;
using ::testing::AllOf;
using ::testing::HasSubstr;

constexpr char kToken[] = "a-long-random-write-token";

class WriteTokenTest : public testing::InProcessServerTest {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.write_token = kToken;
    StartServer(options);
  }

  grpc::Status Ingest(const char* authorization) {
    v1::IngestIssuesRequest request;
    request.set_text(SampleIssueText(901));
    v1::IngestIssuesResponse response;
    grpc::ClientContext context;
    if (authorization != nullptr) {
      context.AddMetadata("authorization", authorization);
    }
    return ingest_->IngestIssues(&context, request, &response);
  }
};

TEST_F(WriteTokenTest, WritesNeedTheTokenAndRefusedOnesStoreNothing) {
  grpc::Status missing = Ingest(nullptr);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(missing.error_message(), HasSubstr("Bearer"));
  grpc::Status wrong = Ingest("Bearer not-the-token");
  EXPECT_EQ(wrong.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(store_->HeadRevision(), 0);

  grpc::Status right = Ingest(absl::StrCat("Bearer ", kToken).c_str());
  EXPECT_TRUE(right.ok()) << right.error_message();
  EXPECT_EQ(store_->HeadRevision(), 1);
}

TEST_F(WriteTokenTest, ReadsStayOpenAndCheckpointsNeedTheToken) {
  v1::ListIssuesRequest list;
  v1::ListIssuesResponse listed;
  grpc::ClientContext read;
  EXPECT_TRUE(archive_->ListIssues(&read, list, &listed).ok());

  auto admin = v1::AdminService::NewStub(channel_);
  v1::CreateCheckpointRequest request;
  request.set_directory("backup-1");
  v1::Checkpoint checkpoint;
  grpc::ClientContext without;
  EXPECT_EQ(
      admin->CreateCheckpoint(&without, request, &checkpoint).error_code(),
      grpc::StatusCode::UNAUTHENTICATED);
  grpc::ClientContext wrong;
  wrong.AddMetadata("authorization", "Bearer not-the-token");
  EXPECT_EQ(admin->CreateCheckpoint(&wrong, request, &checkpoint).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_FALSE(std::filesystem::exists(dir_.path() + "/checkpoints/backup-1"));
  grpc::ClientContext right;
  right.AddMetadata("authorization", absl::StrCat("Bearer ", kToken));
  grpc::Status written = admin->CreateCheckpoint(&right, request, &checkpoint);
  EXPECT_TRUE(written.ok()) << written.error_message();
}

// A server reachable from other machines does not serve writes to all of
// them unless told to.
TEST(WritesAreGuardedTest, OpenWritesOnANonLoopbackAddressAreRefused) {
  ServerOptions options;
  options.listen = "0.0.0.0:0";
  EXPECT_THAT(CheckWritesAreGuarded(options),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("\"0.0.0.0:0\""),
                             HasSubstr("--ingest_token_file"),
                             HasSubstr("--tls_client_ca"),
                             HasSubstr("--allow_unauthenticated_writes"))));
  importai::testing::TempDir dir;
  auto store = storage::RocksDbStore::Open(dir.path());
  ASSERT_THAT(store, IsOk());
  EXPECT_THAT(ArchiveServer::Start(store->get(), options),
              StatusIs(absl::StatusCode::kFailedPrecondition));

  ServerOptions with_token = options;
  with_token.write_token = kToken;
  EXPECT_THAT(CheckWritesAreGuarded(with_token), IsOk());
  ServerOptions with_client_ca = options;
  with_client_ca.tls_client_ca_pem = "a PEM bundle";
  EXPECT_THAT(CheckWritesAreGuarded(with_client_ca), IsOk());
  ServerOptions allowed = options;
  allowed.allow_unauthenticated_writes = true;
  EXPECT_THAT(CheckWritesAreGuarded(allowed), IsOk());
  for (const char* loopback : {"127.0.0.1:0", "[::1]:0", "localhost:0"}) {
    ServerOptions local;
    local.listen = loopback;
    EXPECT_THAT(CheckWritesAreGuarded(local), IsOk()) << loopback;
  }
}

class KeepaliveTest : public testing::InProcessServerTest {};

TEST_F(KeepaliveTest, ASilentlyDeadPeerIsReapedWithItsStreams) {
  ServerOptions options;
  options.keepalive_time = absl::Milliseconds(200);
  options.keepalive_timeout = absl::Milliseconds(200);
  StartServer(options);
  testing::TcpRelay relay(server_->port());
  auto stub = v1::ArchiveService::NewStub(
      grpc::CreateChannel(relay.address(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  v1::WatchIssuesRequest request;
  auto reader = stub->WatchIssues(&context, request);
  v1::WatchIssuesResponse opened;
  ASSERT_TRUE(reader->Read(&opened));  // the opening PROGRESS: it is live
  ASSERT_EQ(server_->feed().subscriber_count(), 1u);

  relay.Freeze();  // the peer's machine is gone; its socket never closes
  EXPECT_TRUE(WaitUntil([&] {
    return server_->feed().subscriber_count() == 0;
  })) << "the server did not reap a peer that stopped answering pings";
  context.TryCancel();
}

class DeadlineTest : public testing::InProcessServerTest {};

TEST_F(DeadlineTest, AnIngestPastItsDeadlineStoresNothing) {
  v1::IngestIssuesRequest request;
  request.set_text(SampleIssueText(901));
  EXPECT_THAT(services::Ingest(*store_, request, IngestLimits{}, absl::Now(),
                               absl::Now() - absl::Milliseconds(1)),
              StatusIs(absl::StatusCode::kDeadlineExceeded,
                       HasSubstr("nothing was stored")));
  EXPECT_EQ(store_->HeadRevision(), 0);

  // Over the wire: several megabytes that cannot be parsed in a millisecond.
  std::string text;
  for (int number = 1000; text.size() < (8 << 20); ++number) {
    text += SampleIssueText(number);
  }
  request.set_text(text);
  v1::IngestIssuesResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::milliseconds(1));
  grpc::Status status = ingest_->IngestIssues(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  // The server's own check ends the work: nothing is stored, even later.
  absl::SleepFor(absl::Seconds(2));
  EXPECT_EQ(store_->HeadRevision(), 0);
}

// The deadline passes while the ingest waits for another write to finish:
// it is checked again under the write lock, so the late write is not made
// (its caller has already been told DEADLINE_EXCEEDED by gRPC).
TEST(IngestDeadlineTest,
     ADeadlinePassedWhileWaitingForTheWriteLockStoresNothing) {
  importai::testing::TempDir dir;
  auto store = storage::RocksDbStore::Open(dir.path());
  ASSERT_THAT(store, IsOk());
  // The first write holds the write lock until released: its commit
  // listener runs under it.
  absl::Notification release;
  (*store)->SetCommitListener(
      [&release](const std::vector<storage::CommittedEntry>&) {
        release.WaitForNotification();
      });
  v1::IngestIssuesRequest first;
  first.set_text(SampleIssueText(901));
  std::thread holder([&] {
    EXPECT_THAT(services::Ingest(**store, first, IngestLimits{}, absl::Now()),
                IsOk());
  });
  ASSERT_TRUE(WaitUntil([&] { return (*store)->HeadRevision() == 1; }));

  const absl::Time deadline = absl::Now() + absl::Milliseconds(300);
  v1::IngestIssuesRequest late;
  late.set_text(SampleIssueText(902));
  absl::Status late_status;
  std::thread waiter([&] {
    late_status =
        services::Ingest(**store, late, IngestLimits{}, absl::Now(), deadline)
            .status();
  });
  while (absl::Now() <= deadline) absl::SleepFor(absl::Milliseconds(10));
  release.Notify();
  holder.join();
  waiter.join();
  EXPECT_THAT(late_status, StatusIs(absl::StatusCode::kDeadlineExceeded,
                                    HasSubstr("nothing was stored")));
  EXPECT_EQ((*store)->HeadRevision(), 1);
  EXPECT_THAT((*store)->GetIssue(902), StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace importai::services
