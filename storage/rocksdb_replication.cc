// RocksDbStore's replication: the snapshot a primary sends a new replica,
// and the writes a replica makes from its primary's feed.
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "storage/issue_rows.h"
#include "storage/keys.h"
#include "storage/rocksdb_status.h"
#include "storage/rocksdb_store.h"

namespace importai::storage {
namespace {

// Every stored issue as of one RocksDB snapshot, which holds the head
// revision written in the same batches.
class RocksDbIssueSnapshot final : public IssueSnapshot {
 public:
  RocksDbIssueSnapshot(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* issues)
      : snapshot_(db) {
    options_.snapshot = snapshot_.snapshot();
    // One pass over every issue: keep it out of the block cache.
    options_.fill_cache = false;
    iterator_.reset(db->NewIterator(options_, issues));
    iterator_->SeekToFirst();
  }

  absl::Status ReadRevision(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* meta) {
    std::string value;
    rocksdb::Status read =
        db.Get(options_, meta, std::string(keys::kHeadRevision), &value);
    if (read.IsNotFound()) return absl::OkStatus();  // an empty archive
    IMPORTAI_RETURN_IF_ERROR(FromRocksDb(read, "read head revision"));
    if (!keys::DecodeRevision(value, &revision_)) {
      return absl::InternalError("snapshot: corrupt head revision");
    }
    return absl::OkStatus();
  }

  int64_t revision() const override { return revision_; }

  absl::StatusOr<std::vector<std::string>> Next(size_t max_bytes) override {
    std::vector<std::string> issues;
    size_t bytes = 0;
    for (; iterator_->Valid() && (issues.empty() || bytes < max_bytes);
         iterator_->Next()) {
      issues.emplace_back(iterator_->value().data(), iterator_->value().size());
      bytes += issues.back().size();
    }
    IMPORTAI_RETURN_IF_ERROR(FromRocksDb(iterator_->status(), "read snapshot"));
    return issues;
  }

 private:
  rocksdb::ManagedSnapshot snapshot_;
  rocksdb::ReadOptions options_;
  std::unique_ptr<rocksdb::Iterator> iterator_;
  int64_t revision_ = 0;
};

bool IsChange(const v1::WatchIssuesResponse& event) {
  return (event.type() == v1::EVENT_TYPE_CREATED ||
          event.type() == v1::EVENT_TYPE_UPDATED) &&
         event.has_issue() && event.issue().number() >= 1 &&
         event.issue().revision() == event.revision();
}

}  // namespace

absl::StatusOr<std::unique_ptr<IssueSnapshot>> RocksDbStore::OpenSnapshot() {
  auto snapshot =
      std::make_unique<RocksDbIssueSnapshot>(db_.get(), families_.issues);
  IMPORTAI_RETURN_IF_ERROR(snapshot->ReadRevision(*db_, families_.meta));
  return snapshot;
}

absl::StatusOr<int64_t> RocksDbStore::ApplyEvents(
    absl::Span<const v1::WatchIssuesResponse> events) {
  absl::MutexLock lock(&write_mu_);
  const int64_t committed_head = head_revision_.load();
  int64_t head = committed_head;
  StagedWrite write(families_.index);
  for (const v1::WatchIssuesResponse& event : events) {
    if (event.revision() <= head) continue;  // applied already
    if (event.revision() != head + 1) {
      return absl::FailedPreconditionError(absl::StrCat(
          "revision ", event.revision(), " does not follow the head ", head,
          ": revisions ", head + 1, " to ", event.revision() - 1,
          " are missing; nothing was applied"));
    }
    if (!IsChange(event)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "revision ", event.revision(),
          ": not a change with its whole issue; nothing was applied"));
    }
    IMPORTAI_ASSIGN_OR_RETURN(const v1::Issue* previous,
                              StagedOrStored(write, event.issue().number()));
    StageChange(write, previous, event);
    head = event.revision();
  }
  if (head == committed_head) return head;
  IMPORTAI_RETURN_IF_ERROR(
      CommitStaged(write, committed_head, head, absl::InfiniteFuture()));
  return head;
}

absl::Status RocksDbStore::LoadSnapshotIssues(
    absl::Span<const v1::Issue> issues) {
  absl::MutexLock lock(&write_mu_);
  StagedWrite write(families_.index);
  for (const v1::Issue& issue : issues) {
    if (issue.number() < 1 || issue.revision() < 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "snapshot issue ", issue.number(), " at revision ", issue.revision(),
          ": not a stored issue; nothing of this batch was loaded"));
    }
    IMPORTAI_ASSIGN_OR_RETURN(const v1::Issue* previous,
                              StagedOrStored(write, issue.number()));
    StageIssue(write, previous, issue);
  }
  IMPORTAI_RETURN_IF_ERROR(write.index.Finish(*db_));
  write.batch.Put(families_.meta, std::string(keys::kSnapshotLoadPending), "");
  IMPORTAI_RETURN_IF_ERROR(
      FromRocksDb(WriteDurably(write.batch), "load snapshot issues"));
  for (auto& [number, bytes] : write.written)
    issue_cache_.Put(number, std::move(bytes));
  snapshot_load_pending_.store(true);
  return absl::OkStatus();
}

absl::Status RocksDbStore::FinishSnapshotLoad(int64_t revision) {
  absl::MutexLock lock(&write_mu_);
  const int64_t head = head_revision_.load();
  if (revision < head) {
    return absl::FailedPreconditionError(absl::StrCat(
        "snapshot at revision ", revision, " is older than the head ", head));
  }
  rocksdb::WriteBatch batch;
  // The log of what came before the snapshot would have a gap up to it.
  batch.DeleteRange(families_.log, keys::RevisionKey(0),
                    keys::RevisionKey(std::numeric_limits<int64_t>::max()));
  batch.Put(families_.meta, std::string(keys::kHeadRevision),
            keys::RevisionKey(revision));
  batch.Delete(families_.meta, std::string(keys::kSnapshotLoadPending));
  IMPORTAI_RETURN_IF_ERROR(FromRocksDb(
      WriteDurably(batch),
      absl::StrCat("finish loading the snapshot at revision ", revision)));
  head_revision_.store(revision);
  oldest_revision_.store(revision + 1);
  snapshot_load_pending_.store(false);
  // No entries: the feed learns that the head moved past a gap.
  if (commit_listener_) commit_listener_({});
  return absl::OkStatus();
}

}  // namespace importai::storage
