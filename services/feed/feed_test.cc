// WatchIssues over a real gRPC server on a free loopback port, with RocksDB
// in a temporary directory: ordering, resume, progress, retention, slow
// subscribers and shutdown.
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/testing/status_matchers.h"
#include "common/testing/temp_dir.h"
#include "common/testing/wait.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "importai/v1/archive_service.grpc.pb.h"
#include "importai/v1/ingest_service.grpc.pb.h"
#include "services/server.h"
#include "services/testing/feed_fixture.h"
#include "storage/rocksdb_store.h"

namespace importai::services {
namespace {

using ::importai::testing::WaitUntil;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

using testing::FeedTest;
using testing::Range;
using testing::ReadEachThrough;
using testing::Watcher;

TEST_F(FeedTest, ReplaysFromTheStartRevisionThenTails) {
  IngestMany(101, 3);
  Watcher watcher(*archive_, 2);
  std::optional<v1::WatchIssuesResponse> first = watcher.Next();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->type(), v1::EVENT_TYPE_CREATED);
  EXPECT_EQ(first->revision(), 2);
  EXPECT_EQ(first->issue().number(), 102);
  EXPECT_TRUE(first->has_commit_time());
  IngestOne(104);
  IngestOne(101, /*variant=*/1);
  EXPECT_EQ(watcher.ReadThrough(5), Range(3, 5));
}

TEST_F(FeedTest, UpdatesCarryTheirTypeAndTheIssueAsWritten) {
  IngestOne(200);
  IngestOne(200, 1);
  Watcher watcher(*archive_, 1);
  auto created = watcher.Next();
  auto updated = watcher.Next();
  ASSERT_TRUE(created && updated);
  EXPECT_EQ(created->type(), v1::EVENT_TYPE_CREATED);
  EXPECT_EQ(updated->type(), v1::EVENT_TYPE_UPDATED);
  EXPECT_NE(created->issue().content_hash(), updated->issue().content_hash());
  EXPECT_EQ(updated->issue().revision(), 2);
}

TEST_F(FeedTest, StartZeroSeesOnlyChangesAfterSubscribing) {
  IngestOne(300);
  const absl::Time subscribed = absl::Now();
  Watcher watcher(*archive_, 0, absl::Seconds(60));
  // The stream opens with a PROGRESS, not one interval later: the
  // subscription is in place. (Half the interval is the margin for a
  // loaded machine.)
  std::optional<v1::WatchIssuesResponse> progress = watcher.Next();
  ASSERT_TRUE(progress.has_value());
  EXPECT_LT(absl::Now() - subscribed, absl::Seconds(30));
  EXPECT_EQ(progress->type(), v1::EVENT_TYPE_PROGRESS);
  EXPECT_EQ(progress->revision(), 1);
  IngestOne(301);
  EXPECT_EQ(watcher.ReadThrough(2), Range(2, 2));
}

TEST_F(FeedTest, ManySubscribersUnderConcurrentIngestsSeeEveryRevisionOnce) {
  constexpr int kWriters = 2;
  constexpr int kIssuesPerWriter = 15;
  constexpr int kSubscribers = 24;
  // A last ingest after every subscriber is in, so each one sees something.
  constexpr int64_t kLast = kWriters * kIssuesPerWriter + 1;
  std::atomic<bool> go{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      while (!go) std::this_thread::yield();
      for (int i = 0; i < kIssuesPerWriter; ++i) IngestOne(1000 + w * 100 + i);
    });
  }
  // Subscribers join at different points while ingests run: from early
  // revisions (replay, then hand-over to the live tail) and from "now".
  std::vector<std::thread> readers;
  absl::Mutex mu;
  std::vector<std::pair<int64_t, std::vector<int64_t>>> seen;
  for (int s = 0; s < kSubscribers; ++s) {
    readers.emplace_back([&, s] {
      const int64_t start = s % 3 == 0 ? 0 : 1 + (s % 5);
      Watcher watcher(*archive_, start, absl::Milliseconds(100));
      std::vector<int64_t> revisions = watcher.ReadThrough(kLast);
      absl::MutexLock lock(&mu);
      seen.emplace_back(start, std::move(revisions));
    });
    if (s == 4) go = true;
    absl::SleepFor(absl::Milliseconds(3));
  }
  for (auto& writer : writers) writer.join();
  ASSERT_TRUE(WaitUntil(
      [&] { return server_->feed().subscriber_count() == kSubscribers; }));
  IngestOne(9999);
  for (auto& reader : readers) reader.join();
  ASSERT_EQ(store_->HeadRevision(), kLast);
  ASSERT_EQ(seen.size(), static_cast<size_t>(kSubscribers));
  for (const auto& [start, revisions] : seen) {
    ASSERT_THAT(revisions, Not(IsEmpty())) << "start " << start;
    const int64_t first = start > 0 ? start : revisions.front();
    EXPECT_EQ(revisions, Range(first, kLast)) << "start " << start;
  }
}

