#include "services/resource_names.h"

#include "common/testing/status_matchers.h"
#include "gtest/gtest.h"

namespace importai::services {
namespace {

using ::importai::testing::StatusIs;
using ::testing::HasSubstr;

TEST(ResourceNamesTest, ParsesWellFormedNames) {
  EXPECT_EQ(*ParseIssueName("name", "issues/387"), 387);
  auto section = ParseSectionName("name", "issues/387/sections/2");
  ASSERT_TRUE(section.ok());
  EXPECT_EQ(section->issue_number, 387);
  EXPECT_EQ(section->ordinal, 2);
  EXPECT_EQ(*ParseTaleName("name", "issues/12/tale"), 12);
  EXPECT_EQ(*ParseSectionParent("parent", "issues/-"), kAllIssues);
  EXPECT_EQ(*ParseSectionParent("parent", "issues/9"), 9);
}

TEST(ResourceNamesTest, RefusesMalformedNamesNamingTheField) {
  for (absl::string_view bad :
       {"", "issues", "issues/", "issues/0", "issues/-1", "issues/007",
        "issues/abc", "issues/387/", "issue/387", "issues/2147483648",
        "issues/387/sections/1"}) {
    EXPECT_THAT(ParseIssueName("name", bad),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("name")))
        << bad;
  }
  EXPECT_THAT(ParseSectionName("name", "issues/387/sections/0"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("issues/{number}/sections/{ordinal}")));
  EXPECT_THAT(ParseSectionName("name", "issues/387/tale"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseTaleName("name", "issues/387/tales"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(
      ParseSectionParent("parent", "issues/*"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("issues/-")));
}

TEST(ResourceNamesTest, EmptyNameSaysTheFieldIsRequired) {
  EXPECT_THAT(ParseIssueName("name", ""),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("name: required")));
}

}  // namespace
}  // namespace importai::services
