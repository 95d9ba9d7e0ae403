#include "storage/keys.h"

#include "gtest/gtest.h"

namespace importai::storage::keys {
namespace {

TEST(KeysTest, NewerIssuesSortFirst) {
  EXPECT_LT(IssueKey(387), IssueKey(386));
  EXPECT_LT(IssueKey(100000), IssueKey(1));
}

TEST(KeysTest, SectionsSortByIssueNewestFirstThenOrdinal) {
  EXPECT_LT(SectionKey(387, 1), SectionKey(387, 2));
  EXPECT_LT(SectionKey(387, 9), SectionKey(386, 1));
  EXPECT_EQ(SectionKey(387, 3).substr(0, IssueKey(387).size()), IssueKey(387));
}

TEST(KeysTest, KeyAfterSitsBetweenAKeyAndTheNextOne) {
  EXPECT_LT(SectionKey(387, 2), KeyAfter(SectionKey(387, 2)));
  EXPECT_LT(KeyAfter(SectionKey(387, 2)), SectionKey(387, 3));
  // The last possible ordinal still has a successor: the next issue's first.
  EXPECT_LT(KeyAfter(SectionKey(387, INT32_MAX)), SectionKey(386, 1));
}

TEST(KeysTest, RevisionsSortAscending) {
  EXPECT_LT(RevisionKey(9), RevisionKey(10));
  EXPECT_LT(RevisionKey(255), RevisionKey(256));
}

TEST(KeysTest, RevisionsRoundTripAndWrongSizesAreRefused) {
  int64_t revision = 0;
  ASSERT_TRUE(DecodeRevision(RevisionKey(1234567890123), &revision));
  EXPECT_EQ(revision, 1234567890123);
  EXPECT_FALSE(DecodeRevision("short", &revision));
}

}  // namespace
}  // namespace importai::storage::keys
