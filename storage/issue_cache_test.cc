#include "storage/issue_cache.h"

#include "gtest/gtest.h"

namespace importai::storage {
namespace {

IssueCache::Bytes MakeBytes(size_t size, char fill) {
  return std::make_shared<const std::string>(size, fill);
}

TEST(IssueCacheTest, FindsWhatWasPut) {
  IssueCache cache(1000);
  EXPECT_EQ(cache.Find(1), nullptr);
  cache.Put(1, MakeBytes(10, 'a'));
  ASSERT_NE(cache.Find(1), nullptr);
  EXPECT_EQ(*cache.Find(1), std::string(10, 'a'));
  cache.Put(1, MakeBytes(10, 'b'));
  EXPECT_EQ(*cache.Find(1), std::string(10, 'b'));
}

TEST(IssueCacheTest, AFillOlderThanAPutIsDropped) {
  IssueCache cache(1000);
  const uint64_t before_write = cache.Generation();
  cache.Put(7, MakeBytes(5, 'n'));  // a write commits while a reader reads
  cache.Fill(7, MakeBytes(5, 'o'), before_write);
  EXPECT_EQ(*cache.Find(7), std::string(5, 'n'));
  cache.Fill(8, MakeBytes(5, 'f'), cache.Generation());
  EXPECT_EQ(*cache.Find(8), std::string(5, 'f'));
}

TEST(IssueCacheTest, StaysWithinItsCapacity) {
  IssueCache cache(100);
  for (int number = 1; number <= 20; ++number) {
    cache.Put(number, MakeBytes(30, 'x'));
    ASSERT_NE(cache.Find(number), nullptr) << "the newest entry is kept";
  }
  int kept = 0;
  for (int number = 1; number <= 20; ++number)
    kept += cache.Find(number) != nullptr;
  EXPECT_LE(kept * 30, 100);
  cache.Put(99, MakeBytes(101, 'y'));
  EXPECT_EQ(cache.Find(99), nullptr) << "larger than the whole cache";
}

TEST(IssueCacheTest, ANewVersionTooBigToKeepEvictsTheOldOne) {
  IssueCache cache(100);
  cache.Put(1, MakeBytes(40, 'o'));
  cache.Put(1, MakeBytes(101, 'n'));
  EXPECT_EQ(cache.Find(1), nullptr) << "the stale version was served";
  // Its bytes no longer count: the whole capacity is free again.
  cache.Put(2, MakeBytes(50, 'a'));
  cache.Put(3, MakeBytes(50, 'b'));
  EXPECT_NE(cache.Find(2), nullptr);
  EXPECT_NE(cache.Find(3), nullptr);
}

}  // namespace
}  // namespace importai::storage
