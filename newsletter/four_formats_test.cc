// One original issue (950) saved the four ways the parser reads
// (testdata/four_formats/): a plain-text copy of the web page, Markdown with
// front matter, the HTML page, and a feed item (RSS 2.0 and Atom). Every
// front end must hand the one structural parser the same blocks, so every
// copy must come out as the same issue; the text copy is the reference, and
// the values themselves are checked too, so that all five cannot be equally
// wrong. Only the details the text cannot carry (the issue's address and
// date, the links' addresses) may differ, and the content hash ignores them.

#include <fstream>
#include <iterator>
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "newsletter/parser.h"

namespace importai::newsletter {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;

constexpr int kIssueNumber = 950;
constexpr char kUri[] = "https://example.com/p/950";

struct Copy {
  const char* name;  // For test names.
  const char* file;
  v1::InputFormat format;
  const char* format_name;   // As the detection note names it.
  const char* publish_time;  // RFC 3339; nullptr: the copy gives no date.
};

// Markdown front matter gives a bare date (midnight UTC); the page and the
// feeds give the time too. The Atom entry's <updated> (09:30) is not the
// publication time.
constexpr Copy kCopies[] = {
    {"Text", "issue.txt", v1::INPUT_FORMAT_TEXT, "text", nullptr},
    {"Markdown", "issue.md", v1::INPUT_FORMAT_MARKDOWN, "Markdown",
     "2025-03-10T00:00:00Z"},
    {"Html", "issue.html", v1::INPUT_FORMAT_HTML, "HTML",
     "2025-03-10T08:00:00Z"},
    {"Rss", "feed.xml", v1::INPUT_FORMAT_FEED, "RSS/Atom feed",
     "2025-03-10T08:00:00Z"},
    {"Atom", "atom.xml", v1::INPUT_FORMAT_FEED, "RSS/Atom feed",
     "2025-03-10T08:00:00Z"},
};
constexpr const Copy& kTextCopy = kCopies[0];
constexpr const Copy& kRssCopy = kCopies[3];

// Names the copy in failure messages.
void PrintTo(const Copy& copy, std::ostream* os) { *os << copy.file; }

struct ExpectedLink {
  int section;  // 1-based.
  const char* lead;
  const char* title;
  const char* source;
  const char* uri;  // What the formats with hyperlinks give.
};

constexpr ExpectedLink kLinks[] = {
    {1, "Read more", "FoldNet: Few-Shot Cloth Manipulation from Human Video",
     "arXiv", "https://example.com/papers/foldnet"},
    {2, "Read more", "NoteCensus: Transcribing a Decade of Bench Science",
     "arXiv", "https://example.com/papers/notecensus"},
    {2, "Get the dataset", "NoteCensus transcriptions and tags", "GitHub",
     "https://example.com/data/notecensus"},
    {3, "Read more", "Cheap Students, Expensive Teachers", "Quillon Labs blog",
     "https://example.com/blog/cheap-students"},
    {3, "Read the earlier research",
     "Distilling Reasoning with Synthetic Curricula", "Import AI #812",
     "https://example.com/p/812"},
    {4, "Read more", "Hearing Hardware Failures Before They Happen",
     "Example Systems Workshop", "https://example.com/papers/hearing-hardware"},
};

std::string ReadCopy(absl::string_view file) {
  const std::string path =
      absl::StrCat(IMPORTAI_NEWSLETTER_TESTDATA, "/four_formats/", file);
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

absl::StatusOr<std::vector<ParsedIssue>> ParseCopy(const Copy& copy,
                                                   bool detect) {
  return ParseNewsletter(ReadCopy(copy.file),
                         detect ? v1::INPUT_FORMAT_UNSPECIFIED : copy.format);
}

const ParsedIssue* FindIssue(const std::vector<ParsedIssue>& issues,
                             int number) {
  for (const ParsedIssue& issue : issues) {
    if (issue.issue.number() == number) return &issue;
  }
  return nullptr;
}

// The links of all sections in reading order.
std::vector<const v1::Link*> AllLinks(const v1::Issue& issue) {
  std::vector<const v1::Link*> links;
  for (const v1::Section& section : issue.sections()) {
    for (const v1::Link& link : section.links()) links.push_back(&link);
  }
  return links;
}

std::string PublishTime(const v1::Issue& issue) {
  if (!issue.has_publish_time()) return "(none)";
  return absl::FormatTime(
      "%Y-%m-%d%ET%H:%M:%E*SZ",
      absl::FromUnixSeconds(issue.publish_time().seconds()) +
          absl::Nanoseconds(issue.publish_time().nanos()),
      absl::UTCTimeZone());
}

// Every field the content hash covers, one by one so that a failure names
// the field that differs.
void ExpectSameContent(const v1::Issue& actual, const v1::Issue& expected) {
  EXPECT_EQ(actual.number(), expected.number());
  EXPECT_EQ(actual.title(), expected.title());
  EXPECT_THAT(actual.topics(), ElementsAreArray(expected.topics()));
  EXPECT_EQ(actual.author(), expected.author());
  EXPECT_EQ(actual.intro(), expected.intro());
  EXPECT_EQ(actual.sections_size(), expected.sections_size());
  for (int k = 0; k < actual.sections_size() && k < expected.sections_size();
       ++k) {
    SCOPED_TRACE(absl::StrCat("section ", k + 1));
    const v1::Section& got = actual.sections(k);
    const v1::Section& want = expected.sections(k);
    EXPECT_EQ(got.title(), want.title());
    EXPECT_EQ(got.summary(), want.summary());
    EXPECT_EQ(got.body(), want.body());
    EXPECT_EQ(got.why_it_matters(), want.why_it_matters());
    EXPECT_THAT(got.cited_issues(), ElementsAreArray(want.cited_issues()));
    EXPECT_EQ(got.links_size(), want.links_size());
    for (int i = 0; i < got.links_size() && i < want.links_size(); ++i) {
      SCOPED_TRACE(absl::StrCat("link ", i + 1));
      EXPECT_EQ(got.links(i).text(), want.links(i).text());
      EXPECT_EQ(got.links(i).lead(), want.links(i).lead());
      EXPECT_EQ(got.links(i).title(), want.links(i).title());
      EXPECT_EQ(got.links(i).source(), want.links(i).source());
    }
  }
  EXPECT_EQ(actual.has_tale(), expected.has_tale());
  EXPECT_EQ(actual.tale().title(), expected.tale().title());
  EXPECT_EQ(actual.tale().setting(), expected.tale().setting());
  EXPECT_EQ(actual.tale().body(), expected.tale().body());
  EXPECT_THAT(actual.tale().inspirations(),
              ElementsAreArray(expected.tale().inspirations()));
  EXPECT_EQ(actual.content_hash(), expected.content_hash());
}

// Parameters: the copy, and whether its format is detected or said.
class FourFormatsTest
    : public testing::TestWithParam<std::tuple<Copy, bool>> {
 protected:
  void SetUp() override {
    parsed_ = ParseCopy(copy(), detect());
    ASSERT_TRUE(parsed_.ok()) << parsed_.status();
    parsed_issue_ = FindIssue(*parsed_, kIssueNumber);
    ASSERT_NE(parsed_issue_, nullptr)
        << "no issue " << kIssueNumber << " in " << copy().file;
  }

  const Copy& copy() const { return std::get<0>(GetParam()); }
  bool detect() const { return std::get<1>(GetParam()); }
  const v1::Issue& issue() const { return parsed_issue_->issue; }

  absl::StatusOr<std::vector<ParsedIssue>> parsed_;
  const ParsedIssue* parsed_issue_ = nullptr;
};

TEST_P(FourFormatsTest, EveryCopyParses) {
  for (const ParsedIssue& parsed : *parsed_) {
    EXPECT_TRUE(parsed.status.ok())
        << "issue " << parsed.issue.number() << ": " << parsed.status;
  }
}

TEST_P(FourFormatsTest, SaysWhatItDetected) {
  const std::string note =
      absl::StrCat("read as ", copy().format_name, " (detected");
  for (const ParsedIssue& parsed : *parsed_) {
    if (detect()) {
      EXPECT_THAT(parsed.warnings, Contains(HasSubstr(note)));
    } else {
      EXPECT_THAT(parsed.warnings, Not(Contains(HasSubstr("detected"))));
    }
  }
}

// Each copy says everything with markup or in so many words; nothing needs
// inferring, so the only warning is the detection note.
TEST_P(FourFormatsTest, InfersNothing) {
  std::vector<std::string> warnings = parsed_issue_->warnings;
  if (detect() && !warnings.empty()) warnings.erase(warnings.begin());
  EXPECT_THAT(warnings, IsEmpty());
}

TEST_P(FourFormatsTest, MatchesTheTextCopy) {
  const absl::StatusOr<std::vector<ParsedIssue>> text =
      ParseCopy(kTextCopy, /*detect=*/false);
  ASSERT_TRUE(text.ok()) << text.status();
  const ParsedIssue* reference = FindIssue(*text, kIssueNumber);
  ASSERT_NE(reference, nullptr);
  ExpectSameContent(issue(), reference->issue);
}

TEST_P(FourFormatsTest, HasTheIssueAsWritten) {
  const v1::Issue& parsed = issue();
  EXPECT_EQ(parsed.name(), "issues/950");
  EXPECT_EQ(parsed.title(),
            "Towel-folding robots; a census of lab notebooks; and the falling "
            "price of distillation");
  EXPECT_THAT(parsed.topics(),
              ElementsAre("Towel-folding robots", "a census of lab notebooks",
                          "the falling price of distillation"));
  EXPECT_EQ(parsed.author(), "Mira Castellan");
  // The welcome paragraph and the subscribe button are dropped.
  EXPECT_EQ(parsed.intro(),
            "A short note before we begin: I spent most of this week at a "
            "robotics workshop held in a converted grain warehouse, so expect "
            "more grippers than usual.\n\n"
            "Also: thank you to everyone who wrote in about last "
            "week\xE2\x80\x99s piece on benchmark contamination. I read every "
            "message, and a few of them will turn into future issues.");
  EXPECT_EQ(parsed.section_count(), 4);
  ASSERT_THAT(parsed.sections(), SizeIs(4));

  std::vector<std::string> titles;
  std::vector<std::string> summaries;
  for (const v1::Section& section : parsed.sections()) {
    titles.push_back(section.title());
    summaries.push_back(section.summary());
    EXPECT_THAT(section.why_it_matters(),
                StartsWith("Why this matters \xE2\x80\x93 "));
    EXPECT_THAT(section.body(), EndsWith(section.why_it_matters()));
  }
  EXPECT_THAT(titles,
              ElementsAre("Robots learn to fold towels from ten minutes of "
                          "video",
                          "A census of ten thousand lab notebooks",
                          "Distillation gets cheaper, and that changes who "
                          "can compete",
                          "Listening to a data center"));
  EXPECT_THAT(summaries,
              ElementsAre("A cheap gripper, two cameras, and a surprisingly "
                          "capable policy",
                          "What scientists write down when they think nobody "
                          "will read it",
                          "A small lab matches a big model at math for the "
                          "price of a used car",
                          "Microphones catch failing fans before the "
                          "thermometers do"));

  // Bullets keep their mark, a paragraph each; the figure's caption is
  // page furniture, not body.
  const std::string& first_body = parsed.sections(0).body();
  EXPECT_THAT(first_body,
              StartsWith("Researchers at the Halden Institute of Robotics "
                         "have built FoldNet, a system that teaches"));
  EXPECT_THAT(first_body,
              HasSubstr("a sort of damp burrito.\n\n"
                        "\xE2\x80\xA2 Training data: ten minutes of human "
                        "video and forty minutes of teleoperation.\n\n"
                        "\xE2\x80\xA2 Hardware: two arms, one wrist camera, "
                        "one overhead camera.\n\n"
                        "\xE2\x80\xA2 Speed: "));
  EXPECT_THAT(first_body, Not(HasSubstr("mid-fold")));
  EXPECT_THAT(parsed.sections(1).body(),
              HasSubstr("abandoned assays, R&D dead ends"));

  EXPECT_THAT(parsed.sections(0).cited_issues(), IsEmpty());
  EXPECT_THAT(parsed.sections(1).cited_issues(), IsEmpty());
  EXPECT_THAT(parsed.sections(2).cited_issues(), ElementsAre(790, 812));
  EXPECT_THAT(parsed.sections(3).cited_issues(), IsEmpty());

  std::vector<int> link_sections;
  for (const v1::Section& section : parsed.sections()) {
    link_sections.insert(link_sections.end(), section.links_size(),
                         section.ordinal());
  }
  std::vector<int> expected_link_sections;
  for (const ExpectedLink& link : kLinks) {
    expected_link_sections.push_back(link.section);
  }
  EXPECT_EQ(link_sections, expected_link_sections);
  const std::vector<const v1::Link*> links = AllLinks(parsed);
  ASSERT_THAT(links, SizeIs(std::size(kLinks)));
  for (size_t i = 0; i < links.size(); ++i) {
    SCOPED_TRACE(links[i]->text());
    EXPECT_EQ(links[i]->lead(), kLinks[i].lead);
    EXPECT_EQ(links[i]->title(), kLinks[i].title);
    EXPECT_EQ(links[i]->source(), kLinks[i].source);
  }

  ASSERT_TRUE(parsed.has_tale());
  EXPECT_EQ(parsed.tale().title(), "The Cartographer of Empty Rooms");
  EXPECT_EQ(parsed.tale().setting(),
            "A research station on the Kerguelen plateau, 2031");
  EXPECT_THAT(parsed.tale().body(),
              StartsWith("The station\xE2\x80\x99s AI had been built to map "
                         "ice. When"));
  EXPECT_THAT(parsed.tale().body(),
              EndsWith("The cook said: not anymore. The station updated the "
                       "map."));
  EXPECT_THAT(parsed.tale().inspirations(),
              ElementsAre("Autonomous systems left running for a long time",
                          "the habits software picks up from the people who "
                          "use it",
                          "research stations in winter",
                          "maps as a kind of memory"));
  EXPECT_THAT(parsed.content_hash(), SizeIs(64));
}

// The address and date of the issue and the links' addresses come from the
// markup; a text copy has none to give.
TEST_P(FourFormatsTest, GivesAddressesWhereTheSourceHasThem) {
  const v1::Issue& parsed = issue();
  const std::vector<const v1::Link*> links = AllLinks(parsed);
  ASSERT_THAT(links, SizeIs(std::size(kLinks)));
  if (copy().publish_time == nullptr) {
    EXPECT_EQ(parsed.uri(), "");
    EXPECT_FALSE(parsed.has_publish_time());
    for (const v1::Link* link : links) EXPECT_EQ(link->uri(), "");
    return;
  }
  EXPECT_EQ(parsed.uri(), kUri);
  EXPECT_EQ(PublishTime(parsed), copy().publish_time);
  for (size_t i = 0; i < links.size(); ++i) {
    EXPECT_EQ(links[i]->uri(), kLinks[i].uri) << links[i]->text();
  }
}

std::string CopyName(
    const testing::TestParamInfo<FourFormatsTest::ParamType>& info) {
  return absl::StrCat(std::get<0>(info.param).name,
                      std::get<1>(info.param) ? "Detected" : "Said");
}

INSTANTIATE_TEST_SUITE_P(FourFormats, FourFormatsTest,
                         testing::Combine(testing::ValuesIn(kCopies),
                                          testing::Bool()),
                         CopyName);

// The RSS feed holds a second, newer issue first, as feeds list them.
TEST(FourFormatsFeedTest, ReadsEveryItemInOrder) {
  const absl::StatusOr<std::vector<ParsedIssue>> parsed =
      ParseCopy(kRssCopy, /*detect=*/false);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_THAT(*parsed, SizeIs(2));
  const ParsedIssue& newer = (*parsed)[0];
  ASSERT_TRUE(newer.status.ok()) << newer.status;
  EXPECT_EQ(newer.issue.number(), 951);
  EXPECT_EQ(newer.issue.title(),
            "A seed bank for software; and a robot that sorts screws");
  EXPECT_EQ(newer.issue.author(), "Mira Castellan");
  EXPECT_EQ(newer.issue.uri(), "https://example.com/p/951");
  EXPECT_EQ(PublishTime(newer.issue), "2025-03-17T08:00:00Z");
  ASSERT_THAT(newer.issue.sections(), SizeIs(2));
  EXPECT_EQ(newer.issue.sections(1).title(), "A robot that sorts screws");
  ASSERT_THAT(newer.issue.sections(1).links(), SizeIs(1));
  EXPECT_EQ(newer.issue.sections(1).links(0).uri(),
            "https://example.com/blog/screw-sorter");
  EXPECT_FALSE(newer.issue.has_tale());
  EXPECT_EQ((*parsed)[1].issue.number(), kIssueNumber);
}

}  // namespace
}  // namespace importai::newsletter