TEST_F(FeedTest, ProgressCarriesTheHeadWhileIdleAndNeverOvertakesEvents) {
  IngestOne(400);
  Watcher watcher(*archive_, 1, absl::Milliseconds(100));
  auto event = watcher.Next();
  ASSERT_TRUE(event.has_value());
  EXPECT_EQ(event->revision(), 1);
  auto progress = watcher.Next();
  ASSERT_TRUE(progress.has_value());
  EXPECT_EQ(progress->type(), v1::EVENT_TYPE_PROGRESS);
  EXPECT_EQ(progress->revision(), 1);

  // Ingests racing the progress timer: ReadThrough checks that no event at
  // or below a PROGRESS revision arrives after it.
  std::thread writer([&] {
    for (int i = 0; i < 10; ++i) {
      IngestOne(401 + i);
      absl::SleepFor(absl::Milliseconds(60));
    }
  });
  EXPECT_EQ(watcher.ReadThrough(11), Range(2, 11));
  writer.join();
}

TEST_F(FeedTest, AStartBeyondTheHeadWaitsForThatRevision) {
  IngestOne(500);
  Watcher watcher(*archive_, 4, absl::Milliseconds(100));
  auto progress = watcher.Next();
  ASSERT_TRUE(progress.has_value());
  EXPECT_EQ(progress->type(), v1::EVENT_TYPE_PROGRESS);
  EXPECT_EQ(progress->revision(), 1);
  IngestMany(501, 5);
  EXPECT_EQ(watcher.ReadThrough(6), Range(4, 6));
}

TEST_F(FeedTest, BasicViewDropsBodies) {
  IngestOne(600);
  Watcher full(*archive_, 1, absl::Seconds(10), v1::ISSUE_VIEW_FULL);
  Watcher basic(*archive_, 1, absl::Seconds(10), v1::ISSUE_VIEW_BASIC);
  auto full_event = full.Next();
  auto basic_event = basic.Next();
  ASSERT_TRUE(full_event && basic_event);
  EXPECT_THAT(full_event->issue().sections(0).body(), Not(IsEmpty()));
  EXPECT_THAT(basic_event->issue().sections(0).body(), IsEmpty());
  EXPECT_EQ(basic_event->issue().sections(0).title(),
            full_event->issue().sections(0).title());
}

TEST_F(FeedTest, RefusesBadRequestsNamingTheField) {
  struct Case {
    int64_t start;
    absl::Duration progress;
    const char* field;
  };
  for (const Case& bad : {Case{-1, absl::Seconds(1), "start_revision"},
                          Case{0, absl::Milliseconds(10), "progress_interval"},
                          Case{0, absl::Minutes(2), "progress_interval"}}) {
    Watcher watcher(*archive_, bad.start, bad.progress);
    EXPECT_FALSE(watcher.Next().has_value());
    grpc::Status status = watcher.Finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(status.error_message(), HasSubstr(bad.field));
  }
}

