// Search and ListCitingSections over a real gRPC server: our own sample
// issues for the exact behaviour, the shared corpus for ranking.
#include <chrono>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/testing/corpus.h"
#include "common/testing/fixtures.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "importai/v1/archive_service.grpc.pb.h"
#include "services/page_token.h"
#include "services/testing/in_process_server.h"

namespace importai::services {
namespace {

using ::importai::testing::SampleIssueText;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

class SearchServiceTest : public testing::InProcessServerTest {
 protected:
  void Ingest(const std::string& text) {
    v1::IngestIssuesRequest request;
    request.set_text(text);
    v1::IngestIssuesResponse response;
    grpc::ClientContext context;
    grpc::Status status = ingest_->IngestIssues(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  grpc::Status Search(const std::string& query, v1::SearchResponse* response,
                      const std::string& filter = "", int page_size = 0,
                      const std::string& token = "") {
    v1::SearchRequest request;
    request.set_query(query);
    request.set_filter(filter);
    request.set_page_size(page_size);
    request.set_page_token(token);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    return archive_->Search(&context, request, response);
  }

  std::vector<std::string> Names(const std::string& query,
                                 const std::string& filter = "") {
    v1::SearchResponse response;
    grpc::Status status = Search(query, &response, filter, 100);
    EXPECT_TRUE(status.ok()) << query << ": " << status.error_message();
    std::vector<std::string> names;
    for (const auto& result : response.results())
      names.push_back(result.name());
    return names;
  }

  void ExpectInvalid(const std::string& query, const std::string& filter,
                     const std::string& message_part) {
    v1::SearchResponse response;
    grpc::Status status = Search(query, &response, filter);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << "query " << query << " filter " << filter;
    EXPECT_THAT(status.error_message(), HasSubstr(message_part));
  }
};

TEST_F(SearchServiceTest, ReturnsRankedResultsWithTitlesAndMarkedSnippets) {
  Ingest(SampleIssueText(901) + SampleIssueText(902));
  v1::SearchResponse response;
  grpc::Status status = Search("laundry robot", &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.total_size(), 2);
  ASSERT_EQ(response.results_size(), 2);
  const v1::SearchResult& first = response.results(0);
  EXPECT_EQ(first.name(), "issues/902/sections/1");
  EXPECT_EQ(first.issue_number(), 902);
  EXPECT_EQ(first.title(), "Laundry robots finally get good");
  EXPECT_THAT(first.snippet(), HasSubstr("**robot**"));
  EXPECT_GT(first.score(), 0);
  EXPECT_EQ(response.results(1).name(), "issues/901/sections/1");
  EXPECT_TRUE(response.next_page_token().empty());
}

TEST_F(SearchServiceTest, FindsTalesAndFiltersByKindIssueAndSource) {
  Ingest(SampleIssueText(901) + SampleIssueText(902) + SampleIssueText(903));
  EXPECT_THAT(Names("quiet", "kind = \"tale\" AND issue >= 902"),
              ElementsAre("issues/903/tale", "issues/902/tale"));
  EXPECT_THAT(Names("model*", "issue <= 901"),
              ElementsAre("issues/901/sections/2"));
  EXPECT_THAT(Names("fold", "source = \"arXiv\" AND issue = 902"),
              ElementsAre("issues/902/sections/1"));
  EXPECT_THAT(Names("fold", "kind = tale"), IsEmpty());
}

TEST_F(SearchServiceTest, PagesAreStableAndTokensBelongToTheirQuery) {
  for (int number = 901; number <= 912; ++number)
    Ingest(SampleIssueText(number));
  const std::vector<std::string> all = Names("model");
  ASSERT_EQ(all.size(), 12u);
  std::vector<std::string> paged;
  std::string token;
  do {
    v1::SearchResponse response;
    ASSERT_TRUE(Search("model", &response, "", 5, token).ok());
    EXPECT_EQ(response.total_size(), 12);
    for (const auto& result : response.results())
      paged.push_back(result.name());
    token = response.next_page_token();
  } while (!token.empty());
  EXPECT_EQ(paged, all);

  v1::SearchResponse first;
  ASSERT_TRUE(Search("model", &first, "", 5).ok());
  v1::SearchResponse response;
  for (const auto& [query, filter] :
       std::vector<std::pair<std::string, std::string>>{
           {"models", ""}, {"model", "issue > 3"}}) {
    grpc::Status status =
        Search(query, &response, filter, 5, first.next_page_token());
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(status.error_message(), HasSubstr("another query"));
  }
}

TEST_F(SearchServiceTest, ARevisedIssueReplacesItsHits) {
  Ingest(SampleIssueText(901, 0));
  EXPECT_THAT(Names("10"), ElementsAre("issues/901/sections/1"));
  Ingest(SampleIssueText(901, 7));
  EXPECT_THAT(Names("10"), IsEmpty());
  EXPECT_THAT(Names("17"), ElementsAre("issues/901/sections/1"));
}

TEST_F(SearchServiceTest, HostileQueriesGetClearErrorsOrNothing) {
  Ingest(SampleIssueText(901));
  ExpectInvalid("", "", "query");
  ExpectInvalid("   ", "", "query");
  ExpectInvalid("*", "", "query");
  ExpectInvalid("\"unbalanced quote", "", "position");
  std::vector<std::string> words(5'000, "robot");
  for (size_t i = 0; i < words.size(); ++i) absl::StrAppend(&words[i], i);
  ExpectInvalid(absl::StrJoin(words, " "), "", "query: 5000 terms");
  // Twice that is more than any read may send.
  const std::string twice =
      absl::StrJoin(words, " ") + " " + absl::StrJoin(words, " ");
  v1::SearchResponse refused;
  EXPECT_EQ(Search(twice, &refused).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  ExpectInvalid("robot", "issue >= ", "position");
  ExpectInvalid("robot", "colour = \"red\"", "position 1");
  ExpectInvalid("robot", "issue >= 1 OR kind = tale", "position");
  v1::SearchResponse response;
  ASSERT_TRUE(Search("zzzz nothing matches", &response).ok());
  EXPECT_EQ(response.total_size(), 0);
  EXPECT_THAT(response.results(), IsEmpty());
  ASSERT_TRUE(Search("\x01 robot \t", &response).ok());
  EXPECT_EQ(response.total_size(), 1);
}

TEST_F(SearchServiceTest, ListsTheSectionsThatCiteAnIssue) {
  Ingest(SampleIssueText(901) + SampleIssueText(902));
  v1::ListCitingSectionsRequest request;
  request.set_parent("issues/850");
  request.set_page_size(1);
  v1::ListCitingSectionsResponse response;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(
        archive_->ListCitingSections(&context, request, &response).ok());
  }
  ASSERT_EQ(response.sections_size(), 1);
  EXPECT_EQ(response.sections(0).name(), "issues/902/sections/2");
  request.set_page_token(response.next_page_token());
  {
    grpc::ClientContext context;
    ASSERT_TRUE(
        archive_->ListCitingSections(&context, request, &response).ok());
  }
  ASSERT_EQ(response.sections_size(), 1);
  EXPECT_EQ(response.sections(0).name(), "issues/901/sections/2");
  EXPECT_TRUE(response.next_page_token().empty());

  request.set_parent("issues/-");
  request.clear_page_token();
  grpc::ClientContext context;
  grpc::Status status =
      archive_->ListCitingSections(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("parent"));
}

// A forged cursor at the largest ordinal pages on to the next citing issue
// with no overflow (UBSan, which CI runs the suite under, aborts on one).
TEST_F(SearchServiceTest, AForgedTokenAtTheLastOrdinalPagesOnToTheNextIssue) {
  Ingest(SampleIssueText(901) + SampleIssueText(902));
  v1::ListCitingSectionsRequest request;
  request.set_parent("issues/850");
  request.set_page_token(EncodePageToken("ListCitingSections parent=issues/850",
                                         {902, INT32_MAX}));
  v1::ListCitingSectionsResponse response;
  grpc::ClientContext context;
  grpc::Status status =
      archive_->ListCitingSections(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.sections_size(), 1);
  EXPECT_EQ(response.sections(0).name(), "issues/901/sections/2");
}

class CorpusSearchTest : public SearchServiceTest {
 protected:
  void SetUp() override {
    SearchServiceTest::SetUp();
    std::string where;
    corpus_ =
        importai::testing::ReadCorpusFile("import-ai-382-387.txt", &where);
    if (corpus_.empty()) {
      IMPORTAI_SKIP_WITHOUT_CORPUS("newsletter corpus not found at " << where);
    }
    Ingest(corpus_);
  }

  std::string corpus_;
};

TEST_F(CorpusSearchTest, DiLoCoFindsTheDistributedTrainingSectionsFirst) {
  v1::SearchResponse response;
  ASSERT_TRUE(Search("DiLoCo", &response).ok());
  ASSERT_GE(response.results_size(), 2);
  std::vector<std::string> top_bodies;
  for (int i = 0; i < 2; ++i) {
    v1::GetSectionRequest request;
    request.set_name(response.results(i).name());
    v1::Section section;
    grpc::ClientContext context;
    ASSERT_TRUE(archive_->GetSection(&context, request, &section).ok());
    top_bodies.push_back(section.body());
  }
  EXPECT_THAT(top_bodies, ::testing::UnorderedElementsAre(
                              HasSubstr("INTELLECT-1"), HasSubstr("DisTrO")));
  EXPECT_THAT(response.results(0).snippet(), HasSubstr("**DiLoCo**"));
}

TEST_F(CorpusSearchTest, UpliftFindsTales) {
  v1::SearchResponse response;
  ASSERT_TRUE(Search("uplift", &response).ok());
  ASSERT_GE(response.results_size(), 1);
  for (const v1::SearchResult& result : response.results()) {
    EXPECT_THAT(result.name(), AllOf(StartsWith("issues/"), HasSubstr("/tale")))
        << result.title();
  }
}

TEST_F(CorpusSearchTest, PhraseAndPrefixQueriesFindTheirSections) {
  const std::vector<std::string> phrase = Names("\"distributed training\"");
  ASSERT_FALSE(phrase.empty());
  const std::vector<std::string> prefix = Names("distrib* training");
  EXPECT_GE(prefix.size(), phrase.size());
  for (const std::string& name : phrase) {
    EXPECT_THAT(prefix, ::testing::Contains(name));
  }
}

TEST_F(CorpusSearchTest, CitedBy349ListsTheSectionsThatCiteIt) {
  v1::ListCitingSectionsRequest request;
  request.set_parent("issues/349");
  v1::ListCitingSectionsResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(archive_->ListCitingSections(&context, request, &response).ok());
  ASSERT_EQ(response.sections_size(), 2);
  for (const v1::Section& section : response.sections()) {
    EXPECT_THAT(section.cited_issues(), ::testing::Contains(349));
  }
  EXPECT_GT(response.sections(0).issue_number(),
            response.sections(1).issue_number());
}

}  // namespace
}  // namespace importai::services
