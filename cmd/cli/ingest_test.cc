// `importai ingest` against a fake IngestService on a real loopback gRPC
// server: each file's text scripts the answer, so the tests see what the
// client sends, prints and returns.
#include "cmd/cli/ingest.h"

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "cmd/cli/test_server.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/server.h"
#include "gtest/gtest.h"

namespace importai::cli {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

// Answers each line "N OUTCOME" of the text with a result for issue N
// ("N REJECTED" with an error), or fails with code C for a text "fail C".
class FakeIngest final : public v1::IngestService::Service {
 public:
  std::vector<v1::IngestIssuesRequest> requests() const {
    absl::MutexLock lock(&mu_);
    return requests_;
  }

  grpc::Status IngestIssues(grpc::ServerContext* context,
                            const v1::IngestIssuesRequest* request,
                            v1::IngestIssuesResponse* response) override {
    absl::MutexLock lock(&mu_);
    requests_.push_back(*request);
    int code = 0;
    if (absl::StartsWith(request->text(), "fail ") &&
        absl::SimpleAtoi(request->text().substr(5), &code)) {
      return grpc::Status(static_cast<grpc::StatusCode>(code), "scripted");
    }
    for (absl::string_view line :
         absl::StrSplit(request->text(), '\n', absl::SkipEmpty())) {
      std::vector<std::string> words = absl::StrSplit(line, ' ');
      v1::IngestResult* result = response->add_results();
      int number = 0;
      (void)absl::SimpleAtoi(words[0], &number);
      result->set_number(number);
      v1::IngestOutcome outcome = v1::INGEST_OUTCOME_UNSPECIFIED;
      v1::IngestOutcome_Parse(absl::StrCat("INGEST_OUTCOME_", words[1]),
                              &outcome);
      result->set_outcome(outcome);
      if (outcome == v1::INGEST_OUTCOME_REJECTED) {
        result->set_error(absl::StrCat("issue ", number, ": bad (line 3)"));
      } else if (outcome != v1::INGEST_OUTCOME_UNCHANGED) {
        result->set_revision(++head_);
      }
    }
    response->set_head_revision(head_);
    return grpc::Status::OK;
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<v1::IngestIssuesRequest> requests_ ABSL_GUARDED_BY(mu_);
  int64_t head_ ABSL_GUARDED_BY(mu_) = 0;
};

struct IngestOutput {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string address;
    server_ = StartTestServer({&fake_}, "127.0.0.1:0", address);
    ASSERT_NE(server_, nullptr);
    stub_ = v1::IngestService::NewStub(NewChannel(address));
  }

  void TearDown() override {
    server_->Shutdown(std::chrono::system_clock::now());
  }

  // A file named `name` in the temporary directory holding `text`.
  std::string File(const std::string& name, const std::string& text) {
    const std::string path = absl::StrCat(dir_.path(), "/", name);
    std::ofstream(path) << text;
    return path;
  }

  IngestOutput Ingest(const std::vector<std::string>& files) {
    std::ostringstream out, err;
    IngestOutput output;
    output.exit_code = RunIngest(*stub_, options_, files, out, err);
    output.out = out.str();
    output.err = err.str();
    return output;
  }

  importai::testing::TempDir dir_;
  FakeIngest fake_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::IngestService::Stub> stub_;
  CliOptions options_;
};

TEST(ParseInputFormatTest, KnowsEachFormatAndAuto) {
  EXPECT_EQ(ParseInputFormat("auto"), v1::INPUT_FORMAT_UNSPECIFIED);
  EXPECT_EQ(ParseInputFormat("text"), v1::INPUT_FORMAT_TEXT);
  EXPECT_EQ(ParseInputFormat("markdown"), v1::INPUT_FORMAT_MARKDOWN);
  EXPECT_EQ(ParseInputFormat("html"), v1::INPUT_FORMAT_HTML);
  EXPECT_EQ(ParseInputFormat("feed"), v1::INPUT_FORMAT_FEED);
  EXPECT_EQ(ParseInputFormat("rss"), std::nullopt);
  EXPECT_EQ(ParseInputFormat(""), std::nullopt);
}

TEST_F(IngestTest, SendsOneRequestPerFileAndEndsWithASummary) {
  options_.format = v1::INPUT_FORMAT_MARKDOWN;
  options_.allow_partial = true;
  const std::string a = File("a.md", "1 CREATED\n2 CREATED\n");
  const std::string b = File("b.md", "1 UNCHANGED\n");
  IngestOutput output = Ingest({a, b});
  EXPECT_EQ(output.exit_code, kExitOk) << output.err;
  EXPECT_THAT(output.err, IsEmpty());
  const std::vector<v1::IngestIssuesRequest> requests = fake_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].text(), "1 CREATED\n2 CREATED\n");
  EXPECT_EQ(requests[0].source(), a);
  EXPECT_EQ(requests[0].format(), v1::INPUT_FORMAT_MARKDOWN);
  EXPECT_TRUE(requests[0].allow_partial());
  EXPECT_EQ(requests[1].source(), b);
  EXPECT_THAT(output.out,
              AllOf(HasSubstr(absl::StrCat(a,
                                           ": 2 issue copies: 2 created, "
                                           "0 updated, 0 unchanged, 0 "
                                           "rejected\n")),
                    HasSubstr("ingested 2 files: 3 issues; 2 created, 0 "
                              "updated, 1 unchanged, 0 rejected; head "
                              "revision 2\n")));
}

