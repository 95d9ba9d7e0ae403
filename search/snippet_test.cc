#include "search/snippet.h"

#include <random>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "search/random_text_for_test.h"
#include "search/utf8.h"

namespace importai::search {
namespace {

// "w0 w1 ... w{n-1}".
std::string NumberedWords(int n) {
  std::vector<std::string> words;
  for (int i = 0; i < n; ++i) words.push_back(absl::StrCat("w", i));
  return absl::StrJoin(words, " ");
}

std::string Snippet(absl::string_view text,
                    const absl::flat_hash_set<std::string>& terms,
                    int max_words = 32) {
  return MakeSnippet(
      text, [&terms](absl::string_view term) { return terms.contains(term); },
      max_words);
}

constexpr char kRobotText[] =
    "The lab trained a small robot arm to fold towels, and the robot "
    "learned faster when it watched people first. Later, the team tried "
    "socks.";

TEST(MakeSnippetTest, MarksEveryMatchInShortText) {
  EXPECT_EQ(Snippet(kRobotText, {"robot"}),
            "The lab trained a small **robot** arm to fold towels, and the "
            "**robot** learned faster when it watched people first. Later, the "
            "team tried socks.");
}

TEST(MakeSnippetTest, MatchingUsesNormalizedTermsAndKeepsSpelling) {
  EXPECT_EQ(Snippet("A caf\xC3\xA9 in Z\xC3\xBCrich sells Google\xE2\x80\x99s "
                    "robots.",
                    {"cafe", "zurich", "google"}),
            "A **caf\xC3\xA9** in **Z\xC3\xBCrich** sells "
            "**Google\xE2\x80\x99s** robots.");
}

TEST(MakeSnippetTest, CentresTheWindowOnTheMatch) {
  const std::string text = NumberedWords(50);
  EXPECT_EQ(Snippet(text, {"w40"}, 10),
            "\xE2\x80\xA6w36 w37 w38 w39 **w40** w41 w42 w43 w44 "
            "w45\xE2\x80\xA6");
  EXPECT_EQ(Snippet(text, {"w48"}, 10),
            "\xE2\x80\xA6w40 w41 w42 w43 w44 w45 w46 w47 **w48** w49");
  EXPECT_EQ(Snippet(text, {"w1"}, 10),
            "w0 **w1** w2 w3 w4 w5 w6 w7 w8 w9\xE2\x80\xA6");
}

TEST(MakeSnippetTest, PicksTheDensestCluster) {
  const std::string text = NumberedWords(60);
  EXPECT_EQ(Snippet(text, {"w5", "w30", "w32", "w34"}, 10),
            "\xE2\x80\xA6w28 w29 **w30** w31 **w32** w33 **w34** w35 w36 "
            "w37\xE2\x80\xA6");
  // On a tie the earliest cluster wins.
  EXPECT_EQ(Snippet(text, {"w20", "w50"}, 5),
            "\xE2\x80\xA6w18 w19 **w20** w21 w22\xE2\x80\xA6");
}

TEST(MakeSnippetTest, NoMatchGivesTheOpening) {
  EXPECT_EQ(Snippet(kRobotText, {"drone"}, 6),
            "The lab trained a small robot\xE2\x80\xA6");
  EXPECT_EQ(Snippet("Only four words here.", {}, 6), "Only four words here.");
}

TEST(MakeSnippetTest, CutsAtWordBoundariesAndDropsCutPunctuation) {
  EXPECT_EQ(Snippet(kRobotText, {"watched"}, 5),
            "\xE2\x80\xA6when it **watched** people first\xE2\x80\xA6");
  EXPECT_EQ(Snippet(kRobotText, {"socks"}, 3),
            "\xE2\x80\xA6team tried **socks**.");
}

TEST(MakeSnippetTest, CollapsesWhitespace) {
  EXPECT_EQ(Snippet("  Robots\n\n  fold\xC2\xA0laundry,\t\r\n now. \n", {}),
            "Robots fold laundry, now.");
  EXPECT_EQ(Snippet("\xE2\x80\x9CRobots,\xE2\x80\x9D she said \xE2\x80\x94 "
                    "quietly.",
                    {"said"}),
            "\xE2\x80\x9CRobots,\xE2\x80\x9D she **said** \xE2\x80\x94 "
            "quietly.");
  EXPECT_EQ(Snippet("a\x01"
                    "b",
                    {"b"}),
            "a **b**");
}

TEST(MakeSnippetTest, AdjacentMatchesShareOneMark) {
  const char text[] = "We tested GPT-4 and INTELLECT-1 today.";
  EXPECT_EQ(Snippet(text, {"gpt", "4"}),
            "We tested **GPT-4** and INTELLECT-1 today.");
  EXPECT_EQ(Snippet(text, {"gpt"}),
            "We tested **GPT**-4 and INTELLECT-1 today.");
  EXPECT_EQ(Snippet(text, {"tested", "gpt"}),
            "We **tested** **GPT**-4 and INTELLECT-1 today.");
}

TEST(MakeSnippetTest, EdgeCases) {
  EXPECT_EQ(Snippet("", {"x"}), "");
  EXPECT_EQ(Snippet(" \n\t ", {"x"}), "");
  EXPECT_EQ(Snippet("\xE2\x80\x94  !!", {"x"}), "\xE2\x80\x94 !!");
  EXPECT_EQ(Snippet("one two three", {"two"}, 0),
            "\xE2\x80\xA6**two**\xE2\x80\xA6");
  EXPECT_EQ(Snippet("robots \xFF arms", {}), "robots \xEF\xBF\xBD arms");
}

TEST(MakeSnippetTest, ArbitraryBytesGiveValidUtf8) {
  for (const std::string& text :
       RandomTexts(3, 120, "ab '\n\xC2\xA0\xE2\x80\xA6", 100)) {
    const std::string snippet = MakeSnippet(
        text, [](absl::string_view term) { return term.size() == 1; }, 7);
    for (size_t pos = 0; pos < snippet.size();) {
      const Utf8Char c = DecodeUtf8(snippet, pos);
      ASSERT_TRUE(c.valid) << absl::CHexEscape(snippet);
      pos += c.length;
    }
  }
}

}  // namespace
}  // namespace importai::search
