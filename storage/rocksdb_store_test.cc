#include "storage/rocksdb_store.h"

#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/testing/make_issue.h"
#include "storage/testing/store_test_base.h"

namespace importai::storage {
namespace {

using ::importai::testing::IsOk;
using ::importai::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

const absl::Time kFirstCommit = absl::FromUnixSeconds(1700000000);
const absl::Time kLaterCommit = absl::FromUnixSeconds(1700086400);

using ::importai::storage::testing::MakeIssue;
using ::importai::storage::testing::WithDetails;

std::vector<v1::IngestOutcome> Outcomes(const WriteResult& result) {
  std::vector<v1::IngestOutcome> outcomes;
  for (const WriteOutcome& outcome : result.outcomes) {
    outcomes.push_back(outcome.outcome);
  }
  return outcomes;
}

template <typename Message>
std::vector<std::string> Names(const std::vector<Message>& messages) {
  std::vector<std::string> names;
  for (const Message& message : messages) names.push_back(message.name());
  return names;
}

class RocksDbStoreTest : public testing::StoreTestBase {
 protected:
  WriteResult Write(std::vector<v1::Issue> copies,
                    absl::Time time = kFirstCommit, bool dry_run = false) {
    auto result = store_->WriteIssues(copies, time, dry_run);
    EXPECT_THAT(result, IsOk());
    return result.ok() ? *result : WriteResult{};
  }
};

TEST_F(RocksDbStoreTest, EmptyArchiveHasNothing) {
  EXPECT_EQ(store_->HeadRevision(), 0);
  EXPECT_THAT(store_->GetIssue(387),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("issue 387")));
  EXPECT_THAT(store_->GetSection(387, 1),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("section 1")));
  EXPECT_THAT(store_->GetTale(387), StatusIs(absl::StatusCode::kNotFound));
  auto issues = store_->ListIssues(0, 10);
  ASSERT_THAT(issues, IsOk());
  EXPECT_THAT(*issues, SizeIs(0));
}

