// Rebuilding the search index on open when the analyzer that made it is not
// the one running now (or the index is missing altogether).
#include "storage/index/rebuild.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "search/analyzer.h"
#include "search/query.h"
#include "storage/index/index_keys.h"
#include "storage/rocksdb_store.h"
#include "storage/testing/make_issue.h"
#include "storage/testing/store_test_base.h"

namespace importai::storage {
namespace {

using ::importai::testing::IsOk;
using ::testing::IsEmpty;
using ::testing::SizeIs;

const absl::Time kCommit = absl::FromUnixSeconds(1700000000);
// What a build before utf8proc recorded; any other version would do.
constexpr absl::string_view kOldVersion = "1";

// Issue `number` whose first section's body is `body`.
v1::Issue IssueWithBody(int32_t number, absl::string_view body) {
  v1::Issue issue = testing::MakeIssue(number, 1, false);
  issue.mutable_sections(0)->set_body(std::string(body));
  return issue;
}

// The database under a closed store, opened directly as another build would.
class RawDatabase {
 public:
  explicit RawDatabase(const std::string& dir) {
    std::vector<std::string> names;
    EXPECT_TRUE(
        rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir, &names)
            .ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
    for (const std::string& name : names) {
      descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
    }
    rocksdb::DB* raw = nullptr;
    EXPECT_TRUE(rocksdb::DB::Open(rocksdb::DBOptions(), dir, descriptors,
                                  &handles_, &raw)
                    .ok());
    db_.reset(raw);
  }
  ~RawDatabase() {
    for (rocksdb::ColumnFamilyHandle* handle : handles_) {
      EXPECT_TRUE(db_->DestroyColumnFamilyHandle(handle).ok());
    }
  }

  rocksdb::DB& db() { return *db_; }
  rocksdb::ColumnFamilyHandle* family(absl::string_view name) {
    for (rocksdb::ColumnFamilyHandle* handle : handles_) {
      if (handle->GetName() == name) return handle;
    }
    ADD_FAILURE() << "no column family " << name;
    return nullptr;
  }

  std::string Get(absl::string_view key) {
    std::string value;
    EXPECT_TRUE(db_->Get(rocksdb::ReadOptions(), family("default"),
                         std::string(key), &value)
                    .ok());
    return value;
  }
  void Put(absl::string_view key, absl::string_view value) {
    EXPECT_TRUE(db_->Put(rocksdb::WriteOptions(), family("default"),
                         std::string(key), std::string(value))
                    .ok());
  }
  void Delete(absl::string_view key) {
    EXPECT_TRUE(db_->Delete(rocksdb::WriteOptions(), family("default"),
                            std::string(key))
                    .ok());
  }

  // Removes `term` from the index, as an analyzer that never made it would
  // have left it.
  void ForgetTerm(absl::string_view term) {
    EXPECT_TRUE(
        db_->Delete(rocksdb::WriteOptions(), family("terms"), std::string(term))
            .ok());
    const std::string prefix = index::PostingsPrefix(term);
    std::unique_ptr<rocksdb::Iterator> it(
        db_->NewIterator(rocksdb::ReadOptions(), family("postings")));
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix);
         it->Next()) {
      EXPECT_TRUE(
          db_->Delete(rocksdb::WriteOptions(), family("postings"), it->key())
              .ok());
    }
    EXPECT_TRUE(it->status().ok());
  }

 private:
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

class RebuildTest : public testing::StoreTestBase {
 protected:
  // Closes the store, lets `change` edit its database, and reopens it.
  void ReopenAfter(const std::function<void(RawDatabase&)>& change) {
    store_.reset();
    {
      RawDatabase raw(dir_.path());
      change(raw);
    }
    Reopen();
  }

  void Write(const std::vector<v1::Issue>& issues) {
    ASSERT_THAT(store_->WriteIssues(issues, kCommit, false), IsOk());
  }

  // The issue number and score of each hit, best first.
  std::vector<std::pair<int32_t, double>> Hits(absl::string_view text) {
    std::vector<std::pair<int32_t, double>> hits;
    absl::StatusOr<search::Query> query = search::ParseQuery(text);
    EXPECT_THAT(query, IsOk());
    if (!query.ok()) return hits;
    absl::StatusOr<SearchPage> page = store_->Search(*query, {}, nullptr, 1000);
    EXPECT_THAT(page, IsOk());
    if (!page.ok()) return hits;
    for (const SearchHit& hit : page->hits) {
      hits.emplace_back(hit.issue_number, hit.score);
    }
    return hits;
  }

