// RocksDbStore on a failing disk: RocksDB writes through a rocksdb::Env that
// fails while a fault is set ("No space left on device" on every write, or
// only on fsync, or "Input/output error"). A failed write must be an
// UNAVAILABLE error naming the cause, never a crash; nothing of it may be
// visible; reads keep working; and after a restart (a reopen) exactly the
// acknowledged writes are there, revisions 1..head, and writes go on.
//
// RecoveryTest and FlakyDiskTest also check the store takes writes again,
// without a restart, as soon as the disk is back: the first write after it
// succeeds, with nothing to wait for, since RocksDbStore resumes RocksDB
// itself before writing (RocksDB's background recovery is off). That holds
// for no space and failed syncs; after an I/O error on the WAL RocksDB
// refuses to resume and only a restart helps, so that fault is not in those
// tests.
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/testing/status_matchers.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "search/filter.h"
#include "search/query.h"
#include "storage/rocksdb_store.h"
#include "storage/testing/fault_injection_env.h"
#include "storage/testing/make_issue.h"

namespace importai::storage {
namespace {

using ::importai::testing::IsOk;
using ::importai::testing::StatusIs;
using ::testing::AllOf;
using ::testing::AnyOf;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using Fault = testing::FaultInjectionEnv::Fault;

const absl::Time kCommit = absl::FromUnixSeconds(1700000000);

using ::importai::storage::testing::MakeIssue;

class FaultInjectionTest : public ::testing::TestWithParam<Fault> {
 protected:
  void SetUp() override { Open(); }

  // (Re)opens the store on the fault-injecting Env: a restart.
  void Open() {
    store_.reset();
    RocksDbStoreOptions options;
    options.env = &env_;
    auto opened = RocksDbStore::Open(dir_.path(), options);
    ASSERT_THAT(opened, IsOk());
    store_ = *std::move(opened);
  }

  absl::StatusOr<WriteResult> Write(std::vector<v1::Issue> copies) {
    return store_->WriteIssues(copies, kCommit, /*dry_run=*/false);
  }

  // A write with the fault set: UNAVAILABLE, naming the cause.
  void ExpectWriteFails(std::vector<v1::Issue> copies) {
    env_.SetFault(GetParam());
    EXPECT_THAT(Write(std::move(copies)),
                StatusIs(absl::StatusCode::kUnavailable, HasSubstr(Message())));
  }

  // Clears the fault and writes: the very first write must succeed.
  absl::StatusOr<WriteResult> WriteOnceTheDiskIsBack(
      std::vector<v1::Issue> copies) {
    env_.SetFault(Fault::kNone);
    return Write(std::move(copies));
  }

  const char* Message() const {
    return testing::FaultInjectionEnv::Message(GetParam());
  }

  // The issue, its section rows and its tale row are exactly `expected`.
  void ExpectStoredAs(const v1::Issue& expected, int64_t revision) {
    SCOPED_TRACE(absl::StrCat("issue ", expected.number()));
    absl::StatusOr<v1::Issue> stored = store_->GetIssue(expected.number());
    ASSERT_THAT(stored, IsOk());
    EXPECT_EQ(stored->content_hash(), expected.content_hash());
    EXPECT_EQ(stored->revision(), revision);
    auto sections = store_->ListSections({}, expected.number(), 100);
    ASSERT_THAT(sections, IsOk());
    EXPECT_THAT(*sections, SizeIs(expected.sections_size()));
    EXPECT_EQ(store_->GetTale(expected.number()).ok(), expected.has_tale());
  }

  // Nothing of issue `number` is stored.
  void ExpectAbsent(int32_t number) {
    SCOPED_TRACE(absl::StrCat("issue ", number));
    EXPECT_THAT(store_->GetIssue(number),
                StatusIs(absl::StatusCode::kNotFound));
    auto sections = store_->ListSections({}, number, 100);
    ASSERT_THAT(sections, IsOk());
    EXPECT_THAT(*sections, SizeIs(0));
    EXPECT_THAT(store_->GetTale(number), StatusIs(absl::StatusCode::kNotFound));
  }

