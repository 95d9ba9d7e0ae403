#include "newsletter/markers.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace importai::newsletter {
namespace {

constexpr char kEllipsis[] = "\xE2\x80\xA6";

TEST(MarkersTest, RecognizesSeparators) {
  EXPECT_TRUE(IsSectionSeparator("***"));
  EXPECT_TRUE(IsSectionSeparator("* * *"));
  EXPECT_FALSE(IsSectionSeparator("**"));
  EXPECT_FALSE(IsSectionSeparator("*With a footnote"));
}

TEST(MarkersTest, RecognizesBoilerplate) {
  EXPECT_TRUE(IsBoilerplateLine("Import AI"));
  EXPECT_TRUE(IsBoilerplateLine("Subscribe now"));
  EXPECT_TRUE(IsBoilerplateLine("Thanks for reading!"));
  EXPECT_TRUE(IsBoilerplateLine(
      "Import AI publishes first on Substack \xE2\x80\x93 subscribe here."));
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

TEST(MarkersTest, RecognizesTaleParts) {
  EXPECT_TRUE(IsTechTalesHeading("Tech Tales:"));
  EXPECT_TRUE(IsInspirationsLine("Things that inspired this story: a; b."));
  EXPECT_TRUE(IsBracketed("[Somewhere, someday]"));
  EXPECT_FALSE(IsBracketed("[Unclosed"));
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
