#include "services/page_token.h"

#include "absl/strings/escaping.h"
#include "common/testing/status_matchers.h"
#include "gtest/gtest.h"

namespace importai::services {
namespace {

using ::importai::testing::IsOk;
using ::importai::testing::StatusIs;
using ::testing::HasSubstr;

constexpr absl::string_view kQuery = "ListSections parent=issues/-";

TEST(PageTokenTest, RoundTripsTheCursor) {
  std::string token = EncodePageToken(kQuery, {387, 4});
  auto cursor = DecodePageToken(kQuery, token);
  ASSERT_THAT(cursor, IsOk());
  EXPECT_EQ(cursor->issue_number, 387);
  EXPECT_EQ(cursor->ordinal, 4);
}

TEST(PageTokenTest, RoundTripsASearchScoreExactly) {
  const double score = 12.345678901234567;
  std::string token = EncodePageToken("Search", {383, 0, score});
  auto cursor = DecodePageToken("Search", token);
  ASSERT_THAT(cursor, IsOk());
  EXPECT_EQ(cursor->issue_number, 383);
  EXPECT_EQ(cursor->ordinal, 0);
  EXPECT_EQ(cursor->score, score);
}

TEST(PageTokenTest, RefusesATokenOfAnotherQuery) {
  std::string token = EncodePageToken("ListTales", {387, 0});
  EXPECT_THAT(
      DecodePageToken("ListIssues", token),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("another query")));
}

TEST(PageTokenTest, RefusesGarbage) {
  for (absl::string_view garbage :
       {"x", "not base64!", "AAAA", "////////////////////////"}) {
    EXPECT_THAT(
        DecodePageToken(kQuery, garbage),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")))
        << garbage;
  }
}

TEST(PageTokenTest, RefusesATruncatedOrExtendedToken) {
  std::string raw;
  ASSERT_TRUE(
      absl::WebSafeBase64Unescape(EncodePageToken(kQuery, {5, 1}), &raw));
  EXPECT_THAT(DecodePageToken(kQuery, absl::WebSafeBase64Escape(raw + "x")),
              StatusIs(absl::StatusCode::kInvalidArgument));
  raw.pop_back();
  EXPECT_THAT(DecodePageToken(kQuery, absl::WebSafeBase64Escape(raw)),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(PageTokenTest, APaddedTokenStillDecodesAndAHugeOneIsRefusedShort) {
  EXPECT_THAT(DecodePageToken(kQuery, EncodePageToken(kQuery, {5, 1}) + "=="),
              IsOk());
  absl::Status huge =
      DecodePageToken(kQuery, std::string(4 << 20, 'A')).status();
  EXPECT_THAT(huge, StatusIs(absl::StatusCode::kInvalidArgument,
                             HasSubstr("page_token")));
  EXPECT_LT(huge.message().size(), 200u);
}

}  // namespace
}  // namespace importai::services
