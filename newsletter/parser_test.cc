#include "newsletter/parser.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace importai::newsletter {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::testing::StartsWith;

// An invented issue exercising every feature of the format.
constexpr char kFullIssue[] =
    "Import AI\n"
    "\n"
    "Import AI 700: Quantum bees; robot chess clocks; and the moon library\n"
    "\n"
    "by Rosa Example\n"
    "\n"
    "Welcome to Import AI, a newsletter about AI research. If you'd like to "
    "support this, please subscribe. A short note: I was on holiday.\n"
    "\n"
    "Subscribe now\n"
    "\n"
    "Bees teach a swarm model to navigate:\n"
    "\xE2\x80\xA6"
    "A hive-inspired planner beats the baseline\xE2\x80\xA6\n"
    "Researchers at an invented institute built SwarmNav, a planner that "
    "copies how bees share directions (Import AI #349).\n"
    "   What they did: They simulated 10,000 bees.\n"
    "  \xE2\x80\xA2 Speed: 3x faster.\n"
    "  \xE2\x80\xA2 Cost: 2x cheaper.\n"
    "\n"
    "Why this matters \xE2\x80\x93 swarms scale: Cheap agents add up.\n"
    "   Read more: SwarmNav: Planning Like a Hive (arXiv).\n"
    "\n"
    "***\n"
    "\n"
    "Chess clocks get a robot arm:\n"
    "\n"
    "\xE2\x80\xA6.A tiny arm presses the clock for you\xE2\x80\xA6\n"
    "\n"
    "An invented lab made a robot that presses chess clocks, following "
    "#Import AI 363.\n"
    "   Get the code here: ClockBot (GitHub).\n"
    "\n"
    "***\n"
    "\n"
    "Is the moon a good place for a library?\n"
    "...A thought experiment about cold storage...\n"
    "Someone proposes storing model weights on the moon, as in Import AI 380 "
    "and Import AI #349.\n"
    "   Read moreLunar Archives for Model Weights (Moon Journal).\n"
    "   More information\n"
    "at the project page (Lunar Project).\n"
    "\n"
    "***\n"
    "\n"
    "A note on corrections:\n"
    "Last week I misspelled a name; sorry.\n"
    "\n"
    "***\n"
    "\n"
    "Tech Tales:\n"
    "\n"
    "The Archivist\n"
    "[A lunar base, next century]\n"
    "\n"
    "The archivist counted the racks every morning.\n"
    "   Nobody asked it to.\n"
    "\n"
    "Things that inspired this story: Cold storage; the moon; habits.\n"
    "\n"
    "Thanks for reading!\n";

// A second, shorter invented issue whose tale has no "Tech Tales:" heading
// and no setting.
constexpr char kTaleWithoutHeading[] =
    "Import AI 701: Small news\n"
    "by Rosa Example\n"
    "Import AI publishes first on Substack \xE2\x80\x93 subscribe here.\n"
    "Tiny models win again:\n"
    "\xE2\x80\xA6Small is beautiful\xE2\x80\xA6\n"
    "A small model won a contest.\n"
    "   Read more: Small Wins (Contest site).\n"
    "***\n"
    "The Quiet Machine\n"
    "It hummed, and that was all.\n"
    "Things that inspired this story: Fans; silence.\n";

// The tests here are of the structure; the format is said, not detected.
absl::StatusOr<std::vector<ParsedIssue>> ParseText(absl::string_view text) {
  return ParseNewsletter(text, importai::v1::INPUT_FORMAT_TEXT);
}

// The status of the first copy of `text` that was rejected, or the call's.
absl::Status FirstRejection(absl::string_view text) {
  const auto parsed = ParseText(text);
  if (!parsed.ok()) return parsed.status();
  for (const ParsedIssue& copy : *parsed) {
    if (!copy.status.ok()) return copy.status;
  }
  return absl::OkStatus();
}

ParsedIssue ParseOne(absl::string_view text) {
  absl::StatusOr<std::vector<ParsedIssue>> parsed = ParseText(text);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  if (!parsed.ok() || parsed->size() != 1) {
    ADD_FAILURE() << "expected exactly one issue";
    return ParsedIssue();
  }
  return std::move(parsed->front());
}

