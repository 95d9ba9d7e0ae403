#include "newsletter/content_hash.h"

#include "gtest/gtest.h"

namespace importai::newsletter {
namespace {

importai::v1::Issue MakeIssue() {
  importai::v1::Issue issue;
  issue.set_number(800);
  issue.set_title("Bees; clocks");
  issue.add_topics("Bees");
  issue.add_topics("clocks");
  issue.set_author("Rosa Example");
  importai::v1::Section* section = issue.add_sections();
  section->set_name("issues/800/sections/1");
  section->set_title("Bees fly");
  section->set_body("They do.");
  issue.mutable_tale()->set_title("The Hive");
  return issue;
}

TEST(ContentHashTest, IsLowercaseHexSha256) {
  const std::string hash = ContentHash(MakeIssue());
  ASSERT_EQ(hash.size(), 64u);
  EXPECT_EQ(hash.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(ContentHashTest, IgnoresDerivedAndStorageFields) {
  const importai::v1::Issue plain = MakeIssue();
  importai::v1::Issue stored = plain;
  stored.set_name("issues/800");
  stored.set_section_count(1);
  stored.set_content_hash("stale");
  stored.set_revision(17);
  stored.mutable_create_time()->set_seconds(1700000000);
  stored.mutable_update_time()->set_seconds(1700000001);
  EXPECT_EQ(ContentHash(stored), ContentHash(plain));
}

TEST(ContentHashTest, ChangesWithParsedContent) {
  const importai::v1::Issue plain = MakeIssue();
  importai::v1::Issue edited = plain;
  edited.mutable_sections(0)->set_body("They do not.");
  EXPECT_NE(ContentHash(edited), ContentHash(plain));
  importai::v1::Issue without_tale = plain;
  without_tale.clear_tale();
  EXPECT_NE(ContentHash(without_tale), ContentHash(plain));
}

}  // namespace
}  // namespace importai::newsletter
