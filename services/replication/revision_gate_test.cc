#include "services/replication/revision_gate.h"

#include <atomic>
#include <optional>

#include "absl/synchronization/mutex.h"
#include "common/testing/status_matchers.h"
#include "common/testing/wait.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace importai::services::replication {
namespace {

using ::importai::testing::IsOk;
using ::importai::testing::StatusIs;
using ::importai::testing::WaitUntil;
using ::testing::HasSubstr;

// What a waiter was told, once it was.
class Outcome {
 public:
  std::function<void(absl::Status)> Callback() {
    return [this](absl::Status status) {
      absl::MutexLock lock(&mu_);
      status_ = std::move(status);
    };
  }
  std::optional<absl::Status> Get() {
    absl::MutexLock lock(&mu_);
    return status_;
  }
  bool Told() { return Get().has_value(); }

 private:
  absl::Mutex mu_;
  std::optional<absl::Status> status_ ABSL_GUARDED_BY(mu_);
};

TEST(RevisionGateTest, AnAppliedRevisionRunsAtOnce) {
  Outcome outcome;
  RevisionGate gate([] { return 5; });
  ASSERT_THAT(gate.Wait(5, absl::InfiniteFuture(), outcome.Callback()), IsOk());
  ASSERT_TRUE(outcome.Told());
  EXPECT_THAT(*outcome.Get(), IsOk());
  EXPECT_EQ(gate.waiting(), 0u);
}

TEST(RevisionGateTest, AHeldReadRunsOnceTheHeadReachesIt) {
  std::atomic<int64_t> head{3};
  Outcome outcome;
  RevisionGate gate([&head] { return head.load(); });
  ASSERT_THAT(gate.Wait(5, absl::InfiniteFuture(), outcome.Callback()), IsOk());
  head = 4;
  gate.Notify();
  ASSERT_TRUE(WaitUntil([&] { return gate.waiting() == 1; }));
  EXPECT_FALSE(outcome.Told());
  head = 5;
  gate.Notify();
  ASSERT_TRUE(WaitUntil([&] { return outcome.Told(); }));
  EXPECT_THAT(*outcome.Get(), IsOk());
}

TEST(RevisionGateTest, AWaitEndsAtItsDeadlineAndAtTheCap) {
  Outcome by_deadline;
  Outcome by_cap;
  RevisionGate gate([] { return 3; }, /*max_waiters=*/10,
                    /*max_wait=*/absl::Milliseconds(20));
  ASSERT_THAT(gate.Wait(9, absl::Now() + absl::Milliseconds(10),
                        by_deadline.Callback()),
              IsOk());
  ASSERT_THAT(gate.Wait(9, absl::InfiniteFuture(), by_cap.Callback()), IsOk());
  ASSERT_TRUE(WaitUntil([&] { return by_deadline.Told() && by_cap.Told(); }));
  EXPECT_THAT(*by_deadline.Get(),
              StatusIs(absl::StatusCode::kUnavailable,
                       HasSubstr("revision 9 is not applied on this server "
                                 "yet (its head is 3)")));
  EXPECT_THAT(*by_cap.Get(), StatusIs(absl::StatusCode::kUnavailable));
}

TEST(RevisionGateTest, AnEarlierEndAddedLaterIsKept) {
  Outcome forever;
  Outcome soon;
  RevisionGate gate([] { return 0; });
  ASSERT_THAT(gate.Wait(1, absl::InfiniteFuture(), forever.Callback()),
              IsOk());
  ASSERT_TRUE(WaitUntil([&] { return gate.waiting() == 1; }));
  ASSERT_THAT(
      gate.Wait(1, absl::Now() + absl::Milliseconds(10), soon.Callback()),
      IsOk());
  ASSERT_TRUE(WaitUntil([&] { return soon.Told(); }));
  EXPECT_THAT(*soon.Get(), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_FALSE(forever.Told());
}

TEST(RevisionGateTest, NoMoreThanMaxWaitersWait) {
  // Outlive the gate, which tells them as it goes.
  std::vector<std::unique_ptr<Outcome>> held;
  Outcome refused;
  RevisionGate gate([] { return 0; }, /*max_waiters=*/3);
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<Outcome>());
    ASSERT_THAT(gate.Wait(1, absl::InfiniteFuture(), held.back()->Callback()),
                IsOk());
  }
  EXPECT_THAT(gate.Wait(1, absl::InfiniteFuture(), refused.Callback()),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       HasSubstr("3 reads already wait")));
  EXPECT_FALSE(refused.Told());
  EXPECT_EQ(gate.waiting(), 3u);
}

TEST(RevisionGateTest, DestroyingTheGateEndsEveryWait) {
  Outcome outcome;
  {
    RevisionGate gate([] { return 0; });
    ASSERT_THAT(gate.Wait(1, absl::InfiniteFuture(), outcome.Callback()),
                IsOk());
  }
  ASSERT_TRUE(outcome.Told());
  EXPECT_THAT(*outcome.Get(), StatusIs(absl::StatusCode::kUnavailable));
}

TEST(RevisionGateTest, ShutdownEndsWaitsNowAndLaterOnesAtOnce) {
  Outcome held;
  Outcome later;
  RevisionGate gate([] { return 0; });
  ASSERT_THAT(gate.Wait(1, absl::InfiniteFuture(), held.Callback()), IsOk());
  gate.Shutdown();
  ASSERT_TRUE(WaitUntil([&] { return held.Told(); }));
  EXPECT_THAT(*held.Get(), StatusIs(absl::StatusCode::kUnavailable));
  ASSERT_THAT(gate.Wait(1, absl::InfiniteFuture(), later.Callback()), IsOk());
  ASSERT_TRUE(later.Told());
  EXPECT_THAT(*later.Get(), StatusIs(absl::StatusCode::kUnavailable,
                                     HasSubstr("shutting down")));
}

}  // namespace
}  // namespace importai::services::replication
