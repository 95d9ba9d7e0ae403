// The demo text loaded when the service starts must parse cleanly.

#include <fstream>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "newsletter/parser.h"

namespace importai::newsletter {
namespace {

using ::testing::IsEmpty;

constexpr char kSamplePath[] = IMPORTAI_EXAMPLES_DIR "/sample-issues.txt";

TEST(SampleIssuesTest, ParsesToTwoIssuesWithoutWarnings) {
  std::ifstream file(kSamplePath, std::ios::binary);
  ASSERT_TRUE(file) << "cannot open " << kSamplePath;
  std::ostringstream text;
  text << file.rdbuf();

  absl::StatusOr<std::vector<ParsedIssue>> parsed = ParseNewsletter(text.str(), importai::v1::INPUT_FORMAT_TEXT);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->size(), 2u);
  for (const ParsedIssue& issue : *parsed) {
    SCOPED_TRACE(issue.issue.name());
    EXPECT_THAT(issue.warnings, IsEmpty());
    EXPECT_FALSE(issue.issue.author().empty());
    EXPECT_GE(issue.issue.section_count(), 2);
    EXPECT_TRUE(issue.issue.has_tale());
    EXPECT_FALSE(issue.issue.tale().setting().empty());
    EXPECT_FALSE(issue.issue.tale().inspirations().empty());
    int citations = 0;
    for (const importai::v1::Section& section : issue.issue.sections()) {
      EXPECT_FALSE(section.links().empty()) << section.title();
      EXPECT_FALSE(section.why_it_matters().empty()) << section.title();
      citations += section.cited_issues_size();
    }
    EXPECT_GE(citations, 1);
  }
  EXPECT_EQ((*parsed)[0].issue.number(), 901);
  EXPECT_EQ((*parsed)[1].issue.number(), 902);
}

}  // namespace
}  // namespace importai::newsletter
