#include "search/query.h"

#include <chrono>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "search/random_text_for_test.h"

namespace importai::search {

void PrintTo(const QueryClause& clause, std::ostream* os) {
  static constexpr const char* kKinds[] = {"Term", "Prefix", "Phrase"};
  *os << kKinds[static_cast<int>(clause.kind)] << "("
      << absl::StrJoin(clause.terms, " ") << ")";
}

namespace {

using ::importai::testing::IsOk;
using ::importai::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

QueryClause Term(std::string term) {
  return {QueryClause::Kind::kTerm, {std::move(term)}};
}
QueryClause Prefix(std::string prefix) {
  return {QueryClause::Kind::kPrefix, {std::move(prefix)}};
}
QueryClause Phrase(std::vector<std::string> terms) {
  return {QueryClause::Kind::kPhrase, std::move(terms)};
}

// The clauses of a query that must parse.
std::vector<QueryClause> Clauses(absl::string_view text) {
  absl::StatusOr<Query> query = ParseQuery(text);
  EXPECT_THAT(query, IsOk()) << text;
  return query.ok() ? query->clauses : std::vector<QueryClause>();
}

void ExpectError(absl::string_view text, absl::string_view message) {
  EXPECT_THAT(ParseQuery(text), StatusIs(absl::StatusCode::kInvalidArgument,
                                         std::string(message)))
      << text;
}

TEST(ParseQueryTest, WordsAreNormalizedTerms) {
  EXPECT_THAT(Clauses("Neural  Networks"),
              ElementsAre(Term("neural"), Term("networks")));
  EXPECT_THAT(Clauses("  Z\xC3\xBCrich\xC2\xA0robots\n"),
              ElementsAre(Term("zurich"), Term("robots")));
  EXPECT_THAT(Clauses("OpenAI\xE2\x80\x99s agents"),
              ElementsAre(Term("openai"), Term("agents")));
}

TEST(ParseQueryTest, WordWithSeveralTermsIsAPhrase) {
  EXPECT_THAT(Clauses("INTELLECT-1 GPT-4o"),
              ElementsAre(Phrase({"intellect", "1"}), Phrase({"gpt", "4o"})));
  EXPECT_THAT(Clauses("(robot-arm)"), ElementsAre(Phrase({"robot", "arm"})));
}

TEST(ParseQueryTest, QuotedPhrases) {
  EXPECT_THAT(
      Clauses("\"Large Language Models\" cost"),
      ElementsAre(Phrase({"large", "language", "models"}), Term("cost")));
  EXPECT_THAT(Clauses("\xE2\x80\x9Creward hacking\xE2\x80\x9D"),
              ElementsAre(Phrase({"reward", "hacking"})));
  EXPECT_THAT(Clauses("\xE2\x80\x9Copen weights\""),
              ElementsAre(Phrase({"open", "weights"})));
  EXPECT_THAT(Clauses("\"Robots\""), ElementsAre(Term("robots")));
  EXPECT_THAT(Clauses("\"GPT-4\""), ElementsAre(Phrase({"gpt", "4"})));
  // Quotes end words; empty or punctuation-only quotes add nothing.
  EXPECT_THAT(
      Clauses("small\"robot arms\"\"\" \"--\" fleet"),
      ElementsAre(Term("small"), Phrase({"robot", "arms"}), Term("fleet")));
}

TEST(ParseQueryTest, StarInsideQuotesSeparates) {
  EXPECT_THAT(Clauses("\"distrib* systems\""),
              ElementsAre(Phrase({"distrib", "systems"})));
  EXPECT_THAT(Clauses("\"*\" robots"), ElementsAre(Term("robots")));
}

TEST(ParseQueryTest, Prefixes) {
  EXPECT_THAT(Clauses("distrib* training"),
              ElementsAre(Prefix("distrib"), Term("training")));
  EXPECT_THAT(Clauses("(Robot*) Z\xC3\xBCr* ai** Google\xE2\x80\x99s*"),
              ElementsAre(Prefix("robot"), Prefix("zur"), Prefix("ai"),
                          Prefix("google")));
  // Only a star right after the last term makes a prefix.
  EXPECT_THAT(Clauses("*robots foo*bar"),
              ElementsAre(Term("robots"), Phrase({"foo", "bar"})));
}

TEST(ParseQueryTest, DropsDuplicateClauses) {
  EXPECT_THAT(Clauses("robots Robots ROBOTS robot* \"robots\" robot*"),
              ElementsAre(Term("robots"), Prefix("robot")));
  EXPECT_THAT(Clauses("GPT-4 \"gpt 4\" gpt 4"),
              ElementsAre(Phrase({"gpt", "4"}), Term("gpt"), Term("4")));
}

TEST(ParseQueryTest, SkipsWordsWithoutLettersOrDigits) {
  EXPECT_THAT(Clauses("robots - !!! arms \xE2\x80\xA2"),
              ElementsAre(Term("robots"), Term("arms")));
}

TEST(ParseQueryTest, EmptyQuery) {
  ExpectError("", "query: must not be empty");
  ExpectError(" \t\n\xC2\xA0 ", "query: must not be empty");
}

TEST(ParseQueryTest, NoSearchableWords) {
  ExpectError("!!!", "query: no searchable words in \"!!!\"");
  ExpectError("- \"\" ?", "query: no searchable words in \"- \\\"\\\" ?\"");
}

TEST(ParseQueryTest, LoneStar) {
  ExpectError("*",
              "query: \"*\" at position 1: a prefix needs at least 2 letters "
              "before '*'");
  ExpectError("robots -*",
              "query: \"-*\" at position 8: a prefix needs at least 2 letters "
              "before '*'");
}

TEST(ParseQueryTest, ShortPrefix) {
  ExpectError("robots a*",
              "query: prefix \"a*\" at position 8 is too short; a prefix "
              "needs at least 2 letters before '*'");
  // É folds to the single letter e.
  ExpectError("\xC3\x89*",
              "query: prefix \"\xC3\x89*\" at position 1 is too short; a "
              "prefix needs at least 2 letters before '*'");
}

TEST(ParseQueryTest, PrefixOfSeveralWords) {
  ExpectError("GPT-4*",
              "query: prefix \"GPT-4*\" at position 1 spans several words; "
              "put '*' after a single word");
}

TEST(ParseQueryTest, UnclosedQuote) {
  ExpectError("robots \"open weights", "query: unclosed quote at position 8");
  ExpectError("Z\xC3\xBCrich \xE2\x80\x9Cx",
              "query: unclosed quote at position 8");
  ExpectError("\"a\" \"b\" \"", "query: unclosed quote at position 9");
}

TEST(ParseQueryTest, TooManyClauses) {
  std::vector<std::string> words;
  for (int i = 0; i < 32; ++i) words.push_back(absl::StrCat("w", i));
  EXPECT_EQ(Clauses(absl::StrJoin(words, " ")).size(), 32u);
  words.push_back("w32");
  ExpectError(absl::StrJoin(words, " "),
              "query: 33 terms; at most 32 are allowed");
  // Repeats are one clause.
  std::vector<std::string> repeats(100, "robots");
  EXPECT_EQ(Clauses(absl::StrJoin(repeats, " ")).size(), 1u);
}

TEST(ParseQueryTest, TenThousandWordsFailFast) {
  std::vector<std::string> words;
  for (int i = 0; i < 10000; ++i) words.push_back(absl::StrCat("w", i));
  const std::string text = absl::StrJoin(words, " ");
  const auto start = std::chrono::steady_clock::now();
  ExpectError(text, "query: 10000 terms; at most 32 are allowed");
  ExpectError(std::string(20000, 'a').replace(1, 1, " ").replace(3, 1, " "),
              "query: 20000 bytes; at most 2048 are allowed");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

TEST(ParseQueryTest, TooLong) {
  ExpectError(std::string(kMaxQueryBytes + 1, 'a'),
              "query: 2049 bytes; at most 2048 are allowed");
  EXPECT_EQ(Clauses(std::string(kMaxQueryBytes, 'a')).size(), 1u);
}

TEST(ParseQueryTest, ArbitraryBytesNeverCrash) {
  for (const std::string& text :
       RandomTexts(7, 60, "ab*\"' \xE2\x80\x9C\x9D", 80)) {
    const absl::StatusOr<Query> query = ParseQuery(text);
    if (query.ok()) {
      EXPECT_FALSE(query->clauses.empty());
      for (const QueryClause& clause : query->clauses) {
        EXPECT_FALSE(clause.terms.empty());
      }
    } else {
      EXPECT_THAT(query, StatusIs(absl::StatusCode::kInvalidArgument,
                                  HasSubstr("query: ")));
    }
  }
}

}  // namespace
}  // namespace importai::search
