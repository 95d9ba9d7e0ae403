// What `importai get N` prints for an issue, with and without the details
// only Markdown, HTML and feed copies give.
#include "cmd/cli/text_format.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace importai::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// An issue as a text copy stores it: words only.
v1::Issue TextIssue() {
  v1::Issue issue;
  issue.set_name("issues/950");
  issue.set_number(950);
  issue.set_title("Towel-folding robots; and a census of lab notebooks");
  issue.set_author("A. Writer");
  issue.set_revision(4);
  issue.set_section_count(1);
  v1::Section* section = issue.add_sections();
  section->set_name("issues/950/sections/1");
  section->set_ordinal(1);
  section->set_title("Robots fold towels");
  section->set_summary("A cheap gripper and two cameras");
  v1::Link* paper = section->add_links();
  paper->set_text("Read more: FoldNet (arXiv).");
  v1::Link* code = section->add_links();
  code->set_text("Get the code: FoldNet on GitHub (GitHub).");
  return issue;
}

TEST(FormatIssueTest, ShowsTheAddressDateAndLinkAddressesWhenSet) {
  v1::Issue issue = TextIssue();
  issue.set_uri("https://example.com/p/950");
  issue.mutable_publish_time()->set_seconds(1741593600);  // 2025-03-10 08:00
  issue.mutable_sections(0)->mutable_links(0)->set_uri(
      "https://example.com/papers/foldnet");
  EXPECT_EQ(FormatIssue(issue),
            "Import AI 950: Towel-folding robots; and a census of lab "
            "notebooks\n"
            "by A. Writer\n"
            "Address: https://example.com/p/950\n"
            "Published: 2025-03-10 08:00:00 UTC\n"
            "revision 4 \xC2\xB7 1 sections\n"
            "\n"
            "  1. Robots fold towels\n"
            "     A cheap gripper and two cameras\n"
            "     issues/950/sections/1\n"
            "     Read more: FoldNet (arXiv). "
            "<https://example.com/papers/foldnet>\n"
            // A link the source gave no address for is shown as it is.
            "     Get the code: FoldNet on GitHub (GitHub).\n");
}

TEST(FormatIssueTest, LeavesOutDetailsATextCopyLacks) {
  const std::string out = FormatIssue(TextIssue());
  EXPECT_THAT(out, Not(HasSubstr("Address:")));
  EXPECT_THAT(out, Not(HasSubstr("Published:")));
  EXPECT_THAT(out, Not(HasSubstr("<")));
  EXPECT_THAT(out, HasSubstr("\n     Read more: FoldNet (arXiv).\n"));
}

}  // namespace
}  // namespace importai::cli
