#include "newsletter/markers.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace importai::newsletter {
namespace {

constexpr char kEllipsis[] = "\xE2\x80\xA6";

TEST(MarkersTest, RecognizesEverySeparatorSpelling) {
  for (const char* rule : {"***", "*****", "* * *", "**", "###", "#########",
                           "---", "- - -", "___", "====", "~~~~~~"}) {
    EXPECT_TRUE(IsSeparatorLine(rule)) << rule;
  }
  for (const char* text : {"*", "--", "==", "*With a footnote", "#1", "-*-",
                           "$$$", "** bold", "--- and more"}) {
    EXPECT_FALSE(IsSeparatorLine(text)) << text;
  }
}

TEST(MarkersTest, RecognizesBoilerplate) {
  EXPECT_TRUE(IsBoilerplateLine("Import AI"));
  EXPECT_TRUE(IsBoilerplateLine("Subscribe now"));
  EXPECT_TRUE(IsBoilerplateLine("Thanks for reading!"));
  EXPECT_TRUE(IsBoilerplateLine(
      "Import AI publishes first on Substack \xE2\x80\x93 subscribe here."));
  for (const char* chrome : {"Share", "Leave a comment", "Subscribe",
                             "share this post", "[1]", "2", "(3)"}) {
    EXPECT_TRUE(IsBoilerplateLine(chrome)) << chrome;
  }
  EXPECT_FALSE(IsBoilerplateLine("Share your thoughts on this."));
  EXPECT_FALSE(IsBoilerplateLine("[2024]"));
  EXPECT_FALSE(IsBoilerplateLine("Import AI 5: Title"));
  EXPECT_FALSE(IsBoilerplateLine("Subscribe now to our rival, said nobody."));
}

TEST(MarkersTest, StripsWelcomeUpToSubscribe) {
  EXPECT_EQ(StripWelcome("Welcome to Import AI. Please subscribe. Hi all."),
            "Hi all.");
  EXPECT_EQ(StripWelcome("Welcome to Import AI. Please subscribe."), "");
  EXPECT_EQ(StripWelcome("Welcome to Import AI, folks."), "");
}

TEST(MarkersTest, StripsEveryEllipsisSpelling) {
  const std::string dek = std::string(kEllipsis) + "Bees fly" + kEllipsis;
  EXPECT_TRUE(IsDek(dek));
  EXPECT_EQ(StripEllipses(dek), "Bees fly");
  EXPECT_EQ(StripEllipses(std::string(kEllipsis) + ".Bees fly" + kEllipsis),
            "Bees fly");
  EXPECT_EQ(StripEllipses("...Bees fly..."), "Bees fly");
  EXPECT_EQ(StripEllipses("...Bees fly etc."), "Bees fly etc.");
  EXPECT_FALSE(IsDek("Bees fly"));
}

TEST(MarkersTest, ParsesIssueHeaders) {
  IssueHeader header;
  ASSERT_TRUE(ParseIssueHeader("Import AI 42: Bees; clocks", &header));
  EXPECT_EQ(header.number, 42);
  EXPECT_EQ(header.number_text, "42");
  EXPECT_EQ(header.title, "Bees; clocks");
  ASSERT_TRUE(ParseIssueHeader("Import AI -3: x", &header));
  EXPECT_TRUE(header.negative);
  EXPECT_FALSE(ParseIssueHeader("Import AI 380 to be precise"));
  EXPECT_FALSE(ParseIssueHeader("Import AI #12: x"));
  EXPECT_FALSE(ParseIssueHeader("Import AI"));
  ASSERT_TRUE(
      ParseIssueHeader("Import AI 123456789012345678901234567890: x", &header));
  EXPECT_GT(header.number, int64_t{1} << 31);
}

TEST(MarkersTest, SplitsRunOnAndColonDeks) {
  const std::string ellipsis = kEllipsis;
  const std::string run_on = ellipsis + "Bees fly" + ellipsis + " Then more.";
  SplitDek dek = SplitDekLine(run_on);
  EXPECT_EQ(dek.summary, "Bees fly");
  EXPECT_EQ(dek.run_on, "Then more.");
  const std::string inner = ellipsis + "Bees fly, and... so on" + ellipsis;
  dek = SplitDekLine(inner);
  EXPECT_EQ(dek.summary, "Bees fly, and... so on");
  EXPECT_EQ(dek.run_on, "");
  const std::string colon = ellipsis + "Bees fly:";
  dek = SplitDekLine(colon);
  EXPECT_EQ(dek.summary, "Bees fly");
}

TEST(MarkersTest, RecognizesTaleHeadingsInAnyCase) {
  for (const char* heading : {"Tech Tales:", "Tech Tales", "TECH TALES:",
                              "Tech tales", "tech tales: The Title",
                              "Tech Tales \xE2\x80\x93 The Title"}) {
    EXPECT_TRUE(IsTechTalesHeading(heading)) << heading;
  }
  EXPECT_EQ(TechTalesInlineTitle("Tech tales: The Title"), "The Title");
  EXPECT_EQ(TechTalesInlineTitle("Tech Tales:"), "");
  EXPECT_FALSE(IsTechTalesHeading("Tech tales are fun to write."));
}

TEST(MarkersTest, RecognizesEveryInspirationsSpelling) {
  EXPECT_TRUE(IsInspirationsLine("Things that inspired this story: a; b."));
  EXPECT_TRUE(IsInspirationsLine("What inspired this story: a."));
  EXPECT_TRUE(IsInspirationsLine("Things that inspired this poem: a."));
  EXPECT_FALSE(IsInspirationsLine("Things that inspired this story and me."));
}

TEST(MarkersTest, ParsesEverySettingSpelling) {
  bool closed = false;
  EXPECT_EQ(ParseSetting("[Somewhere, someday]", &closed), "Somewhere, someday");
  EXPECT_TRUE(closed);
  EXPECT_EQ(ParseSetting("[The internet, 2030].", &closed), "The internet, 2030");
  EXPECT_EQ(ParseSetting("[The [old] net, 2030]", &closed), "The [old] net, 2030");
  EXPECT_EQ(ParseSetting("[A moon base, 2100[", &closed), "A moon base, 2100");
  EXPECT_TRUE(closed);
  EXPECT_EQ(ParseSetting("[Unclosed, 2040", &closed), "Unclosed, 2040");
  EXPECT_FALSE(closed);
}

TEST(MarkersTest, ExcerptsCutAtWordsAndCharacters) {
  EXPECT_EQ(Excerpt("short"), "short");
  const std::string words(70, 'a');
  EXPECT_EQ(Excerpt("one " + words), "one...");
  std::string dashes;
  for (int i = 0; i < 30; ++i) dashes += "\xE2\x80\x93";
  EXPECT_EQ(Excerpt(dashes), dashes.substr(0, 60) + "...");
}

}  // namespace
}  // namespace importai::newsletter
