// ArchiveService and IngestService over a real gRPC server on a free
// loopback port, with RocksDB in a temporary directory and real stubs.
#include <chrono>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/testing/corpus.h"
#include "common/testing/fixtures.h"
#include "common/testing/status_matchers.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/unknown_field_set.h"
#include "google/protobuf/util/json_util.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "importai/v1/archive_service.grpc.pb.h"
#include "importai/v1/ingest_service.grpc.pb.h"
#include "services/page_token.h"
#include "services/server.h"
#include "services/testing/in_process_server.h"
#include "storage/rocksdb_store.h"

namespace importai::services {
namespace {

using ::importai::testing::IsOk;
using ::importai::testing::SampleIssueText;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

class ServiceTest : public testing::InProcessServerTest {
 protected:
  grpc::Status Ingest(const std::string& text,
                      v1::IngestIssuesResponse* response,
                      bool validate_only = false) {
    v1::IngestIssuesRequest request;
    request.set_text(text);
    request.set_source("test");
    request.set_validate_only(validate_only);
    grpc::ClientContext context;
    return ingest_->IngestIssues(&context, request, response);
  }

  v1::IngestIssuesResponse MustIngest(const std::string& text) {
    v1::IngestIssuesResponse response;
    grpc::Status status = Ingest(text, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  grpc::Status GetIssue(const std::string& name, v1::IssueView view,
                        v1::Issue* issue) {
    v1::GetIssueRequest request;
    request.set_name(name);
    request.set_view(view);
    grpc::ClientContext context;
    return archive_->GetIssue(&context, request, issue);
  }

  grpc::Status ListIssues(int page_size, const std::string& token,
                          v1::ListIssuesResponse* response) {
    v1::ListIssuesRequest request;
    request.set_page_size(page_size);
    request.set_page_token(token);
    grpc::ClientContext context;
    return archive_->ListIssues(&context, request, response);
  }

  grpc::Status ListSections(const std::string& parent, int page_size,
                            const std::string& token,
                            v1::ListSectionsResponse* response) {
    v1::ListSectionsRequest request;
    request.set_parent(parent);
    request.set_page_size(page_size);
    request.set_page_token(token);
    grpc::ClientContext context;
    return archive_->ListSections(&context, request, response);
  }
};

TEST_F(ServiceTest, HealthAnswersForTheServerAndEachService) {
  auto health = grpc::health::v1::Health::NewStub(channel_);
  for (const char* service :
       {"", "importai.v1.ArchiveService", "importai.v1.IngestService"}) {
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    grpc::health::v1::HealthCheckResponse response;
    grpc::ClientContext context;
    ASSERT_TRUE(health->Check(&context, request, &response).ok()) << service;
    EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING)
        << service;
  }
}

TEST_F(ServiceTest, HealthWatchStreamsTheStatusAndItsChange) {
  auto health = grpc::health::v1::Health::NewStub(channel_);
  grpc::health::v1::HealthCheckRequest request;
  request.set_service("importai.v1.ArchiveService");
  grpc::ClientContext context;
  auto stream = health->Watch(&context, request);
  grpc::health::v1::HealthCheckResponse response;
  ASSERT_TRUE(stream->Read(&response));
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
  server_->Shutdown(absl::Seconds(1));
  // Shutting down reports NOT_SERVING before the stream ends.
  ASSERT_TRUE(stream->Read(&response));
  EXPECT_EQ(response.status(),
            grpc::health::v1::HealthCheckResponse::NOT_SERVING);
}

TEST_F(ServiceTest, IngestCreatesThenReportsUnchanged) {
  const std::string text = SampleIssueText(901) + SampleIssueText(902);
  v1::IngestIssuesResponse first = MustIngest(text);
  ASSERT_THAT(first.results(), SizeIs(2));
  EXPECT_EQ(first.results(0).number(), 901);
  EXPECT_EQ(first.results(0).outcome(), v1::INGEST_OUTCOME_CREATED);
  EXPECT_EQ(first.results(0).revision(), 1);
  EXPECT_EQ(first.results(1).revision(), 2);
  EXPECT_EQ(first.results(0).content_hash().size(), 64u);
  EXPECT_EQ(first.head_revision(), 2);

  v1::IngestIssuesResponse again = MustIngest(text);
  EXPECT_EQ(again.results(0).outcome(), v1::INGEST_OUTCOME_UNCHANGED);
  EXPECT_EQ(again.results(1).outcome(), v1::INGEST_OUTCOME_UNCHANGED);
  EXPECT_EQ(again.results(0).content_hash(), first.results(0).content_hash());
  EXPECT_EQ(again.head_revision(), 2);

  v1::IngestIssuesResponse changed = MustIngest(SampleIssueText(901, 1));
  EXPECT_EQ(changed.results(0).outcome(), v1::INGEST_OUTCOME_UPDATED);
  EXPECT_EQ(changed.results(0).revision(), 3);
}

TEST_F(ServiceTest, ValidateOnlyReportsWithoutStoring) {
  v1::IngestIssuesResponse response;
  ASSERT_TRUE(Ingest(SampleIssueText(903), &response, true).ok());
  ASSERT_THAT(response.results(), SizeIs(1));
  EXPECT_EQ(response.results(0).outcome(), v1::INGEST_OUTCOME_CREATED);
  EXPECT_EQ(response.head_revision(), 0);
  v1::Issue issue;
  EXPECT_EQ(GetIssue("issues/903", v1::ISSUE_VIEW_FULL, &issue).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(ServiceTest, TextWithoutAnIssueIsRejectedNamingTheLine) {
  for (const std::string& text : {std::string(), std::string("hello\nworld\n"),
                                  std::string("\x01\xc3\xbf garbage: *** …")}) {
    v1::IngestIssuesResponse response;
    grpc::Status status = Ingest(text, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(status.error_message(), HasSubstr("line"));
  }
  EXPECT_EQ(store_->HeadRevision(), 0);
}

TEST_F(ServiceTest, OversizedTextIsRejectedAndNothingIsStored) {
  ServerOptions options;
  options.ingest.max_text_bytes = 1024;
  StartServer(options);
  v1::IngestIssuesResponse response;
  grpc::Status status =
      Ingest(SampleIssueText(904) + SampleIssueText(905), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(status.error_message(), HasSubstr("1024"));
  EXPECT_EQ(store_->HeadRevision(), 0);
}

TEST_F(ServiceTest, TenMegabyteArchiveIngestsInOneRequest) {
  std::string text;
  int issues = 0;
  while (text.size() < 10'000'000) text += SampleIssueText(10000 + issues++);
  v1::IngestIssuesResponse response = MustIngest(text);
  EXPECT_THAT(response.results(), SizeIs(issues));
  EXPECT_EQ(response.head_revision(), issues);
}

// gRPC's receive limit must admit a 10 MB ingest (above) and is the whole
// server's, so reads refuse a large request themselves, before any work,
// with a short message however large the request.
TEST_F(ServiceTest, ReadsRefuseLargeRequests) {
  MustIngest(SampleIssueText(906));
  v1::Issue issue;
  grpc::Status status =
      GetIssue(std::string(1 << 20, '/'), v1::ISSUE_VIEW_FULL, &issue);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(status.error_message(), HasSubstr("read"));
  EXPECT_LT(status.error_message().size(), 200u);

  // Room a client cannot see in the fields it sets: unknown fields count.
  const std::string padding(1 << 20, 'x');
  v1::ListIssuesRequest list;
  list.GetReflection()->MutableUnknownFields(&list)->AddLengthDelimited(
      1000, padding);
  v1::ListIssuesResponse listed;
  grpc::ClientContext list_context;
  EXPECT_EQ(archive_->ListIssues(&list_context, list, &listed).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);

  v1::WatchIssuesRequest watch;
  watch.GetReflection()->MutableUnknownFields(&watch)->AddLengthDelimited(
      1000, padding);
  grpc::ClientContext watch_context;
  watch_context.set_deadline(std::chrono::system_clock::now() +
                             std::chrono::seconds(10));  // fail, never hang
  auto stream = archive_->WatchIssues(&watch_context, watch);
  v1::WatchIssuesResponse event;
  EXPECT_FALSE(stream->Read(&event));
  EXPECT_EQ(stream->Finish().error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);

  // A request of ordinary size is served.
  EXPECT_TRUE(GetIssue("issues/906", v1::ISSUE_VIEW_FULL, &issue).ok());
}

TEST_F(ServiceTest, GetIssueServesViewsAndClearErrors) {
  MustIngest(SampleIssueText(906));
  v1::Issue full;
  ASSERT_TRUE(GetIssue("issues/906", v1::ISSUE_VIEW_UNSPECIFIED, &full).ok());
  EXPECT_EQ(full.name(), "issues/906");
  EXPECT_EQ(full.section_count(), 2);
  EXPECT_EQ(full.revision(), 1);
  EXPECT_TRUE(full.has_create_time());
  EXPECT_THAT(full.sections(0).body(), Not(IsEmpty()));
  EXPECT_THAT(full.sections(0).links(), SizeIs(1));
  EXPECT_THAT(full.tale().body(), Not(IsEmpty()));

  v1::Issue basic;
  ASSERT_TRUE(GetIssue("issues/906", v1::ISSUE_VIEW_BASIC, &basic).ok());
  EXPECT_THAT(basic.sections(), SizeIs(2));
  EXPECT_EQ(basic.sections(0).title(), full.sections(0).title());
  EXPECT_EQ(basic.sections(0).summary(), full.sections(0).summary());
  EXPECT_THAT(basic.sections(0).body(), IsEmpty());
  EXPECT_THAT(basic.sections(0).links(), IsEmpty());
  EXPECT_EQ(basic.tale().title(), full.tale().title());
  EXPECT_THAT(basic.tale().body(), IsEmpty());

  v1::Issue missing;
  grpc::Status not_found = GetIssue("issues/1", v1::ISSUE_VIEW_FULL, &missing);
  EXPECT_EQ(not_found.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(not_found.error_message(), HasSubstr("issue 1"));
  grpc::Status malformed = GetIssue("issue/906", v1::ISSUE_VIEW_FULL, &missing);
  EXPECT_EQ(malformed.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(malformed.error_message(), HasSubstr("name"));
  grpc::Status bad_view =
      GetIssue("issues/906", static_cast<v1::IssueView>(9), &missing);
  EXPECT_EQ(bad_view.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(bad_view.error_message(), HasSubstr("view"));
}

TEST_F(ServiceTest, ListIssuesPagesNewestFirstInBasicView) {
  MustIngest(SampleIssueText(907) + SampleIssueText(909) +
             SampleIssueText(908));
  v1::ListIssuesResponse first;
  ASSERT_TRUE(ListIssues(2, "", &first).ok());
  ASSERT_THAT(first.issues(), SizeIs(2));
  EXPECT_EQ(first.issues(0).number(), 909);
  EXPECT_EQ(first.issues(1).number(), 908);
  EXPECT_THAT(first.issues(0).sections(0).body(), IsEmpty());
  ASSERT_THAT(first.next_page_token(), Not(IsEmpty()));

  v1::ListIssuesResponse second;
  ASSERT_TRUE(ListIssues(2, first.next_page_token(), &second).ok());
  ASSERT_THAT(second.issues(), SizeIs(1));
  EXPECT_EQ(second.issues(0).number(), 907);
  EXPECT_THAT(second.next_page_token(), IsEmpty());

  v1::ListIssuesResponse all;
  ASSERT_TRUE(ListIssues(0, "", &all).ok());
  EXPECT_THAT(all.issues(), SizeIs(3));
  EXPECT_THAT(all.next_page_token(), IsEmpty());
  ASSERT_TRUE(ListIssues(1000, "", &all).ok());
}

TEST_F(ServiceTest, ListRefusesBadPageSizesAndTokens) {
  MustIngest(SampleIssueText(910));
  v1::ListIssuesResponse response;
  grpc::Status negative = ListIssues(-1, "", &response);
  EXPECT_EQ(negative.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(negative.error_message(), HasSubstr("page_size"));
  grpc::Status garbage = ListIssues(1, "bogus", &response);
  EXPECT_EQ(garbage.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(garbage.error_message(), HasSubstr("page_token"));

  MustIngest(SampleIssueText(911));
  v1::ListSectionsResponse sections;
  ASSERT_TRUE(ListSections("issues/-", 1, "", &sections).ok());
  grpc::Status other_query =
      ListIssues(1, sections.next_page_token(), &response);
  EXPECT_EQ(other_query.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  grpc::Status other_parent =
      ListSections("issues/911", 1, sections.next_page_token(), &sections);
  EXPECT_EQ(other_parent.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

// The cursor is the client's to forge: one at the largest ordinal has nothing
// after it in its issue, and must page on to the next issue with no overflow
// (UBSan, which CI runs the suite under, aborts on one).
TEST_F(ServiceTest, AForgedTokenAtTheLastOrdinalPagesOnToTheNextIssue) {
  MustIngest(SampleIssueText(910) + SampleIssueText(911));
  v1::ListSectionsResponse response;
  grpc::Status status = ListSections(
      "issues/-", 100,
      EncodePageToken("ListSections parent=issues/-", {911, INT32_MAX}),
      &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_THAT(response.sections(), Not(IsEmpty()));
  EXPECT_EQ(response.sections(0).name(), "issues/910/sections/1");
  for (const v1::Section& section : response.sections()) {
    EXPECT_EQ(section.issue_number(), 910);
  }

  status = ListSections(
      "issues/911", 100,
      EncodePageToken("ListSections parent=issues/911", {911, INT32_MAX}),
      &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_THAT(response.sections(), IsEmpty());
}

TEST_F(ServiceTest, SectionsAndTalesAreReadableOnTheirOwn) {
  MustIngest(SampleIssueText(912) + SampleIssueText(913));
  std::vector<std::string> names;
  std::string token;
  do {
    v1::ListSectionsResponse page;
    ASSERT_TRUE(ListSections("issues/-", 3, token, &page).ok());
    for (const v1::Section& section : page.sections()) {
      names.push_back(section.name());
    }
    token = page.next_page_token();
  } while (!token.empty());
  EXPECT_THAT(names, ::testing::ElementsAre(
                         "issues/913/sections/1", "issues/913/sections/2",
                         "issues/912/sections/1", "issues/912/sections/2"));

  v1::ListSectionsResponse one;
  ASSERT_TRUE(ListSections("issues/912", 0, "", &one).ok());
  EXPECT_THAT(one.sections(), SizeIs(2));
  EXPECT_THAT(one.sections(1).cited_issues(), ::testing::ElementsAre(850));
  grpc::Status absent = ListSections("issues/5", 0, "", &one);
  EXPECT_EQ(absent.error_code(), grpc::StatusCode::NOT_FOUND);
  grpc::Status bad_parent = ListSections("issues/x", 0, "", &one);
  EXPECT_EQ(bad_parent.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(bad_parent.error_message(), HasSubstr("parent"));

  v1::GetSectionRequest section_request;
  section_request.set_name("issues/912/sections/1");
  v1::Section section;
  grpc::ClientContext section_context;
  ASSERT_TRUE(
      archive_->GetSection(&section_context, section_request, &section).ok());
  EXPECT_EQ(section.ordinal(), 1);
  EXPECT_THAT(section.body(), Not(IsEmpty()));

  v1::GetTaleRequest tale_request;
  tale_request.set_name("issues/913/tale");
  v1::Tale tale;
  grpc::ClientContext tale_context;
  ASSERT_TRUE(archive_->GetTale(&tale_context, tale_request, &tale).ok());
  EXPECT_EQ(tale.issue_number(), 913);
  EXPECT_THAT(tale.setting(), Not(IsEmpty()));

  v1::ListTalesRequest tales_request;
  tales_request.set_page_size(1);
  v1::ListTalesResponse tales;
  grpc::ClientContext tales_context;
  ASSERT_TRUE(archive_->ListTales(&tales_context, tales_request, &tales).ok());
  ASSERT_THAT(tales.tales(), SizeIs(1));
  EXPECT_EQ(tales.tales(0).name(), "issues/913/tale");
  EXPECT_THAT(tales.next_page_token(), Not(IsEmpty()));
}

TEST_F(ServiceTest, CorpusIngestYieldsTheExpectedOutcomes) {
  std::string where;
  const std::string corpus =
      importai::testing::ReadCorpusFile("import-ai-382-387.txt", &where);
  const std::string expected_json = importai::testing::ReadCorpusFile(
      "import-ai-382-387.expected.json", &where);
  if (corpus.empty() || expected_json.empty()) {
    IMPORTAI_SKIP_WITHOUT_CORPUS("newsletter corpus not found at " << where);
  }
  google::protobuf::Struct expected;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(expected_json, &expected)
          .ok());
  const auto& outcomes =
      expected.fields().at("ingest_outcomes_in_order").list_value();

  v1::IngestIssuesResponse first = MustIngest(corpus);
  ASSERT_EQ(first.results_size(), outcomes.values_size());
  int64_t next_revision = 1;
  for (int i = 0; i < outcomes.values_size(); ++i) {
    const auto& want = outcomes.values(i).struct_value().fields();
    const v1::IngestResult& got = first.results(i);
    EXPECT_EQ(got.number(), want.at("number").number_value()) << i;
    EXPECT_EQ(v1::IngestOutcome_Name(got.outcome()),
              "INGEST_OUTCOME_" + want.at("outcome").string_value())
        << i;
    if (got.outcome() == v1::INGEST_OUTCOME_CREATED) {
      EXPECT_EQ(got.revision(), next_revision++) << i;
    }
  }
  EXPECT_EQ(first.head_revision(), 6);

  v1::IngestIssuesResponse again = MustIngest(corpus);
  for (const v1::IngestResult& result : again.results()) {
    EXPECT_EQ(result.outcome(), v1::INGEST_OUTCOME_UNCHANGED)
        << result.number();
  }
  EXPECT_EQ(again.head_revision(), 6);
}

}  // namespace
}  // namespace importai::services