TEST(ParseNewsletterTest, ParsesHeaderAuthorAndTopics) {
  const ParsedIssue parsed = ParseOne(kFullIssue);
  const importai::v1::Issue& issue = parsed.issue;
  EXPECT_EQ(parsed.line, 3);
  EXPECT_EQ(issue.name(), "issues/700");
  EXPECT_EQ(issue.number(), 700);
  EXPECT_EQ(issue.title(),
            "Quantum bees; robot chess clocks; and the moon library");
  EXPECT_THAT(issue.topics(), ElementsAre("Quantum bees", "robot chess clocks",
                                          "the moon library"));
  EXPECT_EQ(issue.author(), "Rosa Example");
  EXPECT_EQ(issue.section_count(), 4);
  EXPECT_EQ(issue.revision(), 0);
  EXPECT_FALSE(issue.has_create_time());
}

TEST(ParseNewsletterTest, DropsWelcomeBoilerplateButKeepsTheNote) {
  EXPECT_EQ(ParseOne(kFullIssue).issue.intro(),
            "A short note: I was on holiday.");
  EXPECT_EQ(ParseOne(kTaleWithoutHeading).issue.intro(), "");
}

TEST(ParseNewsletterTest, IntroIsEmptyWhenOnlyBoilerplate) {
  const ParsedIssue parsed = ParseOne(
      "Import AI 5: A\nby B\nWelcome to Import AI, a newsletter. Please "
      "subscribe.\nSubscribe now\nHeading:\nBody.\n");
  EXPECT_EQ(parsed.issue.intro(), "");
  EXPECT_EQ(parsed.issue.sections(0).title(), "Heading");
}

TEST(ParseNewsletterTest, ParsesSectionWithDekBulletsWhyAndLink) {
  const ParsedIssue parsed = ParseOne(kFullIssue);
  const importai::v1::Section& section = parsed.issue.sections(0);
  EXPECT_EQ(section.name(), "issues/700/sections/1");
  EXPECT_EQ(section.issue_number(), 700);
  EXPECT_EQ(section.ordinal(), 1);
  EXPECT_EQ(section.title(), "Bees teach a swarm model to navigate");
  EXPECT_EQ(section.summary(), "A hive-inspired planner beats the baseline");
  EXPECT_EQ(section.body(),
            "Researchers at an invented institute built SwarmNav, a planner "
            "that copies how bees share directions (Import AI #349).\n\n"
            "What they did: They simulated 10,000 bees.\n\n"
            "\xE2\x80\xA2 Speed: 3x faster.\n\n"
            "\xE2\x80\xA2 Cost: 2x cheaper.\n\n"
            "Why this matters \xE2\x80\x93 swarms scale: Cheap agents add up.");
  EXPECT_EQ(section.why_it_matters(),
            "Why this matters \xE2\x80\x93 swarms scale: Cheap agents add up.");
  ASSERT_THAT(section.links(), SizeIs(1));
  EXPECT_EQ(section.links(0).text(),
            "Read more: SwarmNav: Planning Like a Hive (arXiv).");
  EXPECT_EQ(section.links(0).lead(), "Read more");
  EXPECT_EQ(section.links(0).title(), "SwarmNav: Planning Like a Hive");
  EXPECT_EQ(section.links(0).source(), "arXiv");
  EXPECT_THAT(section.cited_issues(), ElementsAre(349));
}

TEST(ParseNewsletterTest, ParsesFourDotDekAfterBlankLine) {
  const ParsedIssue parsed = ParseOne(kFullIssue);
  const importai::v1::Section& section = parsed.issue.sections(1);
  EXPECT_EQ(section.title(), "Chess clocks get a robot arm");
  EXPECT_EQ(section.summary(), "A tiny arm presses the clock for you");
  EXPECT_THAT(section.body(), StartsWith("An invented lab made a robot"));
  EXPECT_EQ(section.why_it_matters(), "");
  ASSERT_THAT(section.links(), SizeIs(1));
  EXPECT_EQ(section.links(0).lead(), "Get the code here");
  EXPECT_EQ(section.links(0).title(), "ClockBot");
  EXPECT_EQ(section.links(0).source(), "GitHub");
  EXPECT_THAT(section.cited_issues(), ElementsAre(363));
}