TEST_F(RocksDbStoreTest, CreatesIssuesWithRevisionsAndTimes) {
  WriteResult result =
      Write({MakeIssue(386, 2, true), MakeIssue(387, 3, false)});
  EXPECT_THAT(Outcomes(result), ElementsAre(v1::INGEST_OUTCOME_CREATED,
                                            v1::INGEST_OUTCOME_CREATED));
  EXPECT_EQ(result.outcomes[0].revision, 1);
  EXPECT_EQ(result.outcomes[1].revision, 2);
  EXPECT_EQ(result.head_revision, 2);
  EXPECT_EQ(store_->HeadRevision(), 2);

  auto issue = store_->GetIssue(387);
  ASSERT_THAT(issue, IsOk());
  EXPECT_EQ(issue->revision(), 2);
  EXPECT_EQ(issue->sections_size(), 3);
  EXPECT_EQ(issue->create_time().seconds(), absl::ToUnixSeconds(kFirstCommit));
  EXPECT_EQ(issue->update_time().seconds(), absl::ToUnixSeconds(kFirstCommit));

  auto section = store_->GetSection(386, 2);
  ASSERT_THAT(section, IsOk());
  EXPECT_EQ(section->name(), "issues/386/sections/2");
  auto tale = store_->GetTale(386);
  ASSERT_THAT(tale, IsOk());
  EXPECT_EQ(tale->title(), "Tale 386");
  EXPECT_THAT(store_->GetTale(387), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(RocksDbStoreTest, ListsAreNewestFirstAndResumeAfterACursor) {
  Write({MakeIssue(5, 1, true), MakeIssue(7, 2, false), MakeIssue(6, 2, true)});

  auto first = store_->ListIssues(0, 2);
  ASSERT_THAT(first, IsOk());
  EXPECT_THAT(Names(*first), ElementsAre("issues/7", "issues/6"));
  auto rest = store_->ListIssues(6, 10);
  ASSERT_THAT(rest, IsOk());
  EXPECT_THAT(Names(*rest), ElementsAre("issues/5"));

  auto sections = store_->ListSections({}, 0, 100);
  ASSERT_THAT(sections, IsOk());
  EXPECT_THAT(Names(*sections),
              ElementsAre("issues/7/sections/1", "issues/7/sections/2",
                          "issues/6/sections/1", "issues/6/sections/2",
                          "issues/5/sections/1"));
  auto after = store_->ListSections({7, 2}, 0, 2);
  ASSERT_THAT(after, IsOk());
  EXPECT_THAT(Names(*after),
              ElementsAre("issues/6/sections/1", "issues/6/sections/2"));
  // A forged cursor at the largest ordinal: no overflow, the next issue.
  auto after_last = store_->ListSections({7, INT32_MAX}, 0, 1);
  ASSERT_THAT(after_last, IsOk());
  EXPECT_THAT(Names(*after_last), ElementsAre("issues/6/sections/1"));
  auto one_issue = store_->ListSections({}, 6, 100);
  ASSERT_THAT(one_issue, IsOk());
  EXPECT_THAT(Names(*one_issue),
              ElementsAre("issues/6/sections/1", "issues/6/sections/2"));
  auto one_issue_after = store_->ListSections({6, 1}, 6, 100);
  ASSERT_THAT(one_issue_after, IsOk());
  EXPECT_THAT(Names(*one_issue_after), ElementsAre("issues/6/sections/2"));

  auto tales = store_->ListTales(0, 100);
  ASSERT_THAT(tales, IsOk());
  EXPECT_THAT(Names(*tales), ElementsAre("issues/6/tale", "issues/5/tale"));
  auto older_tales = store_->ListTales(6, 100);
  ASSERT_THAT(older_tales, IsOk());
  EXPECT_THAT(Names(*older_tales), ElementsAre("issues/5/tale"));
}

TEST_F(RocksDbStoreTest, EqualContentIsUnchangedAndMakesNoRevision) {
  Write({MakeIssue(10, 1, true)});
  WriteResult again = Write({MakeIssue(10, 1, true), MakeIssue(10, 1, true)});
  EXPECT_THAT(Outcomes(again), ElementsAre(v1::INGEST_OUTCOME_UNCHANGED,
                                           v1::INGEST_OUTCOME_UNCHANGED));
  EXPECT_EQ(again.outcomes[0].revision, 1);
  EXPECT_EQ(again.head_revision, 1);
  auto log = store_->ReadRevisions(1, 100);
  ASSERT_THAT(log, IsOk());
  EXPECT_THAT(*log, SizeIs(1));
}

TEST_F(RocksDbStoreTest, DuplicateCopiesInOneRequestCompareWithEachOther) {
  WriteResult result = Write(
      {MakeIssue(10, 1, true), MakeIssue(11, 1, true), MakeIssue(10, 1, true)});
  EXPECT_THAT(Outcomes(result), ElementsAre(v1::INGEST_OUTCOME_CREATED,
                                            v1::INGEST_OUTCOME_CREATED,
                                            v1::INGEST_OUTCOME_UNCHANGED));
  EXPECT_EQ(result.outcomes[2].revision, 1);
}

TEST_F(RocksDbStoreTest, ChangedContentIsUpdatedAndDropsStaleRows) {
  Write({MakeIssue(20, 3, true)});
  WriteResult update =
      Write({MakeIssue(20, 1, false, /*variant=*/1)}, kLaterCommit);
  EXPECT_THAT(Outcomes(update), ElementsAre(v1::INGEST_OUTCOME_UPDATED));
  EXPECT_EQ(update.outcomes[0].revision, 2);

  auto issue = store_->GetIssue(20);
  ASSERT_THAT(issue, IsOk());
  EXPECT_EQ(issue->title(), "Issue 20 variant 1");
  EXPECT_EQ(issue->revision(), 2);
  EXPECT_EQ(issue->create_time().seconds(), absl::ToUnixSeconds(kFirstCommit));
  EXPECT_EQ(issue->update_time().seconds(), absl::ToUnixSeconds(kLaterCommit));
  EXPECT_THAT(store_->GetSection(20, 2), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store_->GetTale(20), StatusIs(absl::StatusCode::kNotFound));
  auto sections = store_->ListSections({}, 20, 100);
  ASSERT_THAT(sections, IsOk());
  EXPECT_THAT(*sections, SizeIs(1));
}

// Whether `issue` holds what WithDetails adds.
void ExpectDetails(const v1::Issue& issue) {
  EXPECT_EQ(issue.uri(),
            absl::StrCat("https://example.org/p/import-ai-", issue.number()));
  EXPECT_TRUE(issue.has_publish_time());
  ASSERT_THAT(issue.sections(), Not(IsEmpty()));
  for (const v1::Section& section : issue.sections()) {
    ASSERT_THAT(section.links(), SizeIs(1));
    EXPECT_EQ(section.links(0).uri(),
              absl::StrCat("https://example.org/paper-", section.ordinal()));
  }
}

TEST_F(RocksDbStoreTest, RicherCopyIsUpdatedAndTheFeedCarriesItsDetails) {
  std::vector<v1::WatchIssuesResponse> events;
  store_->SetCommitListener(
      [&events](const std::vector<CommittedEntry>& committed) {
        for (const CommittedEntry& entry : committed)
          events.push_back(entry.event);
      });
  Write({MakeIssue(25, 2, true)});
  WriteResult richer = Write({WithDetails(MakeIssue(25, 2, true))});
  EXPECT_THAT(Outcomes(richer), ElementsAre(v1::INGEST_OUTCOME_UPDATED));
  EXPECT_EQ(richer.outcomes[0].revision, 2);
  EXPECT_THAT(richer.outcomes[0].notes, IsEmpty());

  auto issue = store_->GetIssue(25);
  ASSERT_THAT(issue, IsOk());
  ExpectDetails(*issue);
  auto section = store_->GetSection(25, 2);
  ASSERT_THAT(section, IsOk());
  EXPECT_EQ(section->links(0).uri(), "https://example.org/paper-2");
  ASSERT_THAT(events, SizeIs(2));
  EXPECT_EQ(events[1].type(), v1::EVENT_TYPE_UPDATED);
  ExpectDetails(events[1].issue());
}

TEST_F(RocksDbStoreTest, PoorerCopyIsUnchangedErasesNothingAndSaysSo) {
  Write({WithDetails(MakeIssue(26, 2, true))});
  WriteResult poorer = Write({MakeIssue(26, 2, true)});
  EXPECT_THAT(Outcomes(poorer), ElementsAre(v1::INGEST_OUTCOME_UNCHANGED));
  EXPECT_EQ(poorer.outcomes[0].revision, 1);
  EXPECT_THAT(poorer.outcomes[0].notes,
              ElementsAre(HasSubstr("the stored ones are kept")));
  EXPECT_EQ(poorer.head_revision, 1);
  auto issue = store_->GetIssue(26);
  ASSERT_THAT(issue, IsOk());
  ExpectDetails(*issue);
}

TEST_F(RocksDbStoreTest, SameRichCopyTwiceIsUnchanged) {
  Write({WithDetails(MakeIssue(27, 1, false))});
  WriteResult again = Write({WithDetails(MakeIssue(27, 1, false))});
  EXPECT_THAT(Outcomes(again), ElementsAre(v1::INGEST_OUTCOME_UNCHANGED));
  EXPECT_THAT(again.outcomes[0].notes, IsEmpty());
  EXPECT_EQ(store_->HeadRevision(), 1);
}

TEST_F(RocksDbStoreTest, NewWordsKeepTheStoredDetailsTheCopyLacks) {
  Write({WithDetails(MakeIssue(28, 2, true))});
  WriteResult edited = Write({MakeIssue(28, 2, true, /*variant=*/1)});
  EXPECT_THAT(Outcomes(edited), ElementsAre(v1::INGEST_OUTCOME_UPDATED));
  EXPECT_THAT(edited.outcomes[0].notes, SizeIs(1));
  auto issue = store_->GetIssue(28);
  ASSERT_THAT(issue, IsOk());
  EXPECT_EQ(issue->title(), "Issue 28 variant 1");
  ExpectDetails(*issue);
}

TEST_F(RocksDbStoreTest, LaterCopiesInOneRequestMergeOntoEarlierOnes) {
  WriteResult result =
      Write({MakeIssue(29, 1, false), WithDetails(MakeIssue(29, 1, false)),
             MakeIssue(29, 1, false)});
  EXPECT_THAT(Outcomes(result), ElementsAre(v1::INGEST_OUTCOME_CREATED,
                                            v1::INGEST_OUTCOME_UPDATED,
                                            v1::INGEST_OUTCOME_UNCHANGED));
  EXPECT_EQ(result.outcomes[2].revision, 2);
  EXPECT_THAT(result.outcomes[2].notes, SizeIs(1));
  auto log = store_->ReadRevisions(1, 100);
  ASSERT_THAT(log, IsOk());
  ASSERT_THAT(*log, SizeIs(2));
  ExpectDetails((*log)[1].issue());
}

TEST_F(RocksDbStoreTest, DryRunMergesLikeAWriteAndStoresNothing) {
  Write({MakeIssue(24, 1, false)});
  WriteResult dry = Write(
      {WithDetails(MakeIssue(24, 1, false)), MakeIssue(24, 1, false)},
      kFirstCommit, /*dry_run=*/true);
  EXPECT_THAT(Outcomes(dry), ElementsAre(v1::INGEST_OUTCOME_UPDATED,
                                         v1::INGEST_OUTCOME_UNCHANGED));
  EXPECT_EQ(dry.outcomes[0].revision, 0);
  EXPECT_EQ(dry.outcomes[1].revision, 0);
  EXPECT_THAT(dry.outcomes[1].notes, SizeIs(1));
  auto issue = store_->GetIssue(24);
  ASSERT_THAT(issue, IsOk());
  EXPECT_THAT(issue->uri(), IsEmpty());
  EXPECT_EQ(store_->HeadRevision(), 1);
}

TEST_F(RocksDbStoreTest, RevisionLogRecordsEachChangeAsWritten) {
  Write({MakeIssue(30, 1, false), MakeIssue(31, 1, false)});
  Write({MakeIssue(30, 2, false, 1)}, kLaterCommit);
  auto log = store_->ReadRevisions(1, 100);
  ASSERT_THAT(log, IsOk());
  ASSERT_THAT(*log, SizeIs(3));
  EXPECT_EQ((*log)[0].type(), v1::EVENT_TYPE_CREATED);
  EXPECT_EQ((*log)[0].issue().section_count(), 1);
  EXPECT_EQ((*log)[1].issue().number(), 31);
  EXPECT_EQ((*log)[2].type(), v1::EVENT_TYPE_UPDATED);
  EXPECT_EQ((*log)[2].revision(), 3);
  EXPECT_EQ((*log)[2].issue().section_count(), 2);
  EXPECT_EQ((*log)[2].commit_time().seconds(),
            absl::ToUnixSeconds(kLaterCommit));

  auto tail = store_->ReadRevisions(3, 100);
  ASSERT_THAT(tail, IsOk());
  ASSERT_THAT(*tail, SizeIs(1));
  EXPECT_EQ((*tail)[0].revision(), 3);
  auto limited = store_->ReadRevisions(1, 2);
  ASSERT_THAT(limited, IsOk());
  EXPECT_THAT(*limited, SizeIs(2));
}

TEST_F(RocksDbStoreTest, DryRunReportsOutcomesAndStoresNothing) {
  Write({MakeIssue(40, 1, false)});
  WriteResult dry = Write({MakeIssue(40, 1, false), MakeIssue(41, 1, false),
                           MakeIssue(41, 1, false)},
                          kFirstCommit, /*dry_run=*/true);
  EXPECT_THAT(Outcomes(dry), ElementsAre(v1::INGEST_OUTCOME_UNCHANGED,
                                         v1::INGEST_OUTCOME_CREATED,
                                         v1::INGEST_OUTCOME_UNCHANGED));
  EXPECT_EQ(dry.outcomes[0].revision, 1);
  EXPECT_EQ(dry.outcomes[1].revision, 0);
  EXPECT_EQ(dry.outcomes[2].revision, 0);
  EXPECT_EQ(dry.head_revision, 1);
  EXPECT_EQ(store_->HeadRevision(), 1);
  EXPECT_THAT(store_->GetIssue(41), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(RocksDbStoreTest, EverythingSurvivesCloseAndReopen) {
  Write({MakeIssue(50, 2, true), MakeIssue(51, 1, false)});
  Write({MakeIssue(50, 2, true, 1)});
  Reopen();
  EXPECT_EQ(store_->HeadRevision(), 3);
  auto issue = store_->GetIssue(50);
  ASSERT_THAT(issue, IsOk());
  EXPECT_EQ(issue->revision(), 3);
  EXPECT_THAT(store_->GetTale(50), IsOk());
  auto log = store_->ReadRevisions(1, 100);
  ASSERT_THAT(log, IsOk());
  EXPECT_THAT(*log, SizeIs(3));
  // Revisions continue from the last committed one.
  WriteResult next = Write({MakeIssue(52, 1, false)});
  EXPECT_EQ(next.outcomes[0].revision, 4);
}

TEST_F(RocksDbStoreTest, SecondOpenOfTheSameDirectoryFailsClearly) {
  auto second = RocksDbStore::Open(dir_.path());
  EXPECT_THAT(second,
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr(dir_.path())));
}

TEST_F(RocksDbStoreTest, RetentionByCountTrimsTheOldestRevisions) {
  EXPECT_EQ(store_->OldestRevision(), 1);
  for (int number = 60; number < 65; ++number)
    Write({MakeIssue(number, 1, false)});
  EXPECT_EQ(store_->OldestRevision(), 1);
  RetentionPolicy keep_two;
  keep_two.max_revisions = 2;
  auto oldest = store_->TrimRevisionLog(keep_two, kLaterCommit);
  ASSERT_THAT(oldest, IsOk());
  EXPECT_EQ(*oldest, 4);
  EXPECT_EQ(store_->OldestRevision(), 4);
  auto log = store_->ReadRevisions(1, 100);
  ASSERT_THAT(log, IsOk());
  ASSERT_THAT(*log, SizeIs(2));
  EXPECT_EQ((*log)[0].revision(), 4);
  // Issues themselves are not trimmed, and the bound survives a restart.
  EXPECT_THAT(store_->GetIssue(60), IsOk());
  Reopen();
  EXPECT_EQ(store_->OldestRevision(), 4);
  EXPECT_EQ(store_->HeadRevision(), 5);
}

TEST_F(RocksDbStoreTest, RetentionByAgeKeepsRecentRevisionsAndTheHead) {
  Write({MakeIssue(70, 1, false), MakeIssue(71, 1, false)}, kFirstCommit);
  Write({MakeIssue(72, 1, false)}, kLaterCommit);
  RetentionPolicy one_hour;
  one_hour.max_age = absl::Hours(1);
  auto oldest =
      store_->TrimRevisionLog(one_hour, kLaterCommit + absl::Minutes(1));
  ASSERT_THAT(oldest, IsOk());
  EXPECT_EQ(*oldest, 3);
  // Even when everything is old, the head stays readable.
  oldest = store_->TrimRevisionLog(one_hour, kLaterCommit + absl::Hours(5));
  ASSERT_THAT(oldest, IsOk());
  EXPECT_EQ(*oldest, 3);
  auto log = store_->ReadRevisions(1, 100);
  ASSERT_THAT(log, IsOk());
  ASSERT_THAT(*log, SizeIs(1));
  EXPECT_EQ((*log)[0].revision(), 3);
}

TEST_F(RocksDbStoreTest, DefaultRetentionKeepsEverything) {
  Write({MakeIssue(80, 1, false), MakeIssue(81, 1, false)});
  auto oldest = store_->TrimRevisionLog(RetentionPolicy{}, kLaterCommit);
  ASSERT_THAT(oldest, IsOk());
  EXPECT_EQ(*oldest, 1);
}

TEST_F(RocksDbStoreTest, CommitListenerSeesEachCommittedWriteInOrder) {
  std::vector<int64_t> seen;
  store_->SetCommitListener(
      [&seen](const std::vector<CommittedEntry>& committed) {
        for (const CommittedEntry& entry : committed) {
          v1::WatchIssuesResponse stored;
          ASSERT_TRUE(stored.ParseFromString(entry.bytes));
          EXPECT_EQ(stored.revision(), entry.event.revision());
          seen.push_back(entry.event.revision());
        }
      });
  Write({MakeIssue(90, 1, false), MakeIssue(91, 1, false)});
  Write({MakeIssue(90, 1, false)});  // unchanged: nothing committed
  Write({MakeIssue(92, 1, false)}, kFirstCommit, /*dry_run=*/true);
  Write({MakeIssue(91, 1, false, 1)});
  EXPECT_THAT(seen, ElementsAre(1, 2, 3));
}

TEST_F(RocksDbStoreTest, PastTheDeadlineBeforeTheCommitNothingIsStored) {
  const std::vector<v1::Issue> copies = {MakeIssue(93, 1, false)};
  EXPECT_THAT(store_->WriteIssues(copies, kFirstCommit, /*dry_run=*/false,
                                  absl::Now() - absl::Milliseconds(1)),
              StatusIs(absl::StatusCode::kDeadlineExceeded,
                       HasSubstr("nothing was stored")));
  EXPECT_EQ(store_->HeadRevision(), 0);
  EXPECT_THAT(store_->GetIssue(93), StatusIs(absl::StatusCode::kNotFound));
  // A dry run commits nothing, so it has no deadline to miss.
  EXPECT_THAT(store_->WriteIssues(copies, kFirstCommit, /*dry_run=*/true,
                                  absl::Now() - absl::Milliseconds(1)),
              IsOk());
}

// The deadline passes while the write is being made durable (the listener
// runs after the sync, under the same lock): it committed, so it succeeds.
TEST_F(RocksDbStoreTest, AWriteThatCommitsReportsSuccessHoweverLate) {
  const absl::Time deadline = absl::Now() + absl::Milliseconds(50);
  store_->SetCommitListener([deadline](const std::vector<CommittedEntry>&) {
    while (absl::Now() <= deadline) absl::SleepFor(absl::Milliseconds(5));
  });
  auto written = store_->WriteIssues({MakeIssue(94, 1, false)}, kFirstCommit,
                                     /*dry_run=*/false, deadline);
  ASSERT_THAT(written, IsOk());
  EXPECT_THAT(Outcomes(*written), ElementsAre(v1::INGEST_OUTCOME_CREATED));
  EXPECT_EQ(store_->HeadRevision(), 1);
}

TEST_F(RocksDbStoreTest, ConcurrentWritersGetContiguousRevisions) {
  constexpr int kThreads = 4;
  constexpr int kIssuesPerThread = 10;
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([this, t] {
      for (int i = 0; i < kIssuesPerThread; ++i) {
        Write({MakeIssue(1000 + t * kIssuesPerThread + i, 1, false)});
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  EXPECT_EQ(store_->HeadRevision(), kThreads * kIssuesPerThread);
  auto log = store_->ReadRevisions(1, 1000);
  ASSERT_THAT(log, IsOk());
  ASSERT_THAT(*log, SizeIs(kThreads * kIssuesPerThread));
  for (size_t i = 0; i < log->size(); ++i) {
    EXPECT_EQ((*log)[i].revision(), static_cast<int64_t>(i + 1));
  }
}

}  // namespace
}  // namespace importai::storage
