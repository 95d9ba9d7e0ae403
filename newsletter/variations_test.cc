// One original fixture per layout variation the newsletter has shown over the
// years (testdata/variations/), each parsed as plain text: every one must come
// out with the right structure, and whatever was inferred must be reported.

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "newsletter/parser.h"

namespace importai::newsletter {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

std::string ReadFixture(absl::string_view name) {
  const std::string path =
      absl::StrCat(IMPORTAI_NEWSLETTER_TESTDATA, "/variations/", name);
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

ParsedIssue ParseFixtureText(absl::string_view text) {
  absl::StatusOr<std::vector<ParsedIssue>> parsed =
      ParseNewsletter(text, v1::INPUT_FORMAT_TEXT);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  if (!parsed.ok() || parsed->size() != 1) {
    ADD_FAILURE() << "expected exactly one issue";
    return ParsedIssue();
  }
  EXPECT_TRUE(parsed->front().status.ok()) << parsed->front().status;
  return std::move(parsed->front());
}

ParsedIssue ParseFixture(absl::string_view name) {
  return ParseFixtureText(ReadFixture(name));
}

std::vector<std::string> SectionTitles(const v1::Issue& issue) {
  std::vector<std::string> titles;
  for (const v1::Section& section : issue.sections()) {
    titles.push_back(section.title());
  }
  return titles;
}

class SeparatorTest : public testing::TestWithParam<const char*> {};

TEST_P(SeparatorTest, SplitsSectionsAndTale) {
  const ParsedIssue parsed = ParseFixtureText(absl::StrReplaceAll(
      ReadFixture("separator_template.txt"), {{"{SEPARATOR}", GetParam()}}));
  EXPECT_THAT(SectionTitles(parsed.issue),
              ElementsAre("Robots learn to farm kelp",
                          "A compiler small enough to fit in a tweet"));
  EXPECT_EQ(parsed.issue.sections(1).links(0).title(), "TweetCC");
  EXPECT_EQ(parsed.issue.tale().title(), "The Lighthouse Keeper");
  EXPECT_EQ(parsed.issue.tale().setting(), "A rocky coast, 2061");
  EXPECT_THAT(parsed.warnings, IsEmpty());
}

INSTANTIATE_TEST_SUITE_P(EverySpelling, SeparatorTest,
                         testing::Values("***", "*****", "* * *", "**",
                                         "#####", "-----", "_____", "=====",
                                         "~~~~~", "###"));

TEST(VariationsTest, TaleWithoutSeparatorKeepsItsOwnTitle) {
  const ParsedIssue parsed = ParseFixture("no_separator_before_tale.txt");
  EXPECT_THAT(SectionTitles(parsed.issue),
              ElementsAre("Sensors that listen to bridges"));
  ASSERT_EQ(parsed.issue.sections(0).links_size(), 1);
  EXPECT_EQ(parsed.issue.tale().title(), "The Bridge That Sang");
  EXPECT_EQ(parsed.issue.tale().setting(), "A river city, 2044");
  EXPECT_THAT(parsed.warnings,
              ElementsAre(AllOf(StartsWith("line 10: no separator before"),
                                HasSubstr("tale starts here"))));
}

TEST(VariationsTest, TechTalesInAnyCaseIsNotTheTitle) {
  const ParsedIssue parsed = ParseFixture("tech_tales_lowercase.txt");
  EXPECT_EQ(parsed.issue.tale().title(), "The Gardener");
  EXPECT_EQ(parsed.issue.tale().setting(), "A greenhouse on Mars, 2090");
  EXPECT_THAT(parsed.issue.tale().inspirations(),
              ElementsAre("Moss", "patience", "clocks"));
}

TEST(VariationsTest, TitleOnTheHeadingLine) {
  const ParsedIssue parsed = ParseFixture("tech_tales_same_line.txt");
  EXPECT_EQ(parsed.issue.tale().title(), "The Long Glide");
  EXPECT_EQ(parsed.issue.tale().setting(), "An office, a Friday afternoon");
  EXPECT_THAT(parsed.issue.tale().inspirations(),
              ElementsAre("Offices", "gliders"));
}

TEST(VariationsTest, TaleWithoutHeadingFoundByItsSetting) {
  const ParsedIssue parsed = ParseFixture("tale_without_heading.txt");
  EXPECT_THAT(SectionTitles(parsed.issue),
              ElementsAre("Mapping salt flats from orbit"));
  EXPECT_EQ(parsed.issue.tale().title(), "Crust");
  EXPECT_EQ(parsed.issue.tale().setting(),
            "A salt flat, the dry season of 2039");
  EXPECT_THAT(parsed.warnings,
              Contains(AllOf(StartsWith("line 11: tale \"Crust\""),
                             HasSubstr("bracketed setting"))));
}

struct TaleSpelling {
  const char* title_line;
  const char* setting_line;
  const char* closing;
  const char* title;
  const char* setting;
};

class TaleSpellingTest : public testing::TestWithParam<TaleSpelling> {};

TEST_P(TaleSpellingTest, ParsesTitleSettingAndInspirations) {
  const TaleSpelling& spelling = GetParam();
  const ParsedIssue parsed = ParseFixtureText(absl::StrReplaceAll(
      ReadFixture("setting_template.txt"),
      {{"{TITLE}", spelling.title_line},
       {"{SETTING}", spelling.setting_line},
       {"{CLOSING}", spelling.closing}}));
  EXPECT_EQ(parsed.issue.tale().title(), spelling.title);
  EXPECT_EQ(parsed.issue.tale().setting(), spelling.setting);
  EXPECT_EQ(parsed.issue.tale().body(),
            "The potter asked the kiln how it felt and the kiln said hot.");
  EXPECT_THAT(parsed.issue.tale().inspirations(),
              ElementsAre("Clay", "fire", "questions"));
}

INSTANTIATE_TEST_SUITE_P(
    EverySpelling, TaleSpellingTest,
    testing::Values(
        TaleSpelling{"The Kiln", "[A pottery, 2033]",
                     "Things that inspired this story:", "The Kiln",
                     "A pottery, 2033"},
        TaleSpelling{"The Kiln", "[A pottery, 2033].",
                     "What inspired this story:", "The Kiln",
                     "A pottery, 2033"},
        TaleSpelling{"\xE2\x80\x9CThe Kiln\xE2\x80\x9D",
                     "[A pottery [the old one], 2033]",
                     "Things that inspired this poem:", "The Kiln",
                     "A pottery [the old one], 2033"},
        TaleSpelling{"The Kiln:", "[A pottery, 2033[",
                     "Things that inspired this story:", "The Kiln",
                     "A pottery, 2033"},
        TaleSpelling{"*The Kiln*", "[A pottery, 2033",
                     "Things that inspired this story:", "The Kiln",
                     "A pottery, 2033"},
        TaleSpelling{"\"The Kiln\"", "", "Things that inspired this story:",
                     "The Kiln", ""}));

TEST(VariationsTest, HeadingsWithoutColonsAreFoundByTheirDeks) {
  const ParsedIssue parsed = ParseFixture("heading_without_colon.txt");
  EXPECT_THAT(SectionTitles(parsed.issue),
              ElementsAre("Weather models that forecast the next hour of rain",
                          "Did the bees really learn to count?",
                          "Drones deliver library books!"));
  EXPECT_EQ(parsed.issue.sections(0).summary(),
            "Nowcasting gets a transformer");
  EXPECT_EQ(parsed.issue.intro(), "");
  EXPECT_THAT(parsed.warnings, IsEmpty());
}

TEST(VariationsTest, HeadingsWithDeksStartSectionsWithoutSeparators) {
  const ParsedIssue parsed = ParseFixture("missing_separators.txt");
  EXPECT_THAT(SectionTitles(parsed.issue),
              ElementsAre("Tiny satellites learn to dock",
                          "Robot dogs climb ladders!",
                          "Maps drawn by language models",
                          "Could a model run a lighthouse?"));
  EXPECT_EQ(parsed.issue.sections(0).links_size(), 1);
  EXPECT_EQ(parsed.issue.sections(2).summary(),
            "Asked for directions, a model drew a map");
  EXPECT_THAT(parsed.warnings,
              ElementsAre(StartsWith("line 9: no separator before section "
                                     "heading \"Robot dogs"),
                          StartsWith("line 12: no separator before section "
                                     "heading \"Maps drawn")));
}

TEST(VariationsTest, DeksOfEveryKind) {
  const ParsedIssue parsed = ParseFixture("dek_variants.txt");
  ASSERT_EQ(parsed.issue.sections_size(), 4);
  const auto& sections = parsed.issue.sections();
  EXPECT_EQ(sections[0].summary(), "A model of every crevasse, updated daily");
  EXPECT_THAT(sections[0].body(), StartsWith("Scientists built"));
  EXPECT_EQ(sections[1].summary(),
            "Colonies solve routing problems faster than some heuristics");
  EXPECT_THAT(sections[1].body(), StartsWith("Researchers compared"));
  EXPECT_EQ(sections[2].summary(), "Night recordings reveal owl dialects");
  EXPECT_EQ(sections[2].body(),
            "A conservation group recorded owls for a year and found "
            "regional accents.\n\nThey plan to publish the recordings.");
  EXPECT_EQ(sections[3].summary(), "");
  EXPECT_THAT(sections[3].body(), StartsWith("Nothing much happened"));
  EXPECT_THAT(parsed.warnings,
              ElementsAre(AllOf(StartsWith("line 20: "),
                                HasSubstr("after the dek"))));
}

TEST(VariationsTest, SubItemsStayInTheirSection) {
  const ParsedIssue parsed = ParseFixture("sub_items.txt");
  EXPECT_THAT(SectionTitles(parsed.issue),
              ElementsAre("Three things from the conference floor",
                          "A single story after the roundup"));
  EXPECT_THAT(parsed.issue.sections(0).body(),
              AllOf(HasSubstr("Weather on a laptop:"),
                    HasSubstr("Robots that knit:"),
                    HasSubstr("Chess for ants:")));
  EXPECT_EQ(parsed.issue.sections(0).links_size(), 1);
}

TEST(VariationsTest, LinkLinesAndSentencesThatOnlyLookLikeThem) {
  const ParsedIssue parsed = ParseFixture("link_lines.txt");
  ASSERT_EQ(parsed.issue.sections_size(), 2);
  const v1::Section& telescopes = parsed.issue.sections(0);
  ASSERT_EQ(telescopes.links_size(), 5);
  EXPECT_EQ(telescopes.links(0).lead(), "Read the paper");
  EXPECT_EQ(telescopes.links(1).lead(), "Check out the archive here");
  EXPECT_EQ(telescopes.links(2).title(), "Glass Sky");
  EXPECT_EQ(telescopes.links(3).source(), "GitHub");
  EXPECT_EQ(telescopes.links(4).lead(), "Read more");
  EXPECT_THAT(telescopes.body(),
              AllOf(HasSubstr("The archive is big (really big)."),
                    HasSubstr("It is available here (Observatory).")));
  const v1::Section& receipts = parsed.issue.sections(1);
  EXPECT_THAT(receipts.links(), IsEmpty());
  EXPECT_THAT(receipts.body(),
              HasSubstr("The results surprised everyone (Startup blog)."));
}

TEST(VariationsTest, HardWrappedParagraphsAreRejoined) {
  const ParsedIssue parsed = ParseFixture("hard_wrapped.txt");
  EXPECT_EQ(parsed.issue.intro(),
            "This week's issue arrives as a plain email, wrapped at "
            "seventy-two columns like in the old days.");
  ASSERT_EQ(parsed.issue.sections_size(), 1);
  const v1::Section& section = parsed.issue.sections(0);
  EXPECT_EQ(section.title(), "Clocks that run on tides");
  EXPECT_EQ(section.summary(),
            "A model learns to keep time from the sea, with an error of a few "
            "seconds a day");
  EXPECT_THAT(section.body(),
              AllOf(StartsWith("Engineers at an invented harbour lab"),
                    HasSubstr("pendulum. The clock drifted")));
  EXPECT_EQ(section.why_it_matters(),
            "Why this matters \xE2\x80\x93 odd clocks teach us about time: If "
            "you can keep time with water, you can keep time with anything "
            "that repeats.");
  ASSERT_EQ(section.links_size(), 1);
  EXPECT_EQ(section.links(0).title(),
            "Tidal Timekeeping with Learned Models");
  EXPECT_EQ(parsed.issue.tale().body(),
            "Nobody in town wore a watch any more. They looked at the "
            "harbour, where the clock sat on a post in the water and told "
            "the hour by the height of the waves.");
}

TEST(VariationsTest, WebChromeIsDropped) {
  const ParsedIssue parsed = ParseFixture("web_chrome.txt");
  EXPECT_EQ(parsed.issue.intro(), "");
  ASSERT_EQ(parsed.issue.sections_size(), 1);
  EXPECT_EQ(parsed.issue.sections(0).body(),
            "Researchers counted penguin colonies from orbit by the colour "
            "of the ice.");
  EXPECT_EQ(parsed.issue.sections(0).links_size(), 1);
  EXPECT_EQ(parsed.issue.tale().body(),
            "It counted penguins until it dreamed of them.");
  EXPECT_THAT(parsed.warnings,
              ElementsAre(HasSubstr("text after the tale's inspirations")));
}

}  // namespace
}  // namespace importai::newsletter
