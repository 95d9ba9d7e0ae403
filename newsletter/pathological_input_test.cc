// Pathological inputs, about 1 MB each: the parser and the search text code
// must return on them (a result or a clean INVALID_ARGUMENT), never crash.
// Each case runs at 100 KB and at 1 MB; time linear in the size keeps the
// whole run to seconds, while a quadratic path would take minutes at 1 MB,
// so the guard is ctest's TIMEOUT on these tests (newsletter/CMakeLists.txt)
// rather than a timed assertion. pathological_benchmark reports the rates.

#include <cstddef>
#include <string>
#include <tuple>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "newsletter/parser.h"
#include "newsletter/pathological_inputs.h"
#include "search/analyzer.h"
#include "search/filter.h"
#include "search/query.h"
#include "search/snippet.h"

namespace importai::newsletter {
namespace {

using pathological::Case;

class PathologicalInputTest
    : public ::testing::TestWithParam<std::tuple<Case, size_t>> {
 protected:
  void SetUp() override {
    const auto& [test_case, bytes] = GetParam();
    text_ = test_case.make(bytes);
    ASSERT_GE(text_.size(), bytes);
    ASSERT_LT(text_.size(), bytes + 1024);
  }

  std::string text_;
};

TEST_P(PathologicalInputTest, ParserReturnsAResultOrACleanError) {
  auto parsed = ParseNewsletter(text_);
  if (parsed.ok()) {
    ASSERT_FALSE(parsed->empty());
    for (const ParsedIssue& copy : *parsed) {
      EXPECT_GE(copy.issue.number(), 1);
      EXPECT_GE(copy.line, 1);
    }
  } else {
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument)
        << parsed.status();
    EXPECT_THAT(parsed.status().message(), ::testing::HasSubstr("line "))
        << "the error names no line";
  }
}

TEST_P(PathologicalInputTest, AnalyzerReturns) {
  const auto tokens = search::Tokenize(text_);
  for (size_t i = 0; i < tokens.size(); ++i) {
    ASSERT_EQ(tokens[i].position, static_cast<int>(i));
    ASSERT_LT(tokens[i].begin, tokens[i].end);
    ASSERT_LE(tokens[i].end, text_.size());
  }
  const std::string snippet = search::MakeSnippet(
      text_, [](absl::string_view term) { return term == "item"; });
  EXPECT_LE(snippet.size(), text_.size() + 1024);
  EXPECT_FALSE(search::NormalizeSource(text_).empty() && !tokens.empty());
}

TEST_P(PathologicalInputTest, QueryAndFilterParsersReturn) {
  auto query = search::ParseQuery(text_);
  ASSERT_FALSE(query.ok()) << "a query of " << text_.size() << " bytes";
  EXPECT_EQ(query.status().code(), absl::StatusCode::kInvalidArgument);
  auto filter = search::ParseFilter(text_);
  if (!filter.ok()) {
    EXPECT_EQ(filter.status().code(), absl::StatusCode::kInvalidArgument);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PathologicalInputTest,
    ::testing::Combine(::testing::ValuesIn(pathological::AllCases()),
                       ::testing::Values(pathological::kSmall,
                                         pathological::kLarge)),
    [](const ::testing::TestParamInfo<PathologicalInputTest::ParamType>&
           info) {
      return std::string(std::get<0>(info.param).name) +
             (std::get<1>(info.param) == pathological::kSmall ? "_100KB"
                                                              : "_1MB");
    });

}  // namespace
}  // namespace importai::newsletter
