#include "services/resource_names.h"

#include <string>

#include "common/excerpt.h"
#include "common/limits.h"
#include "common/testing/status_matchers.h"
#include "gtest/gtest.h"

namespace importai::services {
namespace {

using ::importai::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

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

// A 4 MiB name of "/" would be 4 M segments once split: it is refused by its
// size alone (the message says so, which no check after the split can), and
// the message quotes none of it.
TEST(ResourceNamesTest, RefusesAHugeNameBeforeSplittingIt) {
  const std::string slashes(4 << 20, '/');
  for (const auto& status : {ParseIssueName("name", slashes).status(),
                             ParseSectionName("name", slashes).status(),
                             ParseTaleName("name", slashes).status(),
                             ParseSectionParent("parent", slashes).status()}) {
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr("4194304 bytes is too long")));
    EXPECT_THAT(std::string(status.message()), SizeIs(::testing::Lt(200)));
    EXPECT_THAT(std::string(status.message()), Not(HasSubstr("//")));
  }
  // One byte over the limit is enough; at the limit the name is looked at.
  const std::string long_name =
      "issues/" + std::string(kMaxResourceNameBytes - 7, '1');
  EXPECT_THAT(ParseIssueName("name", long_name),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("is not a valid name")));
  EXPECT_THAT(
      ParseIssueName("name", long_name + "1"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("is too long")));
}

TEST(ResourceNamesTest, MalformedNamesAreQuotedShort) {
  const std::string name = "issues/" + std::string(100, 'x');
  absl::Status status = ParseIssueName("name", name).status();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument,
                               HasSubstr("\"issues/xxx")));
  EXPECT_THAT(std::string(status.message()),
              Not(HasSubstr(std::string(kMaxExcerptBytes, 'x'))));
}

}  // namespace
}  // namespace importai::services
