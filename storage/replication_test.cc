// A replica's store fed from a primary's, through ApplyEvents and snapshot
// loads: it must hold the same bytes, index, citations and log.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/testing/status_matchers.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "search/query.h"
#include "storage/rocksdb_store.h"
#include "storage/testing/make_issue.h"

namespace importai::storage {
namespace {

using ::importai::storage::testing::MakeIssue;
using ::importai::testing::IsOk;
using ::importai::testing::StatusIs;
using ::importai::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const absl::Time kCommit = absl::FromUnixSeconds(1700000000);

std::unique_ptr<RocksDbStore> OpenStore(const std::string& dir) {
  auto opened = RocksDbStore::Open(dir);
  EXPECT_THAT(opened, IsOk());
  return opened.ok() ? *std::move(opened) : nullptr;
}

// Issue `number` citing issue 7 from its first section.
v1::Issue CitingIssue(int32_t number, int variant) {
  v1::Issue issue = MakeIssue(number, 2, /*with_tale=*/true, variant);
  issue.mutable_sections(0)->add_cited_issues(7);
  return issue;
}

// Everything a reader can see, serialized, for comparing two stores.
std::string Contents(RocksDbStore& store) {
  std::string out = absl::StrCat("head=", store.HeadRevision(), "\n");
  auto issues = store.ListIssues(0, 1000);
  EXPECT_THAT(issues, IsOk());
  for (const v1::Issue& listed : *issues) {
    auto bytes = store.GetIssueBytes(listed.number());
    EXPECT_THAT(bytes, IsOk());
    absl::StrAppend(&out, "issue ", listed.number(), ": ", **bytes, "\n");
  }
  auto sections = store.ListSections({}, 0, 1000);
  for (const v1::Section& section : *sections) {
    absl::StrAppend(&out, "section ", section.SerializeAsString(), "\n");
  }
  auto tales = store.ListTales(0, 1000);
  for (const v1::Tale& tale : *tales) {
    absl::StrAppend(&out, "tale ", tale.SerializeAsString(), "\n");
  }
  auto citing = store.ListCitingSections(7, {}, 1000);
  for (const v1::Section& section : *citing) {
    absl::StrAppend(&out, "cites 7: ", section.name(), "\n");
  }
  for (const char* words : {"variant1", "section", "tale*", "paper"}) {
    auto query = search::ParseQuery(words);
    auto page = store.Search(*query, {}, nullptr, 100);
    EXPECT_THAT(page, IsOk());
    for (const SearchHit& hit : page->hits) {
      absl::StrAppend(&out, "hit ", words, " ", hit.issue_number, "/",
                      hit.ordinal, " ", hit.score, "\n");
    }
  }
  return out;
}

std::vector<v1::WatchIssuesResponse> Log(RocksDbStore& store) {
  auto entries = store.ReadRevisions(1, 1000);
  EXPECT_THAT(entries, IsOk());
  return entries.ok() ? *entries : std::vector<v1::WatchIssuesResponse>{};
}

class ReplicationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    primary_ = OpenStore(primary_dir_.path());
    replica_ = OpenStore(replica_dir_.path());
    // Revisions 1-4: three issues, then an update of 384 (its tale dropped,
    // one section fewer).
    ASSERT_THAT(primary_->WriteIssues({CitingIssue(382, 0), CitingIssue(383, 0),
                                       MakeIssue(384, 3, true, 0)},
                                      kCommit, false),
                IsOk());
    ASSERT_THAT(primary_->WriteIssues({MakeIssue(384, 2, false, 1)},
                                      kCommit + absl::Hours(1), false),
                IsOk());
  }

  TempDir primary_dir_;
  TempDir replica_dir_;
  std::unique_ptr<RocksDbStore> primary_;
  std::unique_ptr<RocksDbStore> replica_;
};

TEST_F(ReplicationTest, AppliedLogMatchesThePrimaryByteForByte) {
  std::vector<v1::WatchIssuesResponse> published;
  replica_->SetCommitListener(
      [&published](const std::vector<CommittedEntry>& committed) {
        for (const CommittedEntry& entry : committed)
          published.push_back(entry.event);
      });
  const std::vector<v1::WatchIssuesResponse> log = Log(*primary_);
  ASSERT_EQ(log.size(), 4u);
  // In two writes, to apply across a batch boundary.
  ASSERT_THAT(replica_->ApplyEvents({log[0], log[1]}), IsOk());
  auto head = replica_->ApplyEvents({log[2], log[3]});
  ASSERT_THAT(head, IsOk());
  EXPECT_EQ(*head, 4);

  EXPECT_EQ(Contents(*replica_), Contents(*primary_));
  const std::vector<v1::WatchIssuesResponse> copied = Log(*replica_);
  ASSERT_EQ(copied.size(), log.size());
  for (size_t i = 0; i < log.size(); ++i) {
    EXPECT_EQ(copied[i].SerializeAsString(), log[i].SerializeAsString());
  }
  ASSERT_EQ(published.size(), 4u);
  EXPECT_EQ(published.back().revision(), 4);
  EXPECT_EQ(replica_->OldestRevision(), 1);
}

TEST_F(ReplicationTest, ApplyingAgainChangesNothing) {
  const std::vector<v1::WatchIssuesResponse> log = Log(*primary_);
  ASSERT_THAT(replica_->ApplyEvents(log), IsOk());
  const std::string before = Contents(*replica_);
  int listened = 0;
  replica_->SetCommitListener(
      [&listened](const std::vector<CommittedEntry>&) { ++listened; });
  auto head = replica_->ApplyEvents(log);
  ASSERT_THAT(head, IsOk());
  EXPECT_EQ(*head, 4);
  EXPECT_EQ(listened, 0);
  EXPECT_EQ(Contents(*replica_), before);
}