TEST(ParseNewsletterTest, ParsesQuestionHeadingGluedAndWrappedLinks) {
  const ParsedIssue parsed = ParseOne(kFullIssue);
  const importai::v1::Section& section = parsed.issue.sections(2);
  EXPECT_EQ(section.title(), "Is the moon a good place for a library?");
  EXPECT_EQ(section.summary(), "A thought experiment about cold storage");
  EXPECT_EQ(section.body(),
            "Someone proposes storing model weights on the moon, as in Import "
            "AI 380 and Import AI #349.");
  ASSERT_THAT(section.links(), SizeIs(2));
  EXPECT_EQ(section.links(0).text(),
            "Read more: Lunar Archives for Model Weights (Moon Journal).");
  EXPECT_EQ(section.links(0).lead(), "Read more");
  EXPECT_EQ(section.links(0).title(), "Lunar Archives for Model Weights");
  EXPECT_EQ(section.links(0).source(), "Moon Journal");
  EXPECT_EQ(section.links(1).text(),
            "More information at the project page (Lunar Project).");
  EXPECT_EQ(section.links(1).lead(), "More information at the project page");
  EXPECT_EQ(section.links(1).title(), "");
  EXPECT_EQ(section.links(1).source(), "Lunar Project");
  EXPECT_THAT(section.cited_issues(), ElementsAre(349, 380));
  EXPECT_THAT(parsed.warnings,
              ElementsAre(HasSubstr("glued"), HasSubstr("wrapped")));
  EXPECT_THAT(parsed.warnings[0], StartsWith("line 35: "));
  EXPECT_THAT(parsed.warnings[1], StartsWith("line 36: "));
}

TEST(ParseNewsletterTest, ParsesSectionWithoutDekOrLinks) {
  const ParsedIssue parsed = ParseOne(kFullIssue);
  const importai::v1::Section& section = parsed.issue.sections(3);
  EXPECT_EQ(section.title(), "A note on corrections");
  EXPECT_EQ(section.summary(), "");
  EXPECT_EQ(section.body(), "Last week I misspelled a name; sorry.");
  EXPECT_THAT(section.links(), IsEmpty());
  EXPECT_THAT(section.cited_issues(), IsEmpty());
}

TEST(ParseNewsletterTest, ParsesTaleWithHeadingAndSetting) {
  const importai::v1::Issue issue = ParseOne(kFullIssue).issue;
  ASSERT_TRUE(issue.has_tale());
  EXPECT_EQ(issue.tale().name(), "issues/700/tale");
  EXPECT_EQ(issue.tale().issue_number(), 700);
  EXPECT_EQ(issue.tale().title(), "The Archivist");
  EXPECT_EQ(issue.tale().setting(), "A lunar base, next century");
  EXPECT_EQ(issue.tale().body(),
            "The archivist counted the racks every morning.\n\n"
            "Nobody asked it to.");
  EXPECT_THAT(issue.tale().inspirations(),
              ElementsAre("Cold storage", "the moon", "habits"));
}

TEST(ParseNewsletterTest, ParsesTaleWithoutHeadingOrSetting) {
  const ParsedIssue parsed = ParseOne(kTaleWithoutHeading);
  EXPECT_THAT(parsed.warnings,
              ElementsAre(StartsWith("line 9: tale \"The Quiet Machine\" has "
                                     "no \"Tech Tales\" heading")));
  ASSERT_EQ(parsed.issue.sections_size(), 1);
  ASSERT_TRUE(parsed.issue.has_tale());
  EXPECT_EQ(parsed.issue.tale().title(), "The Quiet Machine");
  EXPECT_EQ(parsed.issue.tale().setting(), "");
  EXPECT_EQ(parsed.issue.tale().body(), "It hummed, and that was all.");
  EXPECT_THAT(parsed.issue.tale().inspirations(),
              ElementsAre("Fans", "silence"));
}

TEST(ParseNewsletterTest, IssueWithoutTaleLeavesItUnset) {
  const ParsedIssue parsed =
      ParseOne("Import AI 9: Only news\nby A\nHeading:\nSome text.\n");
  EXPECT_FALSE(parsed.issue.has_tale());
  EXPECT_EQ(parsed.issue.section_count(), 1);
}

TEST(ParseNewsletterTest, HeaderIsNotACitation) {
  const ParsedIssue parsed =
      ParseOne("Import AI 380: Self\nby A\nHeading:\nText about bees.\n");
  EXPECT_THAT(parsed.issue.sections(0).cited_issues(), IsEmpty());
}

