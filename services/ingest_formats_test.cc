// IngestIssues' format, allow_partial and merge warnings over a real gRPC
// server on a free loopback port, with RocksDB in a temporary directory.
#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/testing/fixtures.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "importai/v1/ingest_service.grpc.pb.h"
#include "newsletter/parser.h"
#include "services/testing/in_process_server.h"

namespace importai::services {
namespace {

using ::importai::testing::IsOk;
using ::importai::testing::SampleIssueText;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Each;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;

// A copy with a header and a byline but no section or tale: it does not
// parse. Its header is on the first line of this text.
constexpr char kEmptyIssue[] = "Import AI 905: Nothing here yet\n\nby A\n\n";

class IngestFormatsTest : public testing::InProcessServerTest {
 protected:
  grpc::Status Ingest(const std::string& text, bool allow_partial,
                      v1::IngestIssuesResponse* response,
                      v1::InputFormat format = v1::INPUT_FORMAT_UNSPECIFIED) {
    v1::IngestIssuesRequest request;
    request.set_text(text);
    request.set_format(format);
    request.set_allow_partial(allow_partial);
    grpc::ClientContext context;
    return ingest_->IngestIssues(&context, request, response);
  }

  bool IsStored(int number) { return store_->GetIssue(number).ok(); }
};

// The 1-based line on which text appended to `text` starts.
int LineAfter(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
}

TEST_F(IngestFormatsTest, AllowPartialStoresWhatParsesAndRejectsTheRest) {
  const std::string text =
      SampleIssueText(901) + kEmptyIssue + SampleIssueText(902);
  v1::IngestIssuesResponse response;
  grpc::Status status = Ingest(text, /*allow_partial=*/true, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_THAT(response.results(), SizeIs(3));
  EXPECT_EQ(response.results(0).number(), 901);
  EXPECT_EQ(response.results(0).outcome(), v1::INGEST_OUTCOME_CREATED);
  EXPECT_EQ(response.results(0).revision(), 1);
  EXPECT_THAT(response.results(0).error(), IsEmpty());

  const v1::IngestResult& rejected = response.results(1);
  EXPECT_EQ(rejected.number(), 905);
  EXPECT_EQ(rejected.outcome(), v1::INGEST_OUTCOME_REJECTED);
  EXPECT_EQ(rejected.revision(), 0);
  EXPECT_THAT(rejected.content_hash(), IsEmpty());
  EXPECT_THAT(
      rejected.error(),
      AllOf(HasSubstr("issue 905"),
            HasSubstr(absl::StrCat("line ", LineAfter(SampleIssueText(901))))));

  EXPECT_EQ(response.results(2).number(), 902);
  EXPECT_EQ(response.results(2).outcome(), v1::INGEST_OUTCOME_CREATED);
  EXPECT_EQ(response.results(2).revision(), 2);
  EXPECT_EQ(response.head_revision(), 2);
  EXPECT_TRUE(IsStored(901));
  EXPECT_FALSE(IsStored(905));
  EXPECT_TRUE(IsStored(902));
}

TEST_F(IngestFormatsTest, ByDefaultABadCopyRefusesTheRequestNamingTheLine) {
  const std::string text =
      SampleIssueText(901) + kEmptyIssue + SampleIssueText(902);
  v1::IngestIssuesResponse response;
  grpc::Status status = Ingest(text, /*allow_partial=*/false, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(
      status.error_message(),
      AllOf(StartsWith("text: "), HasSubstr("issue 905"),
            HasSubstr(absl::StrCat("line ", LineAfter(SampleIssueText(901))))));
  EXPECT_EQ(store_->HeadRevision(), 0);
  EXPECT_FALSE(IsStored(901));
}

TEST_F(IngestFormatsTest, EveryCopyRejectedStoresNothingAndSaysSo) {
  v1::IngestIssuesResponse response;
  grpc::Status status = Ingest(kEmptyIssue, /*allow_partial=*/true, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_THAT(response.results(), SizeIs(1));
  EXPECT_EQ(response.results(0).outcome(), v1::INGEST_OUTCOME_REJECTED);
  EXPECT_THAT(response.results(0).error(), HasSubstr("line 1"));
  EXPECT_EQ(response.head_revision(), 0);
  EXPECT_EQ(store_->HeadRevision(), 0);
}

TEST_F(IngestFormatsTest, UnknownFormatIsInvalidArgumentNamingTheField) {
  v1::IngestIssuesResponse response;
  grpc::Status status = Ingest(SampleIssueText(901), false, &response,
                               static_cast<v1::InputFormat>(99));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              AllOf(StartsWith("format: "), HasSubstr("99")));
  EXPECT_EQ(store_->HeadRevision(), 0);
}

TEST_F(IngestFormatsTest, DetectedFormatIsNamedInTheWarnings) {
  v1::IngestIssuesResponse detected;
  ASSERT_TRUE(Ingest(SampleIssueText(901), false, &detected).ok());
  EXPECT_THAT(detected.results(0).warnings(), Contains(HasSubstr("detected")));
  v1::IngestIssuesResponse told;
  ASSERT_TRUE(
      Ingest(SampleIssueText(902), false, &told, v1::INPUT_FORMAT_TEXT).ok());
  EXPECT_EQ(told.results(0).outcome(), v1::INGEST_OUTCOME_CREATED);
  EXPECT_THAT(told.results(0).warnings(), Not(Contains(HasSubstr("detected"))));
}

// What a Markdown or HTML copy of issue 901 would have stored: the words of
// the text copy, with addresses and a date.
TEST_F(IngestFormatsTest, PoorerCopyIsUnchangedAndWarnsOnItsLine) {
  auto parsed = newsletter::ParseNewsletter(SampleIssueText(901));
  ASSERT_THAT(parsed, IsOk());
  v1::Issue rich = (*parsed)[0].issue;
  rich.set_uri("https://example.org/p/import-ai-901");
  rich.mutable_publish_time()->set_seconds(1700000000);
  ASSERT_THAT(store_->WriteIssues({rich}, absl::Now(), false), IsOk());

  v1::IngestIssuesResponse response;
  ASSERT_TRUE(Ingest(SampleIssueText(901), false, &response).ok());
  ASSERT_THAT(response.results(), SizeIs(1));
  EXPECT_EQ(response.results(0).outcome(), v1::INGEST_OUTCOME_UNCHANGED);
  EXPECT_THAT(
      response.results(0).warnings(),
      Contains(AllOf(StartsWith(absl::StrCat("line ", (*parsed)[0].line, ": ")),
                     HasSubstr("the stored ones are kept"))));
  auto stored = store_->GetIssue(901);
  ASSERT_THAT(stored, IsOk());
  EXPECT_EQ(stored->uri(), "https://example.org/p/import-ai-901");
}

// Issue 950 as the newsletter's test fixtures hold it, one file per format
// (newsletter/testdata/four_formats/): the same words everywhere, and the
// address, date and link addresses in all but the text copy.
std::string ReadFourFormatsCopy(absl::string_view file) {
  const std::string path =
      absl::StrCat(IMPORTAI_NEWSLETTER_TESTDATA, "/four_formats/", file);
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string Rfc3339(const google::protobuf::Timestamp& time) {
  return absl::FormatTime("%Y-%m-%d%ET%H:%M:%SZ",
                          absl::FromUnixSeconds(time.seconds()),
                          absl::UTCTimeZone());
}

std::vector<std::string> LinkUris(const v1::Issue& issue) {
  std::vector<std::string> uris;
  for (const v1::Section& section : issue.sections()) {
    for (const v1::Link& link : section.links()) uris.push_back(link.uri());
  }
  return uris;
}

class FourFormatsIngestTest : public IngestFormatsTest {
 protected:
  // Ingests the fixture `file` as `format`: the result of its one copy.
  v1::IngestResult IngestCopy(absl::string_view file, v1::InputFormat format) {
    v1::IngestIssuesResponse response;
    const grpc::Status status =
        Ingest(ReadFourFormatsCopy(file), false, &response, format);
    EXPECT_TRUE(status.ok()) << file << ": " << status.error_message();
    EXPECT_THAT(response.results(), SizeIs(1)) << file;
    return response.results().empty() ? v1::IngestResult()
                                      : response.results(0);
  }

  // Issue 950 is stored with the words of `hash`, its address, the date
  // `publish_time` and every link's address.
  void ExpectStored(const std::string& hash, const std::string& publish_time) {
    auto stored = store_->GetIssue(950);
    ASSERT_THAT(stored, IsOk());
    EXPECT_EQ(stored->content_hash(), hash);
    EXPECT_EQ(stored->uri(), "https://example.com/p/950");
    EXPECT_EQ(Rfc3339(stored->publish_time()), publish_time);
    EXPECT_THAT(LinkUris(*stored),
                AllOf(SizeIs(6), Each(StartsWith("https://example.com/"))));
    EXPECT_EQ(stored->sections(0).links(0).uri(),
              "https://example.com/papers/foldnet");
  }
};

// Text first, then the richer copies over it, as a backfill of a text archive
// would go: the words never change, the details are added once, a poorer copy
// keeps them, and a copy with another date for the issue replaces it.
TEST_F(FourFormatsIngestTest, RealFormatsMergeOntoOneIssue) {
  const v1::IngestResult created =
      IngestCopy("issue.txt", v1::INPUT_FORMAT_TEXT);
  EXPECT_EQ(created.number(), 950);
  EXPECT_EQ(created.outcome(), v1::INGEST_OUTCOME_CREATED);
  const std::string& hash = created.content_hash();

  // Markdown: the same words, and the details the text lacks.
  const v1::IngestResult markdown =
      IngestCopy("issue.md", v1::INPUT_FORMAT_MARKDOWN);
  EXPECT_EQ(markdown.outcome(), v1::INGEST_OUTCOME_UPDATED);
  EXPECT_EQ(markdown.revision(), created.revision() + 1);
  EXPECT_EQ(markdown.content_hash(), hash);
  EXPECT_THAT(markdown.warnings(), IsEmpty());
  ExpectStored(hash, "2025-03-10T00:00:00Z");

  // The text again: nothing new, so no revision; the warning names the
  // copy's header line and what was kept.
  auto parsed = newsletter::ParseNewsletter(ReadFourFormatsCopy("issue.txt"),
                                            v1::INPUT_FORMAT_TEXT);
  ASSERT_THAT(parsed, IsOk());
  const v1::IngestResult again = IngestCopy("issue.txt", v1::INPUT_FORMAT_TEXT);
  EXPECT_EQ(again.outcome(), v1::INGEST_OUTCOME_UNCHANGED);
  EXPECT_EQ(again.revision(), markdown.revision());
  EXPECT_EQ(store_->HeadRevision(), markdown.revision());
  EXPECT_THAT(again.warnings(),
              Contains(absl::StrCat(
                  "line ", (*parsed)[0].line,
                  ": this copy lacks the issue's address, its date and 6 link "
                  "addresses of the stored issue; the stored ones are kept")));
  ExpectStored(hash, "2025-03-10T00:00:00Z");

  // The HTML page dates the issue 08:00, the Markdown only by its day: a
  // copy's own value wins over a different stored one (storage/issue_merge.h
  // keeps a stored detail only where the copy has none), so it is UPDATED.
  const v1::IngestResult html = IngestCopy("issue.html", v1::INPUT_FORMAT_HTML);
  EXPECT_EQ(html.outcome(), v1::INGEST_OUTCOME_UPDATED);
  EXPECT_EQ(html.revision(), markdown.revision() + 1);
  EXPECT_EQ(html.content_hash(), hash);
  ExpectStored(hash, "2025-03-10T08:00:00Z");
}

}  // namespace
}  // namespace importai::services