  // The log holds exactly revisions 1..head, in order.
  void ExpectLogIsOneTo(int64_t head) {
    EXPECT_EQ(store_->HeadRevision(), head);
    auto log = store_->ReadRevisions(1, 1000);
    ASSERT_THAT(log, IsOk());
    ASSERT_THAT(*log, SizeIs(head));
    for (int64_t i = 0; i < head; ++i) EXPECT_EQ((*log)[i].revision(), i + 1);
  }

  // After a restart, a write whose fsync failed may be there: its bytes
  // reached the WAL, and RocksDB replays them. Then it is there whole, as
  // revision `revision`. Returns whether it is.
  bool ExpectAbsentOrWhole(const v1::Issue& issue, int64_t revision) {
    if (GetParam() != Fault::kSyncFails ||
        !store_->GetIssue(issue.number()).ok()) {
      ExpectAbsent(issue.number());
      return false;
    }
    ExpectStoredAs(issue, revision);
    return true;
  }

  int SearchHits(const std::string& text) {
    auto query = search::ParseQuery(text);
    EXPECT_THAT(query, IsOk());
    auto page = store_->Search(*query, search::Filter(), nullptr, 100);
    EXPECT_THAT(page, IsOk());
    return page.ok() ? page->total_size : -1;
  }

  importai::testing::TempDir dir_;
  testing::FaultInjectionEnv env_;
  std::unique_ptr<RocksDbStore> store_;
};

class RecoveryTest : public FaultInjectionTest {};
// Faults coming and going between writes.
class FlakyDiskTest : public FaultInjectionTest {};

TEST_P(FaultInjectionTest, FailedWriteIsUnavailableAndLeavesNothing) {
  const v1::Issue first = MakeIssue(100, 3, true);
  ASSERT_THAT(Write({first}), IsOk());

  // One request: an update of 100 that drops a section and the tale, and a
  // new issue 200. The disk fails under it.
  env_.SetFault(GetParam());
  const v1::Issue update = MakeIssue(100, 2, false, 1);
  const v1::Issue created = MakeIssue(200, 2, true, 1);
  EXPECT_THAT(Write({update, created}),
              StatusIs(absl::StatusCode::kUnavailable,
                       AllOf(HasSubstr("write revisions 2 to 3"),
                             HasSubstr(Message()))));
  EXPECT_GT(env_.injected(), 0);

  // Nothing of it is visible, and reads work while the disk is still bad.
  ExpectStoredAs(first, 1);
  ExpectAbsent(200);
  ExpectLogIsOneTo(1);
  EXPECT_EQ(SearchHits("variant1"), 0);
  EXPECT_EQ(SearchHits("variant0"), 3);
  auto listed = store_->ListIssues(0, 10);
  ASSERT_THAT(listed, IsOk());
  EXPECT_THAT(*listed, SizeIs(1));

  // Another write while the disk is still bad fails the same way.
  EXPECT_THAT(Write({MakeIssue(300, 1, false)}),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr(Message())));
  ExpectAbsent(300);
  ExpectLogIsOneTo(1);
}

// A restart after the failure (the disk fixed): the acknowledged writes are
// there, the failed one is not (or, when only its fsync failed, is there
// whole), and writes go on from the head.
TEST_P(FaultInjectionTest, RestartAfterFailedWriteKeepsAcknowledgedWrites) {
  const v1::Issue first = MakeIssue(100, 3, true);
  ASSERT_THAT(Write({first}), IsOk());
  const v1::Issue update = MakeIssue(100, 2, false, 1);
  const v1::Issue created = MakeIssue(200, 2, true, 1);
  ExpectWriteFails({update, created});
  store_.reset();  // closes while the fault holds
  env_.SetFault(Fault::kNone);

  Open();
  absl::StatusOr<v1::Issue> got = store_->GetIssue(100);
  ASSERT_THAT(got, IsOk());
  const bool replayed = got->content_hash() == update.content_hash();
  if (replayed) {
    // Only its fsync failed: RocksDB replayed it from the WAL, whole.
    EXPECT_EQ(GetParam(), Fault::kSyncFails);
    ExpectStoredAs(update, 2);
    ExpectStoredAs(created, 3);
  } else {
    ExpectStoredAs(first, 1);
    ExpectAbsent(200);
  }
  ExpectLogIsOneTo(replayed ? 3 : 1);

  // Retrying the failed request stores it, or finds it stored.
  absl::StatusOr<WriteResult> retried = Write({update, created});
  ASSERT_THAT(retried, IsOk());
  ASSERT_THAT(retried->outcomes, SizeIs(2));
  EXPECT_EQ(retried->outcomes[0].outcome, replayed
                                              ? v1::INGEST_OUTCOME_UNCHANGED
                                              : v1::INGEST_OUTCOME_UPDATED);
  EXPECT_EQ(retried->outcomes[1].outcome, replayed
                                              ? v1::INGEST_OUTCOME_UNCHANGED
                                              : v1::INGEST_OUTCOME_CREATED);
  ExpectStoredAs(update, 2);
  ExpectStoredAs(created, 3);
  const v1::Issue next = MakeIssue(300, 1, true);
  ASSERT_THAT(Write({next}), IsOk());
  ExpectStoredAs(next, 4);
  ExpectLogIsOneTo(4);
  EXPECT_EQ(SearchHits("variant1"), 4);  // 100's and 200's sections
  EXPECT_EQ(SearchHits("variant0"), 1);  // 300's section
}

// A disk that fails now and then, the server restarted after each failure:
// every acknowledged write survives, with revisions 1..head, and no failed
// write is visible except whole (when only its fsync failed).
TEST_P(FaultInjectionTest, FlakyDiskWithRestartsKeepsAcknowledgedWrites) {
  std::mt19937 random(12345);
  std::map<int32_t, std::pair<v1::Issue, int64_t>> stored;
  std::map<int32_t, int> variants;
  int64_t head = 0;
  int failures = 0;
  for (int i = 0; i < 30; ++i) {
    // Mostly new issues, some updates of stored ones.
    int32_t number = 1000 + i;
    if (!stored.empty() && random() % 3 == 0) {
      auto it = stored.begin();
      std::advance(it, random() % stored.size());
      number = it->first;
    }
    const v1::Issue issue = MakeIssue(number, 1 + random() % 3,
                                      random() % 2 == 0, ++variants[number]);
    if (random() % 4 != 0) {
      absl::StatusOr<WriteResult> result = Write({issue});
      ASSERT_THAT(result, IsOk()) << "write " << i;
      ASSERT_EQ(result->head_revision, head + 1);
      stored[number] = {issue, ++head};
      continue;
    }
    ++failures;
    ExpectWriteFails({issue});
    store_.reset();
    env_.SetFault(Fault::kNone);
    Open();
    auto before = stored.find(number);
    if (before == stored.end()) {
      if (ExpectAbsentOrWhole(issue, head + 1))
        stored[number] = {issue, ++head};
    } else {
      auto got = store_->GetIssue(number);
      ASSERT_THAT(got, IsOk());
      if (got->content_hash() == issue.content_hash()) {
        ASSERT_EQ(GetParam(), Fault::kSyncFails);
        stored[number] = {issue, ++head};
      }
      ExpectStoredAs(stored[number].first, stored[number].second);
    }
    ExpectLogIsOneTo(head);
  }
  EXPECT_GE(failures, 4);

  Open();
  ExpectLogIsOneTo(head);
  for (int32_t number = 1000; number < 1030; ++number) {
    auto it = stored.find(number);
    if (it == stored.end()) {
      ExpectAbsent(number);
    } else {
      ExpectStoredAs(it->second.first, it->second.second);
    }
  }
}

// Opening on a disk that cannot take new files is an error, not a crash,
// and the data is all there once the disk is back.
TEST_P(FaultInjectionTest, OpenOnFailingDiskIsAnError) {
  const v1::Issue first = MakeIssue(100, 2, true);
  ASSERT_THAT(Write({first}), IsOk());
  store_.reset();
  env_.SetFault(GetParam());
  RocksDbStoreOptions options;
  options.env = &env_;
  auto failed = RocksDbStore::Open(dir_.path(), options);
  ASSERT_FALSE(failed.ok());
  EXPECT_THAT(failed.status().code(), AnyOf(absl::StatusCode::kUnavailable,
                                            absl::StatusCode::kInternal));
  EXPECT_THAT(failed.status().message(), HasSubstr(Message()));
  env_.SetFault(Fault::kNone);
  Open();
  ExpectStoredAs(first, 1);
  ExpectLogIsOneTo(1);
}

// Without a restart: once the disk is back, the store takes writes again,
// numbering on from the last acknowledged revision. The second failed write
// tries to recover on a disk still failing, which must change nothing (a
// RocksDB Resume() then would make the error fatal).
TEST_P(RecoveryTest, RecoversWithoutRestartOnceTheDiskIsBack) {
  const v1::Issue first = MakeIssue(100, 3, true);
  ASSERT_THAT(Write({first}), IsOk());
  const v1::Issue update = MakeIssue(100, 2, false, 1);
  const v1::Issue created = MakeIssue(200, 2, true, 1);
  ExpectWriteFails({update, created});
  ExpectWriteFails({MakeIssue(300, 1, false)});

  absl::StatusOr<WriteResult> retried =
      WriteOnceTheDiskIsBack({update, created});
  ASSERT_THAT(retried, IsOk())
      << "the store takes no writes after the disk came back";
  EXPECT_EQ(retried->head_revision, 3);
  ExpectStoredAs(update, 2);
  ExpectStoredAs(created, 3);
  ExpectLogIsOneTo(3);
  EXPECT_EQ(SearchHits("variant1"), 4);
  EXPECT_EQ(SearchHits("variant0"), 0);

  // A restart shows the acknowledged writes only.
  Open();
  ExpectStoredAs(update, 2);
  ExpectStoredAs(created, 3);
  ExpectAbsent(300);
  ExpectLogIsOneTo(3);
}

// A failed write while every memtable is empty (just after a restart, or a
// flush). RocksDB resumes onto a new WAL only when it has a memtable to
// flush; left on the old one, the next write would follow the failed one's
// bytes there, under the same revisions (or abort the process on the WAL
// writer that failed).
TEST_P(RecoveryTest, FailedWriteIntoEmptyMemtablesStaysFailed) {
  const v1::Issue first = MakeIssue(100, 1, false);
  ASSERT_THAT(Write({first}), IsOk());
  Open();  // replays the WAL into SST files
  ExpectWriteFails({MakeIssue(200, 2, true)});
  const v1::Issue second = MakeIssue(300, 1, false);
  absl::StatusOr<WriteResult> written = WriteOnceTheDiskIsBack({second});
  ASSERT_THAT(written, IsOk());
  EXPECT_EQ(written->head_revision, 2);

  ASSERT_THAT(store_->FamilyBytes(/*compact_first=*/true), IsOk());
  ExpectWriteFails({MakeIssue(400, 2, true)});
  const v1::Issue third = MakeIssue(500, 1, true);
  written = WriteOnceTheDiskIsBack({third});
  ASSERT_THAT(written, IsOk());
  EXPECT_EQ(written->head_revision, 3);

  Open();
  ExpectAbsent(200);
  ExpectAbsent(400);
  ExpectStoredAs(first, 1);
  ExpectStoredAs(second, 2);
  ExpectStoredAs(third, 3);
  ExpectLogIsOneTo(3);
}

// A checkpoint, which flushes, after a failed write: it fails while the disk
// does, and once the disk is back it works and leaves the store writable.
TEST_P(RecoveryTest, CheckpointAfterTheDiskIsBack) {
  const v1::Issue first = MakeIssue(100, 2, true);
  ASSERT_THAT(Write({first}), IsOk());
  ExpectWriteFails({MakeIssue(200, 1, false)});
  importai::testing::TempDir checkpoints;
  EXPECT_THAT(store_->CreateCheckpoint(checkpoints.path() + "/early"),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr(Message())));