TEST(ParseNewsletterTest, FindsEveryIssueInInputOrder) {
  const std::string text = absl::StrCat(kTaleWithoutHeading, "\n", kFullIssue,
                                        "\n", kTaleWithoutHeading);
  absl::StatusOr<std::vector<ParsedIssue>> parsed = ParseText(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_THAT(*parsed, SizeIs(3));
  EXPECT_EQ((*parsed)[0].issue.number(), 701);
  EXPECT_EQ((*parsed)[1].issue.number(), 700);
  EXPECT_EQ((*parsed)[2].issue.number(), 701);
  EXPECT_EQ((*parsed)[0].line, 1);
  EXPECT_EQ((*parsed)[1].line, 15);
  EXPECT_EQ((*parsed)[0].issue.content_hash(),
            (*parsed)[2].issue.content_hash());
  EXPECT_NE((*parsed)[0].issue.content_hash(),
            (*parsed)[1].issue.content_hash());
  EXPECT_FALSE((*parsed)[1].issue.tale().title().empty());
}

// Whitespace variants of kFullIssue that must not change its content.
std::string WithNoBreakSpaces(absl::string_view text) {
  return absl::StrReplaceAll(
      text, {{"   ", "\xC2\xA0\xC2\xA0\xC2\xA0"}, {": ", ":\xC2\xA0"}});
}
std::string WithCrlf(absl::string_view text) {
  return absl::StrReplaceAll(text, {{"\n", "\r\n"}});
}
std::string WithTabsAndBlankLines(absl::string_view text) {
  return absl::StrReplaceAll(text, {{"   ", "\t"}, {"\n", "\n\n\n"}});
}
std::string WithTightBullets(absl::string_view text) {
  return absl::StrReplaceAll(text, {{"  \xE2\x80\xA2 ", "\xE2\x80\xA2"}});
}
std::string WithoutBlankLines(absl::string_view text) {
  return absl::StrReplaceAll(text, {{"\n\n", "\n"}});
}

TEST(ParseNewsletterTest, WhitespaceVariantsShareTheContentHash) {
  const ParsedIssue original = ParseOne(kFullIssue);
  ASSERT_EQ(original.issue.content_hash().size(), 64u);
  for (const std::string& variant :
       {WithNoBreakSpaces(kFullIssue), WithCrlf(kFullIssue),
        WithTabsAndBlankLines(kFullIssue), WithTightBullets(kFullIssue),
        WithoutBlankLines(kFullIssue)}) {
    const ParsedIssue parsed = ParseOne(variant);
    EXPECT_EQ(parsed.issue.content_hash(), original.issue.content_hash())
        << variant;
    EXPECT_EQ(parsed.issue.sections(0).body(),
              original.issue.sections(0).body());
  }
}

TEST(ParseNewsletterTest, GluedAndSpacedLinkLinesShareTheContentHash) {
  const std::string spaced = absl::StrReplaceAll(
      kFullIssue, {{"Read moreLunar", "Read more: Lunar"},
                   {"   More information\nat", "   More information at"}});
  EXPECT_EQ(ParseOne(spaced).issue.content_hash(),
            ParseOne(kFullIssue).issue.content_hash());
}

TEST(ParseNewsletterTest, ContentChangesChangeTheHash) {
  const std::string edited =
      absl::StrReplaceAll(kFullIssue, {{"10,000 bees", "20,000 bees"}});
  EXPECT_NE(ParseOne(edited).issue.content_hash(),
            ParseOne(kFullIssue).issue.content_hash());
}

TEST(ParseNewsletterErrorTest, TextWithoutIssueNamesLineOne) {
  for (absl::string_view text :
       {absl::string_view(""), absl::string_view("hello\nworld\n"),
        absl::string_view("Import AI\nImport AI 380 to be precise\n")}) {
    const auto parsed = ParseText(text);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(parsed.status().message(),
              "line 1: no issue header (\"Import AI N: title\") found");
  }
}

TEST(ParseNewsletterErrorTest, RejectsIssueNumberZero) {
  const absl::Status status =
      FirstRejection("\n\nImport AI 0: Nothing\nby A\nH:\nB\n");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              StartsWith("line 3: issue number 0"));
}

TEST(ParseNewsletterErrorTest, RejectsNegativeAndTooBigNumbers) {
  const absl::Status negative =
      FirstRejection("Import AI -4: Minus\nby A\nH:\nB\n");
  EXPECT_THAT(std::string(negative.message()),
              StartsWith("line 1: issue number -4"));
  const auto too_big = ParseText(
      "Import AI 1: Fine\nby A\nH:\nB\n"
      "Import AI 99999999999999999999999: Huge\nby A\nH:\nB\n");
  ASSERT_TRUE(too_big.ok()) << too_big.status();
  ASSERT_THAT(*too_big, SizeIs(2));
  EXPECT_TRUE((*too_big)[0].status.ok());  // one bad copy spoils no other
  const absl::Status status = (*too_big)[1].status;
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), StartsWith("line 5: issue number"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("too big"));
  EXPECT_EQ((*too_big)[1].line, 5);
  EXPECT_TRUE(
      FirstRejection("Import AI 2147483647: Max\nby A\nH:\nB\n").ok());
  EXPECT_FALSE(
      FirstRejection("Import AI 2147483648: Max\nby A\nH:\nB\n").ok());
}

