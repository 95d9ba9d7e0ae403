#include "newsletter/links.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace importai::newsletter {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

importai::v1::Link MustParse(absl::string_view line, bool* glued = nullptr) {
  std::optional<importai::v1::Link> link = ParseLinkLine(line, glued);
  EXPECT_TRUE(link.has_value()) << line;
  return link.value_or(importai::v1::Link());
}

TEST(ParseLinkLineTest, SplitsLeadTitleAndSource) {
  const importai::v1::Link link =
      MustParse("Read more: Robots: A Survey (Robot Journal, PDF).");
  EXPECT_EQ(link.text(), "Read more: Robots: A Survey (Robot Journal, PDF).");
  EXPECT_EQ(link.lead(), "Read more");
  EXPECT_EQ(link.title(), "Robots: A Survey");
  EXPECT_EQ(link.source(), "Robot Journal, PDF");
}

TEST(ParseLinkLineTest, KeepsNestedParenthesesInTheSource) {
  const importai::v1::Link link =
      MustParse("Read more: Bees (Hive Lab (archived))");
  EXPECT_EQ(link.title(), "Bees");
  EXPECT_EQ(link.source(), "Hive Lab (archived)");
}

TEST(ParseLinkLineTest, LineWithoutColonIsAllLead) {
  const importai::v1::Link link = MustParse("Try the demo here (Demo site).");
  EXPECT_EQ(link.lead(), "Try the demo here");
  EXPECT_EQ(link.title(), "");
  EXPECT_EQ(link.source(), "Demo site");
}

TEST(ParseLinkLineTest, LineWithoutSourcePointingHere) {
  const importai::v1::Link link = MustParse("Some chatter here on my blog.");
  EXPECT_EQ(link.lead(), "Some chatter here on my blog");
  EXPECT_EQ(link.source(), "");
}

TEST(ParseLinkLineTest, SplitsGluedReadMore) {
  bool glued = false;
  const importai::v1::Link link =
      MustParse("Read moreSwarm Planning: A Study (arXiv).", &glued);
  EXPECT_TRUE(glued);
  EXPECT_EQ(link.text(), "Read more: Swarm Planning: A Study (arXiv).");
  EXPECT_EQ(link.lead(), "Read more");
  EXPECT_EQ(link.title(), "Swarm Planning: A Study");
  EXPECT_EQ(link.source(), "arXiv");
}

TEST(ParseLinkLineTest, SplitsTitleGluedToHere) {
  const importai::v1::Link link = MustParse("Get the weights hereBeeNet (Hub)");
  EXPECT_EQ(link.lead(), "Get the weights here");
  EXPECT_EQ(link.title(), "BeeNet");
  EXPECT_EQ(link.source(), "Hub");
}

TEST(ParseLinkLineTest, RejectsBodySentences) {
  EXPECT_FALSE(ParseLinkLine("").has_value());
  EXPECT_FALSE(ParseLinkLine("We sure do live in strange times.").has_value());
  EXPECT_FALSE(ParseLinkLine("Results: it worked well.").has_value());
  EXPECT_FALSE(
      ParseLinkLine("This long sentence keeps going for a good while and then "
                    "ends with a citation of an older issue (Import AI #12).")
          .has_value());
  EXPECT_FALSE(
      ParseLinkLine("Why this matters \xE2\x80\x93 a: b (arXiv).").has_value());
  EXPECT_FALSE(ParseLinkLine("\xE2\x80\xA2 Read more: x (y)").has_value());
}

std::vector<Block> MakeLines(const std::vector<absl::string_view>& texts) {
  std::vector<Block> lines;
  int number = 10;
  for (absl::string_view text : texts) {
    Block& block = lines.emplace_back();
    block.text = std::string(text);
    block.number = number++;
  }
  return lines;
}

TEST(ExtractTrailingLinksTest, StopsAtTheFirstBodyLine) {
  const std::vector<Block> lines =
      MakeLines({"Body one.", "Read more: Not trailing (x).", "Body two.",
                 "Read more: A (arXiv).", "Get it here (GitHub)."});
  std::vector<std::string> warnings;
  const TrailingLinks links = ExtractTrailingLinks(lines, &warnings);
  EXPECT_EQ(links.first_line, 3u);
  ASSERT_EQ(links.links.size(), 2u);
  EXPECT_EQ(links.links[0].title(), "A");
  EXPECT_EQ(links.links[1].source(), "GitHub");
  EXPECT_THAT(warnings, IsEmpty());
}

TEST(ExtractTrailingLinksTest, JoinsAWrappedLinkLine) {
  const std::vector<Block> lines =
      MakeLines({"Body.", "More details", "on the site (Lab)."});
  std::vector<std::string> warnings;
  const TrailingLinks links = ExtractTrailingLinks(lines, &warnings);
  EXPECT_EQ(links.first_line, 1u);
  ASSERT_EQ(links.links.size(), 1u);
  EXPECT_EQ(links.links[0].text(), "More details on the site (Lab).");
  EXPECT_EQ(links.links[0].lead(), "More details on the site");
  EXPECT_THAT(warnings, ElementsAre(HasSubstr("line 11: link line wrapped")));
}

TEST(ExtractTrailingLinksTest, AllowsNoLinks) {
  const std::vector<Block> lines = MakeLines({"Just a body."});
  std::vector<std::string> warnings;
  const TrailingLinks links = ExtractTrailingLinks(lines, &warnings);
  EXPECT_EQ(links.first_line, 1u);
  EXPECT_THAT(links.links, IsEmpty());
}

}  // namespace
}  // namespace importai::newsletter
