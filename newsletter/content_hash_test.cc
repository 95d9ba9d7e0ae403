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
  importai::v1::Link* link = section->add_links();
  link->set_text("Read more: Bee flight (arXiv).");
  link->set_lead("Read more");
  link->set_title("Bee flight");
  link->set_source("arXiv");
  issue.mutable_tale()->set_title("The Hive");
  return issue;
}

// MakeIssue() with what only Markdown, HTML and feeds give.
importai::v1::Issue WithAddressesAndDate(importai::v1::Issue issue) {
  issue.set_uri("https://example.org/p/import-ai-800");
  issue.mutable_publish_time()->set_seconds(1700000000);
  issue.mutable_sections(0)->mutable_links(0)->set_uri(
      "https://arxiv.org/abs/0000.00000");
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

// Hashes stored before addresses and dates existed stay valid, so a text
// copy of a stored issue is still UNCHANGED. (Computed by the code of then.)
TEST(ContentHashTest, TextOnlyIssueHashIsPinned) {
  EXPECT_EQ(ContentHash(MakeIssue()),
            "d24bec7851eef35b3f5ba9f3aa2268086233a2a6380a87e77e9e9415f3840aab");
}

TEST(ContentHashTest, IgnoresAddressesAndDate) {
  const importai::v1::Issue rich = WithAddressesAndDate(MakeIssue());
  EXPECT_EQ(ContentHash(rich), ContentHash(MakeIssue()));
  importai::v1::Issue stored = rich;
  stored.set_name("issues/800");
  stored.set_revision(3);
  EXPECT_EQ(ContentHash(stored), ContentHash(MakeIssue()));
  // Only the address is left out: the link's words still count.
  importai::v1::Issue retitled = rich;
  retitled.mutable_sections(0)->mutable_links(0)->set_title("Bee flight 2");
  EXPECT_NE(ContentHash(retitled), ContentHash(rich));
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
