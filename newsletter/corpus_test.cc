// Golden test: parses the shared corpus and compares it field by field with
// the expected JSON described in the corpus README. The corpus is data read
// at run time, never copied into the repository.

#include "common/testing/corpus.h"

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "newsletter/parser.h"
#include "newsletter/text.h"

namespace importai::newsletter {
namespace {

using ::google::protobuf::ListValue;
using ::google::protobuf::Struct;
using ::google::protobuf::Value;

constexpr char kCorpusDir[] = IMPORTAI_CORPUS_DIR;
constexpr char kCorpusText[] = "import-ai-382-387.txt";
constexpr char kCorpusExpected[] = "import-ai-382-387.expected.json";

bool ReadFile(const std::string& path, std::string* contents) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return false;
  std::ostringstream buffer;
  buffer << file.rdbuf();
  *contents = buffer.str();
  return true;
}

const Value& Field(const Struct& object, const std::string& key) {
  static const Value* const kNull = new Value();
  const auto it = object.fields().find(key);
  return it == object.fields().end() ? *kNull : it->second;
}

std::string Text(const Struct& object, const std::string& key) {
  return NormalizeWhitespace(Field(object, key).string_value());
}

int Number(const Struct& object, const std::string& key) {
  return static_cast<int>(Field(object, key).number_value());
}

std::vector<std::string> Texts(const Struct& object, const std::string& key) {
  std::vector<std::string> texts;
  for (const Value& value : Field(object, key).list_value().values()) {
    texts.push_back(NormalizeWhitespace(value.string_value()));
  }
  return texts;
}

std::vector<std::string> Normalized(
    const google::protobuf::RepeatedPtrField<std::string>& texts) {
  std::vector<std::string> normalized;
  for (const std::string& text : texts) {
    normalized.push_back(NormalizeWhitespace(text));
  }
  return normalized;
}

std::string WithoutTrailingPeriod(std::string text) {
  text = NormalizeWhitespace(text);
  if (absl::EndsWith(text, ".")) text.pop_back();
  return text;
}

int CountParagraphs(const std::string& body) {
  int paragraphs = 0;
  for (absl::string_view line : absl::StrSplit(body, '\n')) {
    paragraphs += !absl::StripAsciiWhitespace(line).empty();
  }
  return paragraphs;
}

class CorpusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string text_path = absl::StrCat(kCorpusDir, "/", kCorpusText);
    const std::string json_path =
        absl::StrCat(kCorpusDir, "/", kCorpusExpected);
    std::string json;
    if (!ReadFile(text_path, &text_) || !ReadFile(json_path, &json)) {
      IMPORTAI_SKIP_WITHOUT_CORPUS(
          "corpus not found at " << kCorpusDir << ": " << kCorpusText << " or "
                                 << kCorpusExpected << " is missing");
    }
    const auto status =
        google::protobuf::util::JsonStringToMessage(json, &expected_);
    ASSERT_TRUE(status.ok()) << status.ToString();
    absl::StatusOr<std::vector<ParsedIssue>> parsed = ParseNewsletter(text_);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    parsed_ = *std::move(parsed);
  }

  // The first parsed copy of each issue number.
  std::map<int, const ParsedIssue*> FirstCopies() const {
    std::map<int, const ParsedIssue*> copies;
    for (const ParsedIssue& parsed : parsed_) {
      copies.emplace(parsed.issue.number(), &parsed);
    }
    return copies;
  }

  std::string text_;
  Struct expected_;
  std::vector<ParsedIssue> parsed_;
};

TEST_F(CorpusTest, FindsEveryCopyInInputOrder) {
  ASSERT_EQ(parsed_.size(),
            static_cast<size_t>(Number(expected_, "issue_copies_in_input")));
  const ListValue& outcomes =
      Field(expected_, "ingest_outcomes_in_order").list_value();
  ASSERT_EQ(outcomes.values_size(), static_cast<int>(parsed_.size()));
  int previous_line = 0;
  for (size_t i = 0; i < parsed_.size(); ++i) {
    EXPECT_EQ(parsed_[i].issue.number(),
              Number(outcomes.values(i).struct_value(), "number"))
        << "copy " << i;
    EXPECT_GT(parsed_[i].line, previous_line);
    previous_line = parsed_[i].line;
  }
}