TEST_F(FeedTest, RetentionMakesOldStartsOutOfRangeNamingTheOldest) {
  ServerOptions options = Options();
  options.feed.retention.max_revisions = 3;
  options.feed.trim_interval = absl::Milliseconds(10);
  StartServer(options);
  IngestMany(700, 6);
  // The trimmer runs on its own schedule.
  ASSERT_TRUE(WaitUntil([&] { return store_->OldestRevision() == 4; }));
  v1::FeedInfo info;
  grpc::ClientContext context;
  ASSERT_TRUE(archive_->GetFeedInfo(&context, {}, &info).ok());
  EXPECT_EQ(info.oldest_revision(), 4);
  EXPECT_EQ(info.head_revision(), 6);

  Watcher too_old(*archive_, 2);
  EXPECT_FALSE(too_old.Next().has_value());
  grpc::Status status = too_old.Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::OUT_OF_RANGE);
  EXPECT_THAT(status.error_message(),
              HasSubstr("oldest available revision is 4"));

  Watcher retained(*archive_, 4);
  EXPECT_EQ(retained.ReadThrough(6), Range(4, 6));
}

TEST_F(FeedTest, SubscribersBeyondTheLimitAreRefusedNamingIt) {
  ServerOptions options = Options();
  options.feed.max_subscribers = 2;
  StartServer(options);
  Watcher first(*archive_, 0);
  Watcher second(*archive_, 0);
  ASSERT_TRUE(first.Next().has_value());  // the opening PROGRESS
  ASSERT_TRUE(second.Next().has_value());
  Watcher third(*archive_, 0);
  EXPECT_FALSE(third.Next().has_value());
  grpc::Status refused = third.Finish();
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(refused.error_message(), HasSubstr("allows 2 open"));
  // A closed stream frees its place.
  first.Cancel();
  first.Finish();
  ASSERT_TRUE(
      WaitUntil([&] { return server_->feed().subscriber_count() == 1; }));
  Watcher fourth(*archive_, 0);
  EXPECT_TRUE(fourth.Next().has_value());
}

TEST_F(FeedTest, ASubscriberThatStopsReadingNeitherBlocksNorLoses) {
  ServerOptions options = Options();
  options.feed.window_bytes = 64 << 10;  // a few events: the rest from the log
  options.feed.catch_up.batch_bytes = 8 << 10;  // about two sample issues
  StartServer(options);
  Watcher stalled(*archive_, 1);
  std::vector<std::unique_ptr<Watcher>> healthy;
  for (int i = 0; i < 8; ++i) {
    healthy.push_back(std::make_unique<Watcher>(*archive_, 1));
  }
  constexpr int kIssues = 120;
  std::vector<std::vector<int64_t>> seen;
  std::thread readers([&] { seen = ReadEachThrough(healthy, kIssues); });
  IngestMany(800, kIssues);
  readers.join();
  for (const auto& revisions : seen) EXPECT_EQ(revisions, Range(1, kIssues));
  EXPECT_EQ(server_->feed().subscriber_count(), healthy.size() + 1);
  // What the stalled stream missed is not held in memory for it.
  EXPECT_LE(server_->feed().window_bytes(), options.feed.window_bytes);
  // The stalled one, reading at last, gets everything in order: what fell
  // out of the window comes back from the revision log.
  EXPECT_EQ(stalled.ReadThrough(kIssues), Range(1, kIssues));
}

TEST_F(FeedTest, ShutdownEndsStreamsWithUnavailableNamingWhereToResume) {
  IngestOne(900);
  Watcher watcher(*archive_, 1);
  ASSERT_TRUE(watcher.Next().has_value());
  server_->Shutdown(absl::Seconds(5));
  EXPECT_FALSE(watcher.Next().has_value());
  grpc::Status status = watcher.Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(), HasSubstr("start_revision 2"));
}

TEST_F(FeedTest, CancelledSubscribersAreReleased) {
  {
    Watcher watcher(*archive_, 0);
    ASSERT_TRUE(
        WaitUntil([&] { return server_->feed().subscriber_count() == 1; }));
    watcher.Cancel();
    watcher.Finish();
  }
  EXPECT_TRUE(
      WaitUntil([&] { return server_->feed().subscriber_count() == 0; }));
}

}  // namespace
}  // namespace importai::services
