// IngestIssues' format, allow_partial and merge warnings over a real gRPC
// server on a free loopback port, with RocksDB in a temporary directory.
#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
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

}  // namespace
}  // namespace importai::services
