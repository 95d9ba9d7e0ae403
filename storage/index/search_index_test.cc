// Search and the citation graph through RocksDbStore: the index is written
// with the issues it describes and read back as ranked pages.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/rocksdb_store.h"
#include "storage/testing/store_test_base.h"

namespace importai::storage {
namespace {

using ::importai::testing::IsOk;
using ::importai::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const absl::Time kCommit = absl::FromUnixSeconds(1700000000);

struct SectionText {
  std::string title;
  std::string summary;
  std::string body;
  std::string source;  // of its one link; none when empty
  std::vector<int32_t> cited;
};

struct TaleText {
  std::string title;
  std::string setting;
  std::string body;
};

v1::Issue MakeIssue(int32_t number, const std::vector<SectionText>& sections,
                    const TaleText* tale = nullptr) {
  v1::Issue issue;
  issue.set_name(absl::StrCat("issues/", number));
  issue.set_number(number);
  int32_t ordinal = 0;
  std::string hash = absl::StrCat(number);
  for (const SectionText& text : sections) {
    v1::Section* section = issue.add_sections();
    section->set_ordinal(++ordinal);
    section->set_name(absl::StrCat(issue.name(), "/sections/", ordinal));
    section->set_issue_number(number);
    section->set_title(text.title);
    section->set_summary(text.summary);
    section->set_body(text.body);
    if (!text.source.empty()) {
      v1::Link* link = section->add_links();
      link->set_title("A paper");
      link->set_source(text.source);
    }
    for (int32_t cited : text.cited) section->add_cited_issues(cited);
    absl::StrAppend(&hash, "|", text.title, text.summary, text.body);
  }
  issue.set_section_count(ordinal);
  if (tale != nullptr) {
    v1::Tale* out = issue.mutable_tale();
    out->set_name(absl::StrCat(issue.name(), "/tale"));
    out->set_issue_number(number);
    out->set_title(tale->title);
    out->set_setting(tale->setting);
    out->set_body(tale->body);
    absl::StrAppend(&hash, "|", tale->title, tale->body);
  }
  issue.set_content_hash(hash);
  return issue;
}

search::Query Parse(absl::string_view text) {
  absl::StatusOr<search::Query> query = search::ParseQuery(text);
  EXPECT_THAT(query, IsOk()) << text;
  return query.ok() ? *query : search::Query();
}

class SearchIndexTest : public testing::StoreTestBase {
 protected:
  void Write(const std::vector<v1::Issue>& issues) {
    ASSERT_THAT(store_->WriteIssues(issues, kCommit, false), IsOk());
  }

