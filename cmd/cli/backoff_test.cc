#include "cmd/cli/backoff.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace importai::cli {
namespace {

using ::testing::ElementsAre;

// Always draws `value` from [0, 1).
std::function<double()> Fixed(double value) {
  return [value] { return value; };
}

std::vector<absl::Duration> Ceilings(Backoff& backoff, int count) {
  std::vector<absl::Duration> ceilings;
  for (int i = 0; i < count; ++i) {
    ceilings.push_back(backoff.ceiling());
    backoff.NextDelay();
  }
  return ceilings;
}

TEST(BackoffTest, CeilingDoublesFromInitialUpToMax) {
  Backoff backoff(BackoffPolicy{}, Fixed(0.5));
  EXPECT_THAT(Ceilings(backoff, 10),
              ElementsAre(absl::Milliseconds(100), absl::Milliseconds(200),
                          absl::Milliseconds(400), absl::Milliseconds(800),
                          absl::Milliseconds(1600), absl::Milliseconds(3200),
                          absl::Milliseconds(6400), absl::Seconds(10),
                          absl::Seconds(10), absl::Seconds(10)));
}

TEST(BackoffTest, DelayIsTheDrawTimesTheCeiling) {
  Backoff backoff(BackoffPolicy{}, Fixed(0.25));
  EXPECT_EQ(backoff.NextDelay(), absl::Milliseconds(25));
  EXPECT_EQ(backoff.NextDelay(), absl::Milliseconds(50));
  EXPECT_EQ(backoff.NextDelay(), absl::Milliseconds(100));
}

TEST(BackoffTest, ExtremeDrawsStayWithinZeroAndTheCeiling) {
  Backoff low(BackoffPolicy{}, Fixed(0.0));
  EXPECT_EQ(low.NextDelay(), absl::ZeroDuration());
  Backoff high(BackoffPolicy{}, Fixed(0.999999));
  for (int i = 0; i < 20; ++i) {
    const absl::Duration ceiling = high.ceiling();
    const absl::Duration delay = high.NextDelay();
    EXPECT_LT(delay, ceiling);
    EXPECT_GT(delay, ceiling * 0.99);
  }
}

TEST(BackoffTest, RandomJitterSpansTheWholeRange) {
  Backoff backoff;  // The real generator.
  for (int i = 0; i < 10; ++i) backoff.NextDelay();
  ASSERT_EQ(backoff.ceiling(), absl::Seconds(10));
  absl::Duration shortest = absl::InfiniteDuration();
  absl::Duration longest = absl::ZeroDuration();
  for (int i = 0; i < 1000; ++i) {
    const absl::Duration delay = backoff.NextDelay();
    ASSERT_GE(delay, absl::ZeroDuration());
    ASSERT_LT(delay, absl::Seconds(10));
    shortest = std::min(shortest, delay);
    longest = std::max(longest, delay);
  }
  // With 1000 uniform draws, missing either tenth has odds of about 1e-46.
  EXPECT_LT(shortest, absl::Seconds(1));
  EXPECT_GT(longest, absl::Seconds(9));
}

TEST(BackoffTest, ResetStartsOverFromInitial) {
  Backoff backoff(BackoffPolicy{}, Fixed(0.5));
  for (int i = 0; i < 5; ++i) backoff.NextDelay();
  backoff.Reset();
  EXPECT_EQ(backoff.ceiling(), absl::Milliseconds(100));
  EXPECT_EQ(backoff.NextDelay(), absl::Milliseconds(50));
  EXPECT_EQ(backoff.ceiling(), absl::Milliseconds(200));
}

TEST(BackoffTest, FollowsACustomPolicy) {
  Backoff backoff(
      BackoffPolicy{absl::Milliseconds(1), absl::Milliseconds(5), 3.0},
      Fixed(0.5));
  EXPECT_THAT(Ceilings(backoff, 4),
              ElementsAre(absl::Milliseconds(1), absl::Milliseconds(3),
                          absl::Milliseconds(5), absl::Milliseconds(5)));
}

TEST(BackoffTest, InitialAboveMaxIsCapped) {
  Backoff backoff(BackoffPolicy{absl::Seconds(20), absl::Seconds(10), 2.0},
                  Fixed(0.5));
  EXPECT_EQ(backoff.ceiling(), absl::Seconds(10));
}

}  // namespace
}  // namespace importai::cli