  std::string RecordedVersion() {
    store_.reset();
    std::string version;
    {
      RawDatabase raw(dir_.path());
      version = raw.Get(index::kAnalyzerVersionKey);
    }
    Reopen();
    return version;
  }
};

TEST_F(RebuildTest, ANewDatabaseRecordsTheVersionWithoutRebuilding) {
  EXPECT_FALSE(store_->index_rebuild().rebuilt);
  EXPECT_EQ(store_->index_rebuild().version, search::AnalyzerVersion());
  EXPECT_EQ(RecordedVersion(), search::AnalyzerVersion());
}

TEST_F(RebuildTest, RebuildsAnIndexMadeByAnotherAnalyzer) {
  Write({IssueWithBody(42, "Fine print: the \xEF\xAC\x81ne tuning of models."),
         IssueWithBody(43, "More models, tuned.")});
  const auto models = Hits("models");
  ASSERT_THAT(models, SizeIs(2));
  // As if an analyzer that kept the ligature "ﬁ" had made the index.
  ReopenAfter([](RawDatabase& raw) {
    raw.ForgetTerm("fine");
    raw.Put(index::kAnalyzerVersionKey, kOldVersion);
  });
  const index::IndexRebuild& rebuild = store_->index_rebuild();
  EXPECT_TRUE(rebuild.rebuilt);
  EXPECT_EQ(rebuild.previous_version, kOldVersion);
  EXPECT_EQ(rebuild.version, search::AnalyzerVersion());
  EXPECT_EQ(rebuild.issues, 2);
  EXPECT_THAT(Hits("fine"), SizeIs(1));
  EXPECT_THAT(Hits("\xEF\xAC\x81ne"), SizeIs(1));
  // Frequencies and statistics are rebuilt, not added to the old ones.
  EXPECT_EQ(Hits("models"), models);
  EXPECT_EQ(RecordedVersion(), search::AnalyzerVersion());
}

TEST_F(RebuildTest, ReopeningWithTheSameAnalyzerKeepsTheIndex) {
  Write({IssueWithBody(44, "The \xEF\xAC\x81ne print.")});
  ReopenAfter([](RawDatabase& raw) { raw.ForgetTerm("fine"); });
  EXPECT_FALSE(store_->index_rebuild().rebuilt);
  EXPECT_EQ(store_->index_rebuild().issues, 0);
  // Not rebuilt: the damage is still there.
  EXPECT_THAT(Hits("fine"), IsEmpty());
  EXPECT_THAT(Hits("print"), SizeIs(1));
}

TEST_F(RebuildTest, RebuildsInSeveralBatches) {
  std::vector<v1::Issue> issues;
  for (int32_t number = 1; number <= 450; ++number) {
    issues.push_back(IssueWithBody(
        number, absl::StrCat("robots ", number % 3 == 0 ? "robots" : "")));
  }
  Write(issues);
  const auto robots = Hits("robots");
  ASSERT_THAT(robots, SizeIs(450));
  ReopenAfter([](RawDatabase& raw) {
    raw.Put(index::kAnalyzerVersionKey, kOldVersion);
  });
  EXPECT_TRUE(store_->index_rebuild().rebuilt);
  EXPECT_EQ(store_->index_rebuild().issues, 450);
  EXPECT_EQ(Hits("robots"), robots);
}

TEST_F(RebuildTest, IndexesADataDirectoryWrittenBeforeTheIndexExisted) {
  v1::Issue issue = IssueWithBody(41, "archived words");
  issue.mutable_sections(0)->add_cited_issues(7);
  Write({issue});
  // A data directory from before the index lacks its families and keys.
  ReopenAfter([](RawDatabase& raw) {
    for (const char* name : {"postings", "terms", "citations"}) {
      ASSERT_TRUE(raw.db().DropColumnFamily(raw.family(name)).ok());
    }
    raw.Delete(index::kIndexStatsKey);
    raw.Delete(index::kAnalyzerVersionKey);
  });
  EXPECT_TRUE(store_->index_rebuild().rebuilt);
  EXPECT_EQ(store_->index_rebuild().previous_version, "");
  EXPECT_THAT(Hits("archived"), SizeIs(1));
  auto citing = store_->ListCitingSections(7, {}, 10);
  ASSERT_THAT(citing, IsOk());
  EXPECT_THAT(*citing, SizeIs(1));
}

}  // namespace
}  // namespace importai::storage
