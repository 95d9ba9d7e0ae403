// What a hostile or unlucky subscriber cannot make the feed do: hold more
// catch-up memory than its budget, read the log once per subscriber, ask
// for PROGRESS faster than the floor, open unlimited streams on one
// connection, or stall PROGRESS behind a writer holding the store's lock.
#include <algorithm>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "common/testing/status_matchers.h"
#include "common/testing/wait.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "services/testing/feed_fixture.h"
#include "services/testing/narrow_channel.h"
#include "storage/testing/gated_env.h"

namespace importai::services {
namespace {

using ::importai::testing::IsOk;
using ::importai::testing::WaitUntil;
using testing::FeedTest;
using testing::NarrowChannel;
using ::testing::HasSubstr;
using testing::Range;
using testing::ReadEachThrough;
using testing::Watcher;

// The largest event in the store's log.
size_t LargestEvent(storage::ArchiveStore& store) {
  auto entries = store.ReadRevisions(1, store.HeadRevision());
  EXPECT_THAT(entries, IsOk());
  size_t largest = 0;
  for (const auto& entry : *entries) {
    largest = std::max(largest, entry.ByteSizeLong());
  }
  return largest;
}

TEST_F(FeedTest, CatchUpHoldsNoMoreThanItsBudgetWhileStreamsStall) {
  ServerOptions options = Options();
  options.feed.window_bytes = 1;  // one event: the rest from the log
  options.feed.catch_up.budget_bytes = 12 << 10;  // some 8 sample events
  options.feed.catch_up.batch = 2;
  options.feed.catch_up.batch_bytes = 2 << 10;
  // Nothing is ended for stalling here: all must come through in the end.
  options.feed.catch_up.stall_timeout = absl::InfiniteDuration();
  StartServer(options);
  constexpr int kIssues = 60;
  IngestMany(2000, kIssues);

  // Each stream starts at its own revision and is never read: every one
  // pins whatever it was given, until the budget stops the reads.
  constexpr int kStalled = 40;
  auto narrow = NarrowChannel(server_->address());
  auto narrow_stub = v1::ArchiveService::NewStub(narrow);
  std::vector<std::unique_ptr<Watcher>> stalled;
  for (int s = 0; s < kStalled; ++s) {
    stalled.push_back(std::make_unique<Watcher>(*narrow_stub, 1 + s));
  }
  const feed::CatchUpReader& reader = server_->feed().catch_up();
  ASSERT_TRUE(WaitUntil([&] {
    return reader.held_bytes() + options.feed.catch_up.batch_bytes >
           options.feed.catch_up.budget_bytes;
  })) << "the stalled streams never filled the budget";

  // What they asked for is far beyond the budget; what is held is not.
  const size_t largest = LargestEvent(*store_);
  EXPECT_GT(kStalled * largest, 2 * options.feed.catch_up.budget_bytes);
  EXPECT_LE(reader.peak_held_bytes(),
            options.feed.catch_up.budget_bytes + largest);

  // Nothing is lost: read at last, every stream gets its whole range.
  std::vector<std::thread> readers;
  std::vector<std::vector<int64_t>> seen(kStalled);
  for (int s = 0; s < kStalled; ++s) {
    readers.emplace_back(
        [&, s] { seen[s] = stalled[s]->ReadThrough(kIssues); });
  }
  for (auto& thread : readers) thread.join();
  for (int s = 0; s < kStalled; ++s) {
    EXPECT_EQ(seen[s], Range(1 + s, kIssues)) << "stream " << s;
  }
  EXPECT_LE(reader.peak_held_bytes(),
            options.feed.catch_up.budget_bytes + largest);
}

TEST_F(FeedTest, StreamsThatStallOnCatchUpAreEndedSoOthersCatchUp) {
  ServerOptions options = Options();
  options.feed.window_bytes = 1;
  options.feed.catch_up.budget_bytes = 12 << 10;
  options.feed.catch_up.batch = 2;
  options.feed.catch_up.batch_bytes = 2 << 10;
  options.feed.catch_up.stall_timeout = absl::Milliseconds(200);
  StartServer(options);
  constexpr int kIssues = 60;
  IngestMany(5000, kIssues);
  auto narrow = NarrowChannel(server_->address());
  auto narrow_stub = v1::ArchiveService::NewStub(narrow);
  std::vector<std::unique_ptr<Watcher>> stalled;
  for (int s = 0; s < 40; ++s) {
    stalled.push_back(std::make_unique<Watcher>(*narrow_stub, 1 + s));
  }
  const feed::CatchUpReader& reader = server_->feed().catch_up();
  ASSERT_TRUE(WaitUntil([&] {
    return reader.held_bytes() + options.feed.catch_up.batch_bytes >
           options.feed.catch_up.budget_bytes;
  }));

  // A subscriber that reads gets everything, though the budget was full.
  // (Should a loaded machine stall even its writes that long, it is ended
  // too, and resumes where it was, as clients do.)
  std::vector<int64_t> read;
  while (read.empty() || read.back() < kIssues) {
    Watcher reading(*archive_, read.empty() ? 1 : read.back() + 1);
    std::vector<int64_t> more = reading.ReadThrough(kIssues);
    if (more.empty()) {
      ASSERT_EQ(reading.Finish().error_code(), grpc::StatusCode::CANCELLED);
    }
    read.insert(read.end(), more.begin(), more.end());
  }
  EXPECT_EQ(read, Range(1, kIssues));

  // Because streams that held their events unread were ended (CANCELLED),
  // after what they had been sent, in order; the others are whole.
  int ended = 0;
  for (int s = 0; s < static_cast<int>(stalled.size()); ++s) {
    const std::vector<int64_t> seen = stalled[s]->ReadThrough(kIssues);
    if (seen.empty() || seen.back() < kIssues) {
      ++ended;
      EXPECT_EQ(stalled[s]->Finish().error_code(), grpc::StatusCode::CANCELLED);
      if (!seen.empty()) EXPECT_EQ(seen, Range(1 + s, seen.back()));
    } else {
      EXPECT_EQ(seen, Range(1 + s, kIssues));
      stalled[s]->Cancel();
      stalled[s]->Finish();
    }
  }
  EXPECT_GT(ended, 0);
}

TEST(MemoryBudgetTest, ChargesBytesUntilTheirLastReferenceIsGone) {
  auto budget = std::make_shared<feed::MemoryBudget>(100);
  grpc::Slice slice =
      feed::MemoryBudget::ChargedSlice(budget, std::string(60, 'x'));
  EXPECT_EQ(budget->held(), 60u);
  grpc::ByteBuffer sending(&slice, 1);  // as a write holds it
  slice = grpc::Slice();
  EXPECT_EQ(budget->held(), 60u);
  EXPECT_EQ(budget->WaitForRoom(50, absl::ZeroDuration()),
            feed::MemoryBudget::Wait::kTimedOut);
  sending.Clear();
  EXPECT_EQ(budget->held(), 0u);
  EXPECT_EQ(budget->peak(), 60u);
  EXPECT_EQ(budget->WaitForRoom(50, absl::ZeroDuration()),
            feed::MemoryBudget::Wait::kRoom);
  budget->Cancel();
  EXPECT_EQ(budget->WaitForRoom(500, absl::InfiniteDuration()),
            feed::MemoryBudget::Wait::kCancelled);
}

TEST_F(FeedTest, SubscribersAtOneRevisionShareEachRead) {
  ServerOptions options = Options();
  options.feed.window_bytes = 1;
  options.feed.catch_up.batch = 4;
  options.feed.catch_up.batch_bytes = 1 << 20;
  StartServer(options);
  constexpr int kIssues = 40;
  IngestMany(3000, kIssues);

  std::vector<std::unique_ptr<Watcher>> watchers;
  for (int s = 0; s < 10; ++s) {
    watchers.push_back(std::make_unique<Watcher>(*archive_, 1));
  }
  for (const auto& revisions : ReadEachThrough(watchers, kIssues)) {
    EXPECT_EQ(revisions, Range(1, kIssues));
  }
  // Each batch read once for all ten, not once per subscriber.
  EXPECT_LE(server_->feed().catch_up().reads(), kIssues / 4);
}

// The store on an Env that holds checkpoints named "held-checkpoint".
class HeldCheckpointTest : public FeedTest {
 protected:
  void SetUp() override { store_options_.env = &env_; }
  // The store goes before the Env it uses.
  void TearDown() override {
    server_.reset();
    store_.reset();
  }

