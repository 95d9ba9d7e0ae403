#include "newsletter/text.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace importai::newsletter {
namespace {

constexpr char kNoBreakSpace[] = "\xC2\xA0";
constexpr char kBullet[] = "\xE2\x80\xA2";

TEST(NormalizeWhitespaceTest, FoldsEveryKindOfWhitespace) {
  EXPECT_EQ(NormalizeWhitespace("  a \t b\r\n"), "a b");
  EXPECT_EQ(NormalizeWhitespace(std::string("a") + kNoBreakSpace + " " +
                                kNoBreakSpace + "b" + kNoBreakSpace),
            "a b");
  EXPECT_EQ(NormalizeWhitespace("a\xE2\x80\x89"
                                "b\xE3\x80\x80"
                                "c"),
            "a b c");
  EXPECT_EQ(NormalizeWhitespace("\xEF\xBB\xBFtext"), "text");
  EXPECT_EQ(NormalizeWhitespace(""), "");
  EXPECT_EQ(NormalizeWhitespace(" \t "), "");
}

TEST(NormalizeWhitespaceTest, KeepsOtherCharacters) {
  EXPECT_EQ(NormalizeWhitespace("caf\xC3\xA9 \xE2\x80\x93 ok\xE2\x80\xA6"),
            "caf\xC3\xA9 \xE2\x80\x93 ok\xE2\x80\xA6");
}

TEST(NormalizeWhitespaceTest, GivesLeadingBulletOneSpace) {
  EXPECT_EQ(NormalizeWhitespace(std::string("  ") + kBullet + "Item"),
            std::string(kBullet) + " Item");
  EXPECT_EQ(
      NormalizeWhitespace(std::string(kBullet) + kNoBreakSpace + "  Item"),
      std::string(kBullet) + " Item");
  EXPECT_EQ(NormalizeWhitespace(kBullet), kBullet);
}

TEST(NormalizeWhitespaceTest, ReplacesInvalidUtf8) {
  EXPECT_EQ(NormalizeWhitespace("a\xFF"
                                "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(NormalizeWhitespace("\xE2\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(NormalizeWhitespace("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(NormalizeWhitespace("\xED\xA0\x80"),
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(NormalizedTextTest, DropsBlankLinesAndKeepsLineNumbers) {
  const NormalizedText text("first\r\n\r\n \xC2\xA0\n\tsecond  line\nthird");
  ASSERT_EQ(text.lines().size(), 3u);
  EXPECT_EQ(text.lines()[0].text, "first");
  EXPECT_EQ(text.lines()[0].number, 1);
  EXPECT_EQ(text.lines()[1].text, "second line");
  EXPECT_EQ(text.lines()[1].number, 4);
  EXPECT_EQ(text.lines()[2].text, "third");
  EXPECT_EQ(text.lines()[2].number, 5);
  EXPECT_EQ(text.last_line_number(), 5);
}

TEST(WordsTest, CountsAndFindsWords) {
  EXPECT_EQ(CountWords(""), 0);
  EXPECT_EQ(CountWords("one"), 1);
  EXPECT_EQ(CountWords("one two three"), 3);
  EXPECT_TRUE(ContainsWord("get it here (site)", "here"));
  EXPECT_TRUE(ContainsWord("here", "here"));
  EXPECT_FALSE(ContainsWord("there and where", "here"));
  EXPECT_FALSE(ContainsWord("heresy", "here"));
}

}  // namespace
}  // namespace importai::newsletter