TEST_F(IngestTest, RejectedCopiesAreListedAndTheExitStatusSaysSo) {
  IngestOutput output =
      Ingest({File("a.txt", "1 CREATED\n7 REJECTED\n2 CREATED\n")});
  EXPECT_EQ(output.exit_code, kExitFailed);
  EXPECT_THAT(output.out,
              AllOf(HasSubstr("Import AI 7\tREJECTED\n  error: issue 7: bad "
                              "(line 3)\n"),
                    HasSubstr("2 created, 0 updated, 0 unchanged, 1 "
                              "rejected; head revision 2")));
  EXPECT_THAT(output.err, HasSubstr("a.txt: REJECTED: issue 7: bad (line 3)"));
}

TEST_F(IngestTest, AFailedFileIsReportedAndTheOthersStillGo) {
  const std::string missing = absl::StrCat(dir_.path(), "/missing.txt");
  IngestOutput output = Ingest(
      {missing, File("bad.txt", "fail 3"), File("good.txt", "5 CREATED\n")});
  EXPECT_EQ(output.exit_code, kExitFailed);
  EXPECT_EQ(fake_.requests().size(), 2u);
  EXPECT_THAT(output.err,
              AllOf(HasSubstr(absl::StrCat("cannot read \"", missing, "\"")),
                    HasSubstr("bad.txt: INVALID_ARGUMENT: scripted")));
  EXPECT_THAT(output.out,
              HasSubstr("ingested 1 of 3 files (2 failed): 1 issue; 1 "
                        "created"));
}

TEST_F(IngestTest, AnErrorEveryFileWouldMeetStopsTheRun) {
  IngestOutput output =
      Ingest({File("a.txt", "fail 14"), File("b.txt", "1 CREATED\n"),
              File("c.txt", "2 CREATED\n")});
  EXPECT_EQ(output.exit_code, kExitFailed);
  EXPECT_EQ(fake_.requests().size(), 1u);
  EXPECT_THAT(output.err, AllOf(HasSubstr("UNAVAILABLE: scripted"),
                                HasSubstr("stopped; 2 files were not sent")));
}

TEST_F(IngestTest, JsonIsOneObjectPerFileAndTheSummaryGoesToStderr) {
  options_.json = true;
  IngestOutput output =
      Ingest({File("a.txt", "1 CREATED\n"), File("b.txt", "fail 3")});
  const std::vector<std::string> lines =
      absl::StrSplit(output.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << output.out;
  // Read with plain string checks and the typed response: a
  // google::protobuf::Struct's map is laid out differently in the TSan build
  // than in Debian's libprotobuf. The end-to-end test reads these with jq.
  const std::string response_key = ",\"response\":";
  EXPECT_THAT(lines[0], StartsWith("{\"file\":\""));
  EXPECT_THAT(lines[0], HasSubstr("a.txt\""));
  const size_t response_at = lines[0].find(response_key);
  ASSERT_NE(response_at, std::string::npos) << lines[0];
  ASSERT_EQ(lines[0].back(), '}');
  const std::string response_json = lines[0].substr(
      response_at + response_key.size(),
      lines[0].size() - 1 - response_at - response_key.size());
  v1::IngestIssuesResponse response;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(response_json, &response)
          .ok())
      << response_json;
  EXPECT_EQ(response.results(0).outcome(), v1::INGEST_OUTCOME_CREATED);
  EXPECT_THAT(lines[1], AllOf(StartsWith("{\"file\":\""), HasSubstr("b.txt\""),
                              HasSubstr(",\"error\":{\"code\":"
                                        "\"INVALID_ARGUMENT\",\"message\":")));
  EXPECT_THAT(output.err, HasSubstr("ingested 1 of 2 files (1 failed)"));
}

TEST_F(IngestTest, ProgressIsOneLineRewrittenInPlace) {
  options_.progress = true;
  IngestOutput output =
      Ingest({File("a.txt", "1 CREATED\n"), File("b.txt", "2 UPDATED\n")});
  EXPECT_EQ(output.exit_code, kExitOk);
  EXPECT_THAT(output.err,
              AllOf(HasSubstr("\r\033[Kimportai: 0/2 files, 0 issues"),
                    HasSubstr("\r\033[Kimportai: 2/2 files, 2 issues: 1 "
                              "created, 1 updated")));
  EXPECT_THAT(output.err, Not(HasSubstr("\n")));  // erased, never ended
  EXPECT_THAT(output.out, Not(HasSubstr("\r")));
}

TEST(IngestSummaryTest, SaysWhatAValidationRunWouldDo) {
  IngestTally tally;
  tally.files = 1;
  tally.files_done = 1;
  v1::IngestIssuesResponse response;
  response.add_results()->set_outcome(v1::INGEST_OUTCOME_CREATED);
  response.set_head_revision(4);
  tally.Add(response);
  EXPECT_EQ(FormatIngestSummary(tally, /*validate_only=*/true),
            "validated 1 file: 1 issue; 1 created, 0 updated, 0 unchanged, 0 "
            "rejected; head revision 4; nothing stored");
}

}  // namespace
}  // namespace importai::cli