  storage::testing::GatedEnv env_{"held-checkpoint"};
};

TEST_F(HeldCheckpointTest, ProgressArrivesWhileTheCheckpointHoldsTheWriteLock) {
  ServerOptions options = Options();
  // The trimmer asks for the write lock all the time.
  options.feed.retention.max_revisions = 1000;
  options.feed.trim_interval = absl::Milliseconds(1);
  StartServer(options);
  IngestOne(4000);
  std::thread checkpoint([&] {
    EXPECT_THAT(store_->CreateCheckpoint(dir_.path() + "/held-checkpoint"),
                IsOk());
  });
  absl::Cleanup release = [&] {
    env_.Open();
    checkpoint.join();
  };
  env_.WaitUntilHeld();  // the checkpoint holds the write lock from here on

  Watcher watcher(*archive_, 0, absl::Milliseconds(50));
  for (int i = 0; i < 3; ++i) {
    std::optional<v1::WatchIssuesResponse> event = watcher.Next();
    ASSERT_TRUE(event.has_value()) << "no PROGRESS while the lock is held";
    EXPECT_EQ(event->type(), v1::EVENT_TYPE_PROGRESS);
    EXPECT_EQ(event->revision(), 1);
  }
}

TEST_F(FeedTest, TheDefaultProgressFloorIsOneSecondAndNamedWhenRefused) {
  StartServer(ServerOptions{});
  Watcher too_fast(*archive_, 0, absl::Milliseconds(500));
  EXPECT_FALSE(too_fast.Next().has_value());
  grpc::Status refused = too_fast.Finish();
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(refused.error_message(),
              HasSubstr("progress_interval: 500ms is outside the allowed "
                        "range of 1s to 1m"));
  Watcher at_floor(*archive_, 0, absl::Seconds(1));
  std::optional<v1::WatchIssuesResponse> opening = at_floor.Next();
  ASSERT_TRUE(opening.has_value());
  EXPECT_EQ(opening->type(), v1::EVENT_TYPE_PROGRESS);
}

TEST_F(FeedTest, OneConnectionOpensNoMoreStreamsThanItsLimit) {
  ServerOptions options = Options();
  options.max_streams_per_connection = 3;
  StartServer(options);
  auto crowded = NarrowChannel(server_->address());
  auto crowded_stub = v1::ArchiveService::NewStub(crowded);
  std::vector<std::unique_ptr<Watcher>> admitted;
  for (int i = 0; i < 3; ++i) {
    admitted.push_back(std::make_unique<Watcher>(*crowded_stub, 0));
    ASSERT_TRUE(admitted.back()->Next().has_value());  // its opening PROGRESS
  }
  // The client queues a fourth until a place frees (a client that sends it
  // anyway has it refused); opening it blocks, so on its own thread.
  std::optional<v1::WatchIssuesResponse> fourth_opening;
  std::thread fourth([&] {
    Watcher queued(*crowded_stub, 0);
    fourth_opening = queued.Next();
  });
  absl::Cleanup join_fourth = [&] {
    for (auto& watcher : admitted) watcher->Cancel();
    fourth.join();
  };
  // A stream on another connection is served: the server is not stuck...
  Watcher elsewhere(*archive_, 0);
  ASSERT_TRUE(elsewhere.Next().has_value());
  // ...while the fourth on the crowded one has not reached it.
  EXPECT_EQ(server_->feed().subscriber_count(), 4u);
  // A closed stream makes room for it.
  admitted.front()->Cancel();
  admitted.front()->Finish();
  std::move(join_fourth).Invoke();
  ASSERT_TRUE(fourth_opening.has_value());
  EXPECT_EQ(fourth_opening->type(), v1::EVENT_TYPE_PROGRESS);
}

}  // namespace
}  // namespace importai::services