TEST_F(CorpusTest, DuplicateCopiesShareTheirContentHash) {
  const ListValue& outcomes =
      Field(expected_, "ingest_outcomes_in_order").list_value();
  std::map<int, std::string> first_hash;
  for (size_t i = 0; i < parsed_.size(); ++i) {
    const importai::v1::Issue& issue = parsed_[i].issue;
    const std::string outcome =
        Field(outcomes.values(i).struct_value(), "outcome").string_value();
    const auto [it, inserted] =
        first_hash.emplace(issue.number(), issue.content_hash());
    EXPECT_EQ(inserted, outcome == "CREATED") << "copy " << i;
    if (!inserted) {
      EXPECT_EQ(issue.content_hash(), it->second)
          << "issue " << issue.number() << " copy at line " << parsed_[i].line;
    }
  }
}

TEST_F(CorpusTest, TotalsMatchAmongDistinctIssues) {
  const auto copies = FirstCopies();
  std::vector<int> numbers;
  int sections = 0;
  int tales = 0;
  for (const auto& [number, parsed] : copies) {
    numbers.push_back(number);
    sections += parsed->issue.section_count();
    EXPECT_EQ(parsed->issue.section_count(), parsed->issue.sections_size());
    tales += parsed->issue.has_tale();
  }
  std::vector<int> expected_numbers;
  for (const Value& value :
       Field(expected_, "distinct_issues").list_value().values()) {
    expected_numbers.push_back(static_cast<int>(value.number_value()));
  }
  EXPECT_EQ(numbers, expected_numbers);
  EXPECT_EQ(sections, Number(expected_, "total_sections"));
  EXPECT_EQ(tales, Number(expected_, "total_tales"));
}

void ExpectBody(const std::string& body, const Struct& expected,
                const std::string& where) {
  const std::string normalized = NormalizeWhitespace(body);
  EXPECT_TRUE(absl::StartsWith(normalized, Text(expected, "body_starts_with")))
      << where << " body starts: " << normalized.substr(0, 80);
  EXPECT_TRUE(absl::EndsWith(normalized, Text(expected, "body_ends_with")))
      << where << " body ends: "
      << normalized.substr(normalized.size() > 80 ? normalized.size() - 80 : 0);
  EXPECT_EQ(CountParagraphs(body), Number(expected, "body_paragraphs"))
      << where;
}

void ExpectSection(const importai::v1::Section& section, const Struct& expected,
                   int issue_number, int ordinal) {
  const std::string where =
      absl::StrCat("issue ", issue_number, " section ", ordinal);
  EXPECT_EQ(section.name(),
            absl::StrCat("issues/", issue_number, "/sections/", ordinal));
  EXPECT_EQ(section.issue_number(), issue_number) << where;
  EXPECT_EQ(section.ordinal(), ordinal) << where;
  EXPECT_EQ(NormalizeWhitespace(section.title()), Text(expected, "title"))
      << where;
  EXPECT_EQ(NormalizeWhitespace(section.summary()), Text(expected, "summary"))
      << where;
  ExpectBody(section.body(), expected, where);

  const std::string why = Text(expected, "why_it_matters_starts_with");
  if (why.empty()) {
    EXPECT_EQ(section.why_it_matters(), "") << where;
  } else {
    EXPECT_TRUE(
        absl::StartsWith(NormalizeWhitespace(section.why_it_matters()), why))
        << where << " why: " << section.why_it_matters().substr(0, 80);
    EXPECT_TRUE(absl::StrContains(section.body(), section.why_it_matters()))
        << where << ": why_it_matters must stay in the body";
  }

  const ListValue& links = Field(expected, "links").list_value();
  ASSERT_EQ(section.links_size(), links.values_size()) << where;
  for (int i = 0; i < links.values_size(); ++i) {
    const Struct& link = links.values(i).struct_value();
    const importai::v1::Link& actual = section.links(i);
    const std::string at = absl::StrCat(where, " link ", i + 1);
    EXPECT_EQ(WithoutTrailingPeriod(actual.lead()),
              WithoutTrailingPeriod(Text(link, "lead")))
        << at;
    EXPECT_EQ(WithoutTrailingPeriod(actual.title()),
              WithoutTrailingPeriod(Text(link, "title")))
        << at;
    EXPECT_EQ(WithoutTrailingPeriod(actual.source()),
              WithoutTrailingPeriod(Text(link, "source")))
        << at;
  }

  std::vector<int> cited;
  for (const Value& value :
       Field(expected, "cited_issues").list_value().values()) {
    cited.push_back(static_cast<int>(value.number_value()));
  }
  EXPECT_THAT(section.cited_issues(), ::testing::ElementsAreArray(cited))
      << where;
}