TEST_F(ReplicationTest, GapIsRefusedAndNothingIsStored) {
  const std::vector<v1::WatchIssuesResponse> log = Log(*primary_);
  EXPECT_THAT(replica_->ApplyEvents({log[0], log[2]}),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("revisions 2 to 2 are missing")));
  EXPECT_EQ(replica_->HeadRevision(), 0);
  EXPECT_THAT(replica_->GetIssue(382), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(ReplicationTest, ProgressEventIsNotAChange) {
  v1::WatchIssuesResponse progress;
  progress.set_type(v1::EVENT_TYPE_PROGRESS);
  progress.set_revision(1);
  EXPECT_THAT(replica_->ApplyEvents({progress}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("revision 1: not a change")));
  EXPECT_EQ(replica_->HeadRevision(), 0);
}

// Loads `primary_`'s snapshot into `replica_` in batches of about one issue.
void CopySnapshot(RocksDbStore& primary, RocksDbStore& replica) {
  auto snapshot = primary.OpenSnapshot();
  ASSERT_THAT(snapshot, IsOk());
  for (;;) {
    auto batch = (*snapshot)->Next(1);
    ASSERT_THAT(batch, IsOk());
    if (batch->empty()) break;
    std::vector<v1::Issue> issues(batch->size());
    for (size_t i = 0; i < batch->size(); ++i) {
      ASSERT_TRUE(issues[i].ParseFromString((*batch)[i]));
    }
    ASSERT_THAT(replica.LoadSnapshotIssues(issues), IsOk());
  }
  ASSERT_THAT(replica.FinishSnapshotLoad((*snapshot)->revision()), IsOk());
}

TEST_F(ReplicationTest, SnapshotIsConsistentWhileWritesGoOn) {
  auto snapshot = primary_->OpenSnapshot();
  ASSERT_THAT(snapshot, IsOk());
  ASSERT_THAT(primary_->WriteIssues({MakeIssue(385, 1, false)}, kCommit, false),
              IsOk());
  EXPECT_EQ((*snapshot)->revision(), 4);
  std::vector<int32_t> numbers;
  for (;;) {
    auto batch = (*snapshot)->Next(1 << 20);
    ASSERT_THAT(batch, IsOk());
    if (batch->empty()) break;
    for (const std::string& bytes : *batch) {
      v1::Issue issue;
      ASSERT_TRUE(issue.ParseFromString(bytes));
      numbers.push_back(issue.number());
    }
  }
  EXPECT_EQ(numbers, (std::vector<int32_t>{384, 383, 382}));
}

TEST_F(ReplicationTest, SnapshotThenFollowMatchesThePrimary) {
  // The replica held an older copy of 384 and a log the snapshot replaces.
  ASSERT_THAT(replica_->ApplyEvents({Log(*primary_)[0]}), IsOk());
  // The primary moves on and trims its log past what the replica has.
  ASSERT_THAT(primary_->WriteIssues({CitingIssue(385, 1)}, kCommit, false),
              IsOk());
  ASSERT_THAT(primary_->TrimRevisionLog({.max_revisions = 1}, kCommit), IsOk());
  ASSERT_EQ(primary_->OldestRevision(), 5);

  CopySnapshot(*primary_, *replica_);
  EXPECT_EQ(replica_->HeadRevision(), 5);
  EXPECT_EQ(replica_->OldestRevision(), 6);
  EXPECT_THAT(Log(*replica_), IsEmpty());
  EXPECT_FALSE(replica_->SnapshotLoadPending());
  EXPECT_EQ(Contents(*replica_), Contents(*primary_));

  // Then it follows from the snapshot's revision + 1.
  ASSERT_THAT(primary_->WriteIssues({CitingIssue(382, 2)}, kCommit, false),
              IsOk());
  ASSERT_THAT(replica_->ApplyEvents(Log(*primary_)), IsOk());
  EXPECT_EQ(Contents(*replica_), Contents(*primary_));
  EXPECT_EQ(Log(*replica_).size(), 1u);
}

TEST_F(ReplicationTest, LoadCutShortIsPendingAcrossRestart) {
  auto snapshot = primary_->OpenSnapshot();
  ASSERT_THAT(snapshot, IsOk());
  auto first = (*snapshot)->Next(1);
  ASSERT_THAT(first, IsOk());
  v1::Issue issue;
  ASSERT_TRUE(issue.ParseFromString(first->front()));
  ASSERT_THAT(replica_->LoadSnapshotIssues({issue}), IsOk());
  EXPECT_TRUE(replica_->SnapshotLoadPending());

  replica_.reset();
  replica_ = OpenStore(replica_dir_.path());
  EXPECT_TRUE(replica_->SnapshotLoadPending());
  CopySnapshot(*primary_, *replica_);
  EXPECT_FALSE(replica_->SnapshotLoadPending());
  EXPECT_EQ(Contents(*replica_), Contents(*primary_));
  replica_.reset();
  replica_ = OpenStore(replica_dir_.path());
  EXPECT_FALSE(replica_->SnapshotLoadPending());
  EXPECT_EQ(replica_->HeadRevision(), 4);
}

TEST_F(ReplicationTest, SnapshotOlderThanTheHeadIsRefused) {
  ASSERT_THAT(replica_->ApplyEvents(Log(*primary_)), IsOk());
  EXPECT_THAT(replica_->FinishSnapshotLoad(2),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("older than the head 4")));
  EXPECT_EQ(replica_->HeadRevision(), 4);
}

}  // namespace
}  // namespace importai::storage