  // Names of every hit, best first ("382/2", "383/tale").
  std::vector<std::string> Hits(absl::string_view query,
                                const search::Filter& filter = {}) {
    absl::StatusOr<SearchPage> page =
        store_->Search(Parse(query), filter, nullptr, 100);
    EXPECT_THAT(page, IsOk()) << query;
    std::vector<std::string> names;
    if (!page.ok()) return names;
    EXPECT_EQ(page->total_size, static_cast<int32_t>(page->hits.size()));
    for (const SearchHit& hit : page->hits) {
      names.push_back(
          absl::StrCat(hit.issue_number, "/",
                       hit.ordinal == 0 ? "tale" : absl::StrCat(hit.ordinal)));
    }
    return names;
  }
};

TEST_F(SearchIndexTest, TitlesOutrankDeksOutrankBodies) {
  Write({MakeIssue(
      10, {{"Weather report", "", "A long body that mentions gliders once."},
           {"Gliders everywhere", "", "Nothing else of note here today."},
           {"Other news", "The gliders are back", "Plain body text."}})});
  EXPECT_THAT(Hits("gliders"), ElementsAre("10/2", "10/3", "10/1"));
}

TEST_F(SearchIndexTest, IgnoresCaseAccentsAndApostropheKinds) {
  Write({MakeIssue(11, {{"Café robots", "", "The lab’s new arm can pour."}})});
  EXPECT_THAT(Hits("CAFE"), ElementsAre("11/1"));
  EXPECT_THAT(Hits("lab's"), ElementsAre("11/1"));
  EXPECT_THAT(Hits("lab’s arm"), ElementsAre("11/1"));
}

TEST_F(SearchIndexTest, EveryWordMustMatch) {
  Write({MakeIssue(12, {{"Robots", "", "distributed systems"},
                        {"Training", "", "training runs, distributed"},
                        {"Neither", "", "nothing here"}})});
  EXPECT_THAT(Hits("distributed training"), ElementsAre("12/2"));
  EXPECT_THAT(Hits("distributed absentword"), IsEmpty());
}

TEST_F(SearchIndexTest, PhrasesNeedTheWordsInOrderAndAdjacent) {
  Write({MakeIssue(13, {{"A", "", "We study distributed training at scale."},
                        {"B", "", "Training that is distributed badly."},
                        {"C", "", "Distributed, low-cost training."}})});
  EXPECT_THAT(Hits("\"distributed training\""), ElementsAre("13/1"));
  // A hyphenated word is a phrase too.
  EXPECT_THAT(Hits("low-cost"), ElementsAre("13/3"));
  EXPECT_THAT(Hits("\"cost low\""), IsEmpty());
}

TEST_F(SearchIndexTest, PhrasesDoNotSpanFieldParts) {
  v1::Issue issue = MakeIssue(14, {{"T", "", "ends with open"}});
  issue.mutable_sections(0)->set_why_it_matters("source code matters");
  Write({issue});
  EXPECT_THAT(Hits("\"open source\""), IsEmpty());
  EXPECT_THAT(Hits("open source"), ElementsAre("14/1"));
}

TEST_F(SearchIndexTest, PrefixesMatchEveryWordTheyStart) {
  Write({MakeIssue(15, {{"A", "", "distributed"},
                        {"B", "", "distribution"},
                        {"C", "", "district"}})});
  EXPECT_THAT(Hits("distrib*"), ElementsAre("15/1", "15/2"));
}

TEST_F(SearchIndexTest, ATooShortPrefixOfTooManyWordsIsRefused) {
  std::string body;
  for (int i = 0; i < 300; ++i) absl::StrAppend(&body, "zq", i, "x ");
  Write({MakeIssue(16, {{"Many", "", body}})});
  EXPECT_THAT(store_->Search(Parse("zq*"), {}, nullptr, 10),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("\"zq*\" matches more than")));
  EXPECT_THAT(Hits("zq29*"), ElementsAre("16/1"));
}

TEST_F(SearchIndexTest, FindsTalesByTitleSettingAndBody) {
  const TaleText tale{"The Uplift", "[A lab, 2040]", "An uplifted crow sings."};
  Write({MakeIssue(17, {{"Other news", "", "About the uplift."}}, &tale)});
  EXPECT_THAT(Hits("uplift"), ElementsAre("17/tale", "17/1"));
  search::Filter tales;
  tales.kind = search::Filter::Kind::kTale;
  EXPECT_THAT(Hits("uplift", tales), ElementsAre("17/tale"));
  search::Filter sections;
  sections.kind = search::Filter::Kind::kSection;
  EXPECT_THAT(Hits("uplift", sections), ElementsAre("17/1"));
  EXPECT_THAT(Hits("lab 2040"), ElementsAre("17/tale"));
}

TEST_F(SearchIndexTest, FiltersByIssueRangeAndSource) {
  Write({MakeIssue(20, {{"Agents", "", "agents", "arXiv"}}),
         MakeIssue(21, {{"Agents", "", "agents", "Example Blog"}}),
         MakeIssue(22, {{"Agents", "", "agents", "arXiv"},
                        {"More agents", "", "agents"}})});
  search::Filter range;
  range.min_issue = 21;
  range.max_issue = 21;
  EXPECT_THAT(Hits("agents", range), ElementsAre("21/1"));
  search::Filter arxiv;
  arxiv.source = "arxiv";
  EXPECT_THAT(Hits("agents", arxiv), ElementsAre("22/1", "20/1"));
  arxiv.min_issue = 21;
  EXPECT_THAT(Hits("agents", arxiv), ElementsAre("22/1"));
  search::Filter nowhere;
  nowhere.source = "no such source";
  EXPECT_THAT(Hits("agents", nowhere), IsEmpty());
}

TEST_F(SearchIndexTest, ARevisionReplacesItsStaleHits) {
  Write({MakeIssue(30, {{"Old title", "", "the word uplift appears"}})});
  EXPECT_THAT(Hits("uplift"), ElementsAre("30/1"));
  Write({MakeIssue(30, {{"New title", "", "the word upgrade appears"}})});
  EXPECT_THAT(Hits("uplift"), IsEmpty());
  EXPECT_THAT(Hits("old"), IsEmpty());
  EXPECT_THAT(Hits("upgrade"), ElementsAre("30/1"));
  // A copy and its revision in one request leave only the revision.
  Write({MakeIssue(31, {{"First", "", "alpha"}}),
         MakeIssue(31, {{"Second", "", "beta"}})});
  EXPECT_THAT(Hits("alpha"), IsEmpty());
  EXPECT_THAT(Hits("beta"), ElementsAre("31/1"));
}

TEST_F(SearchIndexTest, ADryRunIndexesNothing) {
  ASSERT_THAT(store_->WriteIssues({MakeIssue(32, {{"Dry", "", "unstored"}})},
                                  kCommit, true),
              IsOk());
  EXPECT_THAT(Hits("unstored"), IsEmpty());
}

TEST_F(SearchIndexTest, TheIndexSurvivesReopening) {
  Write({MakeIssue(40, {{"Durable", "", "persistent postings"}})});
  Reopen();
  EXPECT_THAT(Hits("persistent postings"), ElementsAre("40/1"));
}

TEST_F(SearchIndexTest, PagesFollowEachOtherWithoutGapOrRepeat) {
  std::vector<v1::Issue> issues;
  for (int32_t number = 50; number < 62; ++number) {
    std::string body = "robots";
    for (int i = 0; i < number % 4; ++i) body += " robots";
    issues.push_back(MakeIssue(
        number, {{"Robots", "", body}, {"More", "", "robots again"}}));
  }
  Write(issues);
  const std::vector<std::string> all = Hits("robots");
  ASSERT_EQ(all.size(), 24u);
  std::vector<std::string> paged;
  SearchCursor cursor;
  const SearchCursor* after = nullptr;
  for (int page_count = 0; page_count < 10; ++page_count) {
    auto page = store_->Search(Parse("robots"), {}, after, 5);
    ASSERT_THAT(page, IsOk());
    EXPECT_EQ(page->total_size, 24);
    for (const SearchHit& hit : page->hits) {
      paged.push_back(absl::StrCat(hit.issue_number, "/", hit.ordinal));
      cursor = {hit.score, hit.issue_number, hit.ordinal};
    }
    if (page->hits.size() < 5) break;
    after = &cursor;
  }
  EXPECT_EQ(paged, all);
}

TEST_F(SearchIndexTest, ListsCitingSectionsNewestFirst) {
  Write({MakeIssue(70, {{"A", "", "x", "", {349}}, {"B", "", "x", "", {12}}}),
         MakeIssue(71, {{"C", "", "x", "", {}},
                        {"D", "", "x", "", {12, 349}},
                        {"E", "", "x", "", {349}}})});
  auto names = [&](SectionPosition after, int limit) {
    std::vector<std::string> out;
    auto sections = store_->ListCitingSections(349, after, limit);
    EXPECT_THAT(sections, IsOk());
    if (sections.ok()) {
      for (const v1::Section& section : *sections)
        out.push_back(section.name());
    }
    return out;
  };
  EXPECT_THAT(names({}, 10),
              ElementsAre("issues/71/sections/2", "issues/71/sections/3",
                          "issues/70/sections/1"));
  EXPECT_THAT(names({71, 2}, 1), ElementsAre("issues/71/sections/3"));
  EXPECT_THAT(names({71, 3}, 10), ElementsAre("issues/70/sections/1"));
  // A forged cursor at the largest ordinal: no overflow, the next issue.
  EXPECT_THAT(names({71, INT32_MAX}, 10), ElementsAre("issues/70/sections/1"));
  EXPECT_THAT(names({}, 10).size(), 3u);
  auto uncited = store_->ListCitingSections(999, {}, 10);
  ASSERT_THAT(uncited, IsOk());
  EXPECT_THAT(*uncited, IsEmpty());

  // A revision that drops a citation drops the edge with it.
  Write({MakeIssue(71, {{"C", "", "x", "", {}}})});
  EXPECT_THAT(names({}, 10), ElementsAre("issues/70/sections/1"));
}

}  // namespace
}  // namespace importai::storage
