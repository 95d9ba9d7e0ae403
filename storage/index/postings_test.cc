#include "storage/index/postings.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace importai::storage::index {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(NormTest, IsExactForShortFieldsAndCloseForLongOnes) {
  for (uint32_t length : {0u, 1u, 7u, 200u}) {
    EXPECT_EQ(DecodeNorm(EncodeNorm(length)), length);
  }
  for (uint32_t length : {201u, 500u, 1000u, 1900u}) {
    const uint32_t decoded = DecodeNorm(EncodeNorm(length));
    EXPECT_LE(decoded > length ? decoded - length : length - decoded, 32u)
        << length;
  }
  EXPECT_EQ(EncodeNorm(1'000'000), 255);
}

TEST(PostingsTest, RoundTripsDocumentsFieldsAndPositions) {
  Document section;
  section.ordinal = 3;
  section.lengths = {4, 0, 350};
  Document tale;
  tale.ordinal = kTaleOrdinal;
  tale.lengths = {2, 5, 90};
  std::string value;
  AppendPostings(section, {{{1}, {}, {7, 130, 131}}}, &value);
  AppendPostings(tale, {{{}, {0, 4}, {}}}, &value);
  AppendMarker(9, &value);

  PostingsReader reader(value);
  ASSERT_TRUE(reader.Next());
  EXPECT_EQ(reader.ordinal(), 3);
  EXPECT_THAT(reader.positions(kTitle), ElementsAre(1));
  EXPECT_THAT(reader.positions(kDek), IsEmpty());
  EXPECT_THAT(reader.positions(kBody), ElementsAre(7, 130, 131));
  EXPECT_EQ(reader.length(kTitle), 4u);
  EXPECT_EQ(reader.count(kBody), 3u);
  EXPECT_EQ(reader.length(kBody), DecodeNorm(EncodeNorm(350)));
  ASSERT_TRUE(reader.Next());
  EXPECT_EQ(reader.ordinal(), kTaleOrdinal);
  EXPECT_THAT(reader.positions(kDek), ElementsAre(0, 4));
  EXPECT_EQ(reader.length(kDek), 5u);
  EXPECT_EQ(reader.count(kTitle), 0u);
  ASSERT_TRUE(reader.Next());
  EXPECT_EQ(reader.ordinal(), 9);
  for (int field = 0; field < kFieldCount; ++field) {
    EXPECT_EQ(reader.count(field), 0u);
  }
  EXPECT_FALSE(reader.Next());
  EXPECT_TRUE(reader.ok());
}

TEST(PostingsTest, ReadsCountsAloneWithoutPositions) {
  Document document;
  document.ordinal = 4;
  document.lengths = {2, 0, 900};
  std::string value;
  AppendPostings(document, {{{0}, {}, {5, 300, 70000}}}, &value);
  AppendMarker(6, &value);
  PostingsReader reader(value, /*with_positions=*/false);
  ASSERT_TRUE(reader.Next());
  EXPECT_EQ(reader.ordinal(), 4);
  EXPECT_EQ(reader.count(kTitle), 1u);
  EXPECT_EQ(reader.count(kDek), 0u);
  EXPECT_EQ(reader.count(kBody), 3u);
  EXPECT_EQ(reader.length(kBody), DecodeNorm(EncodeNorm(900)));
  ASSERT_TRUE(reader.Next());
  EXPECT_EQ(reader.ordinal(), 6);
  EXPECT_FALSE(reader.Next());
  EXPECT_TRUE(reader.ok());
}

TEST(PostingsTest, EveryTruncationIsReportedAsCorrupt) {
  Document document;
  document.ordinal = 2;
  document.lengths = {3, 3, 3};
  std::string value;
  AppendPostings(document, {{{0}, {1, 2}, {300}}}, &value);
  for (size_t size = 1; size < value.size(); ++size) {
    for (bool with_positions : {true, false}) {
      PostingsReader reader(absl::string_view(value).substr(0, size),
                            with_positions);
      while (reader.Next()) {
      }
      EXPECT_FALSE(reader.ok()) << "truncated to " << size;
    }
  }
}

TEST(PostingsTest, GarbageNeverReadsPastTheEnd) {
  const std::string garbage[] = {"\xff\xff\xff\xff\xff\xff", "\x01\x07",
                                 "\x01\x01\x05\xff\xff\xff\xff\x0f",
                                 std::string("\x01\x01\x05\x00", 4)};
  for (const std::string& value : garbage) {
    PostingsReader reader(value);
    while (reader.Next()) {
    }
    EXPECT_FALSE(reader.ok());
  }
}

}  // namespace
}  // namespace importai::storage::index