void ExpectTale(const importai::v1::Issue& issue, const Value& expected) {
  const std::string where = absl::StrCat("issue ", issue.number(), " tale");
  if (expected.has_null_value() || !expected.has_struct_value()) {
    EXPECT_FALSE(issue.has_tale()) << where;
    return;
  }
  ASSERT_TRUE(issue.has_tale()) << where;
  const Struct& tale = expected.struct_value();
  EXPECT_EQ(issue.tale().name(),
            absl::StrCat("issues/", issue.number(), "/tale"));
  EXPECT_EQ(issue.tale().issue_number(), issue.number());
  EXPECT_EQ(NormalizeWhitespace(issue.tale().title()), Text(tale, "title"))
      << where;
  EXPECT_EQ(NormalizeWhitespace(issue.tale().setting()), Text(tale, "setting"))
      << where;
  ExpectBody(issue.tale().body(), tale, where);
  EXPECT_EQ(Normalized(issue.tale().inspirations()),
            Texts(tale, "inspirations"))
      << where;
}

// Every copy, duplicates included, must match its issue's expectations.
TEST_F(CorpusTest, EveryCopyMatchesTheExpectedFields) {
  std::map<int, const Struct*> expected_issues;
  for (const Value& value : Field(expected_, "issues").list_value().values()) {
    expected_issues[Number(value.struct_value(), "number")] =
        &value.struct_value();
  }
  for (const ParsedIssue& parsed : parsed_) {
    const importai::v1::Issue& issue = parsed.issue;
    SCOPED_TRACE(absl::StrCat("copy of issue ", issue.number(), " at line ",
                              parsed.line));
    const auto it = expected_issues.find(issue.number());
    ASSERT_NE(it, expected_issues.end());
    const Struct& expected = *it->second;
    EXPECT_EQ(issue.name(), absl::StrCat("issues/", issue.number()));
    EXPECT_EQ(NormalizeWhitespace(issue.title()), Text(expected, "title"));
    EXPECT_EQ(Normalized(issue.topics()), Texts(expected, "topics"));
    EXPECT_EQ(NormalizeWhitespace(issue.author()), Text(expected, "author"));
    EXPECT_EQ(NormalizeWhitespace(issue.intro()), Text(expected, "intro"));
    EXPECT_EQ(issue.content_hash().size(), 64u);

    const ListValue& sections = Field(expected, "sections").list_value();
    ASSERT_EQ(issue.sections_size(), sections.values_size());
    EXPECT_EQ(issue.section_count(), sections.values_size());
    for (int i = 0; i < sections.values_size(); ++i) {
      ExpectSection(issue.sections(i), sections.values(i).struct_value(),
                    issue.number(), i + 1);
    }
    ExpectTale(issue, Field(expected, "tale"));
  }
}

}  // namespace
}  // namespace importai::newsletter
