#include "search/filter.h"

#include <cstdint>
#include <limits>
#include <ostream>
#include <random>
#include <string>

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace importai::search {

void PrintTo(const Filter& filter, std::ostream* os) {
  *os << "{issue " << filter.min_issue << ".." << filter.max_issue << ", kind "
      << static_cast<int>(filter.kind) << ", source \"" << filter.source
      << "\"}";
}

namespace {

using ::importai::testing::IsOk;
using ::importai::testing::StatusIs;
using ::testing::HasSubstr;

constexpr int32_t kMaxInt = std::numeric_limits<int32_t>::max();

Filter Parsed(absl::string_view text) {
  absl::StatusOr<Filter> filter = ParseFilter(text);
  EXPECT_THAT(filter, IsOk()) << text;
  return filter.ok() ? *filter : Filter();
}

Filter Issues(int32_t min, int32_t max) {
  Filter filter;
  filter.min_issue = min;
  filter.max_issue = max;
  return filter;
}

Filter OfKind(Filter::Kind kind) {
  Filter filter;
  filter.kind = kind;
  return filter;
}

Filter FromSource(std::string source) {
  Filter filter;
  filter.source = std::move(source);
  return filter;
}

void ExpectError(absl::string_view text, absl::string_view message) {
  EXPECT_THAT(ParseFilter(text), StatusIs(absl::StatusCode::kInvalidArgument,
                                          std::string(message)))
      << text;
}

TEST(ParseFilterTest, BlankIsTheDefault) {
  EXPECT_EQ(Parsed(""), Filter());
  EXPECT_EQ(Parsed(" \t\n"), Filter());
  EXPECT_EQ(Filter(), Issues(1, kMaxInt));
}

TEST(ParseFilterTest, IssueOperators) {
  EXPECT_EQ(Parsed("issue = 383"), Issues(383, 383));
  EXPECT_EQ(Parsed("issue >= 383"), Issues(383, kMaxInt));
  EXPECT_EQ(Parsed("issue > 383"), Issues(384, kMaxInt));
  EXPECT_EQ(Parsed("issue <= 383"), Issues(1, 383));
  EXPECT_EQ(Parsed("issue < 383"), Issues(1, 382));
  EXPECT_EQ(Parsed("issue>=383"), Issues(383, kMaxInt));
  EXPECT_EQ(Parsed("  issue<383  "), Issues(1, 382));
  EXPECT_EQ(Parsed("issue >= -5"), Issues(1, kMaxInt));
  EXPECT_EQ(Parsed("issue <= 2147483647"), Issues(1, kMaxInt));
}

TEST(ParseFilterTest, BoundsIntersect) {
  EXPECT_EQ(Parsed("issue >= 380 AND issue < 385"), Issues(380, 384));
  EXPECT_EQ(Parsed("issue>=380 issue<385 issue>381"), Issues(382, 384));
  EXPECT_EQ(Parsed("issue = 383 AND issue >= 300"), Issues(383, 383));
}

TEST(ParseFilterTest, EmptyRangesMatchNothing) {
  EXPECT_EQ(Parsed("issue > 10 AND issue < 5"), Issues(11, 4));
  EXPECT_EQ(Parsed("issue = 0"), Issues(1, 0));
  EXPECT_EQ(Parsed("issue < -2147483648"),
            Issues(1, std::numeric_limits<int32_t>::min()));
  EXPECT_EQ(Parsed("issue > 2147483647"), Issues(kMaxInt, kMaxInt - 1));
}

TEST(ParseFilterTest, Kind) {
  EXPECT_EQ(Parsed("kind = section"), OfKind(Filter::Kind::kSection));
  EXPECT_EQ(Parsed("kind=\"tale\""), OfKind(Filter::Kind::kTale));
  EXPECT_EQ(Parsed("kind = 'Tale'"), OfKind(Filter::Kind::kTale));
  EXPECT_EQ(Parsed("kind = tale AND kind = tale"), OfKind(Filter::Kind::kTale));
}

TEST(ParseFilterTest, Source) {
  EXPECT_EQ(Parsed("source = \"Import AI\""), FromSource("import ai"));
  EXPECT_EQ(Parsed("source=arXiv"), FromSource("arxiv"));
  EXPECT_EQ(Parsed("source = 'Z\xC3\xBCrich Times'"),
            FromSource("zurich times"));
  EXPECT_EQ(Parsed("source = \"say \\\"hi\\\" \\\\ now\""),
            FromSource("say hi now"));
  EXPECT_EQ(Parsed("source = arxiv.org"), FromSource("arxiv org"));
  EXPECT_EQ(Parsed("source = arXiv AND source = \"ARXIV\""),
            FromSource("arxiv"));
}

TEST(ParseFilterTest, Combinations) {
  Filter expected = Issues(383, 387);
  expected.kind = Filter::Kind::kSection;
  expected.source = "arxiv";
  EXPECT_EQ(Parsed("issue >= 383 AND issue <= 387 AND kind = section AND "
                   "source = \"arXiv\""),
            expected);
  EXPECT_EQ(Parsed("issue>=383 issue<=387 kind=section source=arXiv"),
            expected);
  EXPECT_EQ(Parsed("source=arXiv and kind=\"section\"\tAND issue<=387\n"
                   "issue>=383"),
            expected);
}

TEST(ParseFilterTest, UnknownField) {
  ExpectError("foo = 1",
              "filter: position 1: unknown field \"foo\"; expected issue, "
              "kind or source");
  ExpectError("kind = tale Issue = 3",
              "filter: position 13: unknown field \"Issue\"; expected issue, "
              "kind or source");
}

TEST(ParseFilterTest, MissingOrBadNumber) {
  ExpectError("issue >= x",
              "filter: position 10: expected a number after \"issue >=\"");
  ExpectError("issue >=",
              "filter: position 9: expected a number after \"issue >=\"");
  ExpectError("issue = \"5\"",
              "filter: position 9: expected a number after \"issue =\"");
  ExpectError("issue < 3.5",
              "filter: position 9: expected a number after \"issue <\"");
  ExpectError("issue=3kind=tale",
              "filter: position 7: expected a number after \"issue =\"");
}

TEST(ParseFilterTest, NumberOutOfRange) {
  ExpectError("issue = 99999999999",
              "filter: position 9: 99999999999 is out of range for issue");
  ExpectError("issue > 2147483648",
              "filter: position 9: 2147483648 is out of range for issue");
  ExpectError("issue > -2147483649",
              "filter: position 9: -2147483649 is out of range for issue");
  ExpectError("issue > 123456789012345678901234567890",
              "filter: position 9: 123456789012345678901234567890 is out of "
              "range for issue");
}

TEST(ParseFilterTest, LongInputIsRefusedOrQuotedShort) {
  const std::string too_long(kMaxFilterBytes + 1, ' ');
  ExpectError(too_long, "filter: 1025 bytes; at most 1024 are allowed");
  // Under the limit, what a message quotes of a long token is a prefix.
  for (const std::string& filter :
       {std::string(1000, 'f') + " = 1", "issue = " + std::string(1000, '9')}) {
    const absl::Status status = ParseFilter(filter).status();
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_LT(status.message().size(), 200u) << status.message();
  }
}

TEST(ParseFilterTest, UnsupportedOperators) {
  ExpectError("kind > tale", "filter: position 6: kind supports only =");
  ExpectError("source != arXiv", "filter: position 8: source supports only =");
  ExpectError("issue != 5",
              "filter: position 7: issue supports only =, <, <=, > and >=");
  ExpectError("issue : 5",
              "filter: position 7: issue supports only =, <, <=, > and >=");
  ExpectError("issue",
              "filter: position 6: expected an operator after "
              "\"issue\"");
  ExpectError("issue 5",
              "filter: position 7: expected an operator after "
              "\"issue\"");
  ExpectError("kind ! tale",
              "filter: position 6: expected an operator after "
              "\"kind\"");
}

TEST(ParseFilterTest, OrAndNotAreRejected) {
  ExpectError("issue >= 383 OR kind = tale",
              "filter: position 14: OR is not supported; use AND");
  ExpectError("or kind = tale",
              "filter: position 1: OR is not supported; use AND");
  ExpectError("NOT kind = tale",
              "filter: position 1: negation (NOT, -) is not supported");
  ExpectError("-kind = tale",
              "filter: position 1: negation (NOT, -) is not supported");
  ExpectError("(issue = 5)",
              "filter: position 1: parentheses are not "
              "supported");
}

TEST(ParseFilterTest, PositionsCountCharacters) {
  ExpectError("source = Z\xC3\xBCrich OR kind = tale",
              "filter: position 17: OR is not supported; use AND");
}

TEST(ParseFilterTest, MisplacedAnd) {
  ExpectError("AND issue = 1",
              "filter: position 1: expected a field name (issue, kind or "
              "source), found AND");
  ExpectError("issue = 5 AND",
              "filter: position 14: expected a comparison after AND");
  ExpectError("issue = 5 AND AND kind = tale",
              "filter: position 15: expected a field name (issue, kind or "
              "source), found AND");
}

TEST(ParseFilterTest, UnterminatedString) {
  ExpectError("source = \"arXiv",
              "filter: position 10: unterminated string; add a closing \"");
  ExpectError("kind = 'tale",
              "filter: position 8: unterminated string; add a closing '");
  ExpectError("source = \"arXiv\\\"",
              "filter: position 10: unterminated string; add a closing \"");
}

TEST(ParseFilterTest, TrailingGarbage) {
  ExpectError("issue = 5 )",
              "filter: position 11: parentheses are not supported");
  ExpectError("issue = 5 =",
              "filter: position 11: expected a field name (issue, kind or "
              "source), found \"=\"");
  ExpectError("issue = 5 \"x\"",
              "filter: position 11: expected a field name (issue, kind or "
              "source), found a quoted string");
  ExpectError("kind=\"tale\"source=arxiv",
              "filter: position 12: expected whitespace or AND before "
              "\"source\"");
}

TEST(ParseFilterTest, BadValues) {
  ExpectError("kind = movie",
              "filter: position 8: unknown kind \"movie\"; expected section "
              "or tale");
  ExpectError("kind =",
              "filter: position 7: expected section or tale after "
              "\"kind =\"");
  ExpectError("source = \"!!!\"",
              "filter: position 10: source \"!!!\" has no letters or digits");
  ExpectError("source = = x",
              "filter: position 10: expected a source name after "
              "\"source =\"");
}

TEST(ParseFilterTest, GivenTwiceWithDifferentValues) {
  ExpectError("kind = section AND kind = tale",
              "filter: position 27: kind given twice with different values "
              "(\"section\" and \"tale\")");
  ExpectError("source = arXiv source = \"Import AI\"",
              "filter: position 25: source given twice with different values "
              "(\"arxiv\" and \"import ai\")");
}

TEST(ParseFilterTest, ArbitraryBytesNeverCrash) {
  std::mt19937 random(11);
  std::uniform_int_distribution<int> length(0, 40);
  std::uniform_int_distribution<int> byte(0, 255);
  const std::string pieces[] = {"issue", "kind", "source", "AND", "OR", "=",
                                ">=",    "<",    "\"",     "'",   " ",  "5",
                                "tale",  "(",    "\\",     "-"};
  for (int i = 0; i < 200; ++i) {
    std::string text;
    const int n = length(random);
    for (int k = 0; k < n; ++k) {
      const int b = byte(random);
      if (b < 128) {
        text += pieces[b % 16];
      } else {
        text.push_back(static_cast<char>(byte(random)));
      }
    }
    const absl::StatusOr<Filter> filter = ParseFilter(text);
    if (!filter.ok()) {
      EXPECT_THAT(filter, StatusIs(absl::StatusCode::kInvalidArgument,
                                   HasSubstr("filter: position ")));
    }
  }
}

}  // namespace
}  // namespace importai::search