  env_.SetFault(Fault::kNone);
  absl::StatusOr<int64_t> head =
      store_->CreateCheckpoint(checkpoints.path() + "/late");
  ASSERT_THAT(head, IsOk());
  EXPECT_EQ(*head, 1);
  const v1::Issue next = MakeIssue(300, 1, false);
  absl::StatusOr<WriteResult> written = Write({next});
  ASSERT_THAT(written, IsOk());
  EXPECT_EQ(written->head_revision, 2);

  Open();
  ExpectStoredAs(first, 1);
  ExpectAbsent(200);
  ExpectStoredAs(next, 2);
  ExpectLogIsOneTo(2);
}

// Without a restart, a disk failing now and then: each write after a
// failure succeeds once the disk is back, numbering on from the last
// acknowledged revision (a failed write's revisions are never reused), and a
// restart at the end shows exactly the acknowledged writes.
TEST_P(FlakyDiskTest, FlakyDiskWithoutRestartKeepsGoing) {
  std::mt19937 random(12345);
  std::map<int32_t, std::pair<v1::Issue, int64_t>> acknowledged;
  std::map<int32_t, int> variants;
  int64_t head = 0;
  int failures = 0;
  for (int i = 0; i < 60; ++i) {
    int32_t number = 1000 + i;
    if (!acknowledged.empty() && random() % 3 == 0) {
      auto it = acknowledged.begin();
      std::advance(it, random() % acknowledged.size());
      number = it->first;
    }
    const v1::Issue issue = MakeIssue(number, 1 + random() % 3,
                                      random() % 2 == 0, ++variants[number]);
    if (random() % 4 == 0) {
      ++failures;
      ExpectWriteFails({issue});
      continue;
    }
    absl::StatusOr<WriteResult> result = WriteOnceTheDiskIsBack({issue});
    ASSERT_THAT(result, IsOk()) << "write " << i << " after the disk came back";
    ASSERT_EQ(result->head_revision, head + 1);
    acknowledged[number] = {issue, ++head};
  }
  env_.SetFault(Fault::kNone);
  EXPECT_GE(failures, 5);

  Open();
  ExpectLogIsOneTo(head);
  for (int32_t number = 1000; number < 1060; ++number) {
    auto it = acknowledged.find(number);
    if (it == acknowledged.end()) {
      ExpectAbsent(number);
    } else {
      ExpectStoredAs(it->second.first, it->second.second);
    }
  }
}

std::string FaultName(const ::testing::TestParamInfo<Fault>& info) {
  switch (info.param) {
    case Fault::kNoSpace:
      return "NoSpace";
    case Fault::kSyncFails:
      return "SyncFails";
    default:
      return "IoError";
  }
}

INSTANTIATE_TEST_SUITE_P(Faults, FaultInjectionTest,
                         ::testing::Values(Fault::kNoSpace, Fault::kSyncFails,
                                           Fault::kIoError),
                         FaultName);
INSTANTIATE_TEST_SUITE_P(Faults, RecoveryTest,
                         ::testing::Values(Fault::kNoSpace, Fault::kSyncFails),
                         FaultName);
INSTANTIATE_TEST_SUITE_P(Faults, FlakyDiskTest,
                         ::testing::Values(Fault::kNoSpace, Fault::kSyncFails),
                         FaultName);

}  // namespace
}  // namespace importai::storage