TEST(ParseNewsletterErrorTest, RejectsHeaderWithoutTitle) {
  const absl::Status status =
      FirstRejection("Import AI 12:   \nby A\nH:\nB\n");
  EXPECT_THAT(std::string(status.message()),
              StartsWith("line 1: issue 12 has no title"));
}

TEST(ParseNewsletterErrorTest, RejectsIssueWithoutSections) {
  const auto parsed = ParseText("Import AI 12: Empty\nby A\n");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->front().issue.number(), 12);
  EXPECT_EQ(parsed->front().status.message(),
            "issue 12: no sections found (line 1)");
}

TEST(ParseNewsletterErrorTest, SectionErrorNamesIssueSectionAndLine) {
  const absl::Status status = FirstRejection(
      "Import AI 12: Broken\nby A\nFirst:\nText.\n***\nSecond:\n***\nThird:\n"
      "Text.\n");
  EXPECT_EQ(status.message(),
            "issue 12: section 2: heading \"Second:\" is followed by no text "
            "(line 6)");
}

TEST(ParseNewsletterWarningTest, NamesTheLineOfEachToleratedOddity) {
  const auto parsed = ParseText(
      "stray text\nImport AI 12: Odd\nFirst:\nText.\n***\n***\n"
      "Not a heading\nText.\n");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_THAT(parsed->front().warnings,
              ElementsAre(StartsWith("line 1: text before"),
                          StartsWith("line 2: no \"by AUTHOR\""),
                          StartsWith("line 5: empty section"),
                          StartsWith("line 7: section heading")));
  EXPECT_EQ(parsed->front().issue.section_count(), 2);
}

// Never crashes on garbage: every input yields issues or an error.
TEST(ParseNewsletterRobustnessTest, SurvivesGarbageAndBinaryInput) {
  std::vector<std::string> inputs = {
      std::string("\0\0\0\xFF\xFE\x80", 6),
      "Import AI 3:",
      "Import AI 3: x\n***\n***\n***",
      "Import AI 3: x\n\xE2\x80\xA6\n(\n)\n((((\n",
      "Import AI 3: x\nh:\n)))))))).\nRead more\n",
      "Import AI 3: x\nTech Tales:\n",
      "Import AI 3: x\nh?\nThings that inspired this story:\n",
      "Import AI 3: x\nh:\nb\nImport AI 4: y\nImport AI 5: z\n",
      std::string(100000, '*'),
      std::string(100000, '('),
      std::string(50000, '\n'),
  };
  uint32_t state = 12345;
  for (int round = 0; round < 200; ++round) {
    std::string random = "Import AI 77: fuzz\n";
    for (int i = 0; i < 400; ++i) {
      state = state * 1103515245 + 12345;
      constexpr char kAlphabet[] =
          "Import AI #:;.()[]\n\n*\xE2\x80\xA6\xC2\xA0"
          "Read more here Tech Tales";
      random.push_back(kAlphabet[(state >> 16) % (sizeof(kAlphabet) - 1)]);
    }
    inputs.push_back(random);
  }
  for (const std::string& input : inputs) {
    const auto parsed = ParseNewsletter(input);
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
      continue;
    }
    for (const ParsedIssue& issue : *parsed) {
      if (!issue.status.ok()) {
        EXPECT_EQ(issue.status.code(), absl::StatusCode::kInvalidArgument);
        EXPECT_TRUE(issue.issue.content_hash().empty());
        continue;
      }
      EXPECT_EQ(issue.issue.content_hash().size(), 64u);
      // Everything produced must be valid UTF-8 for proto3 string fields.
      std::string bytes;
      EXPECT_TRUE(issue.issue.SerializeToString(&bytes));
      importai::v1::Issue round_trip;
      EXPECT_TRUE(round_trip.ParseFromString(bytes));
    }
  }
}

}  // namespace
}  // namespace importai::newsletter
