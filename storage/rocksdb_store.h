#ifndef IMPORTAI_STORAGE_ROCKSDB_STORE_H_
#define IMPORTAI_STORAGE_ROCKSDB_STORE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "rocksdb/db.h"
#include "rocksdb/statistics.h"
#include "storage/archive_store.h"
#include "storage/index/index_families.h"
#include "storage/index/rebuild.h"
#include "storage/issue_cache.h"
#include "storage/staged_write.h"

namespace importai::storage {

struct RocksDbStoreOptions {
  // Shared LRU block cache for every column family.
  size_t block_cache_bytes = 64 << 20;
  // Serialized issues kept in memory for GetIssue.
  size_t issue_cache_bytes = 64 << 20;
  // Filesystem seam for fault-injection tests; null means the default Env.
  rocksdb::Env* env = nullptr;
};

// ArchiveStore on an embedded RocksDB. Every WriteIssues is one WriteBatch
// written with a synced WAL, so an acknowledged write survives a crash.
class RocksDbStore final : public ArchiveStore {
 public:
  // Opens (creating if missing) the database in `dir`. UNAVAILABLE if the
  // directory cannot be used or another process holds it; INTERNAL if the
  // data is corrupt. A search index made by another version of the analyzer
  // (or none) is rebuilt from the stored issues before Open returns.
  static absl::StatusOr<std::unique_ptr<RocksDbStore>> Open(
      const std::string& dir, const RocksDbStoreOptions& options = {});

  ~RocksDbStore() override;

  // Whether Open rebuilt the search index, for the caller to log.
  const index::IndexRebuild& index_rebuild() const { return index_rebuild_; }

  // Bytes on disk (SST files) of each column family, by name. With
  // `compact_first`, flushes and fully compacts first, so the figures are
  // what the data settles to.
  absl::StatusOr<std::vector<std::pair<std::string, uint64_t>>> FamilyBytes(
      bool compact_first);

  absl::StatusOr<v1::Issue> GetIssue(int32_t number) override;
  absl::StatusOr<std::shared_ptr<const std::string>> GetIssueBytes(
      int32_t number) override;
  absl::StatusOr<std::vector<v1::Issue>> ListIssues(int32_t before,
                                                    int limit) override;
  absl::StatusOr<v1::Section> GetSection(int32_t number,
                                         int32_t ordinal) override;
  absl::StatusOr<std::vector<v1::Section>> ListSections(SectionPosition after,
                                                        int32_t only_issue,
                                                        int limit) override;
  absl::StatusOr<v1::Tale> GetTale(int32_t number) override;
  absl::StatusOr<std::vector<v1::Tale>> ListTales(int32_t before,
                                                  int limit) override;
  absl::StatusOr<SearchPage> Search(const search::Query& query,
                                    const search::Filter& filter,
                                    const SearchCursor* after,
                                    int limit) override;
  absl::StatusOr<std::vector<v1::Section>> ListCitingSections(
      int32_t cited, SectionPosition after, int limit) override;
  using ArchiveStore::WriteIssues;
  absl::StatusOr<WriteResult> WriteIssues(absl::Span<const v1::Issue> copies,
                                          absl::Time commit_time, bool dry_run,
                                          absl::Time deadline) override
      ABSL_LOCKS_EXCLUDED(write_mu_);
  int64_t HeadRevision() override;
  absl::StatusOr<std::vector<v1::WatchIssuesResponse>> ReadRevisions(
      int64_t start, int limit) override;
  int64_t OldestRevision() override;
  absl::StatusOr<int64_t> TrimRevisionLog(const RetentionPolicy& policy,
                                          absl::Time now) override
      ABSL_LOCKS_EXCLUDED(write_mu_);
  absl::StatusOr<int64_t> CreateCheckpoint(const std::string& dir) override
      ABSL_LOCKS_EXCLUDED(write_mu_);
  StorageStats Stats() override;
  void SetCommitListener(CommitListener listener) override
      ABSL_LOCKS_EXCLUDED(write_mu_);
  // Replication: storage/rocksdb_replication.cc.
  absl::StatusOr<std::unique_ptr<IssueSnapshot>> OpenSnapshot() override;
  absl::StatusOr<int64_t> ApplyEvents(
      absl::Span<const v1::WatchIssuesResponse> events) override
      ABSL_LOCKS_EXCLUDED(write_mu_);
  absl::Status LoadSnapshotIssues(absl::Span<const v1::Issue> issues) override
      ABSL_LOCKS_EXCLUDED(write_mu_);
  absl::Status FinishSnapshotLoad(int64_t revision) override
      ABSL_LOCKS_EXCLUDED(write_mu_);
  bool SnapshotLoadPending() override { return snapshot_load_pending_.load(); }

 private:
  struct Families {
    rocksdb::ColumnFamilyHandle* meta = nullptr;
    rocksdb::ColumnFamilyHandle* issues = nullptr;
    rocksdb::ColumnFamilyHandle* sections = nullptr;
    rocksdb::ColumnFamilyHandle* tales = nullptr;
    rocksdb::ColumnFamilyHandle* log = nullptr;
    index::IndexFamilies index;
  };

  class ErrorEvents;

  RocksDbStore(std::unique_ptr<rocksdb::DB> db,
               std::vector<rocksdb::ColumnFamilyHandle*> handles,
               std::shared_ptr<rocksdb::Statistics> statistics,
               std::shared_ptr<ErrorEvents> error_events, int64_t head_revision,
               int64_t oldest_revision, size_t issue_cache_bytes);

  // Writes `batch` with a synced WAL. After a failed write, recovers first
  // (or fails, nothing written, while the disk still does); after failing
  // itself, recovers and tries once more, in case the disk failed only for a
  // moment.
  rocksdb::Status WriteDurably(rocksdb::WriteBatch& batch)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // One try at writing `batch`; a failure sets needs_recovery_.
  rocksdb::Status WriteOnce(rocksdb::WriteBatch& batch)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Makes RocksDB take writes again after a failed write, on a new WAL, once
  // the disk takes writes again; until then an error, and nothing changes.
  // Synchronous: RocksDB's own background recovery is turned off.
  rocksdb::Status Recover() ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  // The issue `number` as `write` leaves it so far: staged by it, else
  // stored, else null.
  absl::StatusOr<const v1::Issue*> StagedOrStored(StagedWrite& write,
                                                  int32_t number)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Stages `issue`'s rows and index rows, replacing `previous` (null when
  // new).
  void StageIssue(StagedWrite& write, const v1::Issue* previous,
                  const v1::Issue& issue)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Stages the change `event` records (its issue replacing `previous`, null
  // when new): issue rows, index rows and the log entry.
  void StageChange(StagedWrite& write, const v1::Issue* previous,
                   v1::WatchIssuesResponse event)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Finishes the index rows, sets the head to `head` and writes the batch
  // durably (unless `deadline` has passed: DEADLINE_EXCEEDED, nothing
  // written); then fills the issue cache, moves the head and tells the
  // commit listener.
  absl::Status CommitStaged(StagedWrite& write, int64_t committed_head,
                            int64_t head, absl::Time deadline)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  // Rebuilds the search index if the analyzer changed (index/rebuild.h) and
  // sets index_rebuild_. Called by Open only.
  absl::Status RebuildStaleIndex() ABSL_LOCKS_EXCLUDED(write_mu_);

  // Reads and parses one value. NOT_FOUND (naming `what`) if absent.
  template <typename Message>
  absl::StatusOr<Message> ReadMessage(rocksdb::ColumnFamilyHandle* family,
                                      const std::string& key,
                                      absl::string_view what);

  // Up to `limit` values of `family` from `start_key` on, in key order,
  // stopping at the first key that does not begin with `prefix`.
  template <typename Message>
  absl::StatusOr<std::vector<Message>> ScanMessages(
      rocksdb::ColumnFamilyHandle* family, const std::string& start_key,
      absl::string_view prefix, int limit, absl::string_view what);

  std::unique_ptr<rocksdb::DB> db_;
  std::shared_ptr<rocksdb::Statistics> statistics_;
  std::shared_ptr<ErrorEvents> error_events_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  Families families_;
  IssueCache issue_cache_;
  // Serializes WriteIssues so outcomes are decided against committed state.
  absl::Mutex write_mu_;
  CommitListener commit_listener_ ABSL_GUARDED_BY(write_mu_);
  // A write failed and Recover() has not succeeded since: RocksDB refuses
  // writes until it does.
  bool needs_recovery_ ABSL_GUARDED_BY(write_mu_) = false;
  // A write failed in the WAL: its bytes may be in the one numbered
  // doubtful_wal_ (0 until looked up), which must not take another write.
  bool wal_in_doubt_ ABSL_GUARDED_BY(write_mu_) = false;
  uint64_t doubtful_wal_ ABSL_GUARDED_BY(write_mu_) = 0;
  // Set by Open, before the store is shared; constant after.
  index::IndexRebuild index_rebuild_;
  // Written only under write_mu_, after the batch commits; read lock-free.
  std::atomic<int64_t> head_revision_;
  std::atomic<int64_t> oldest_revision_;
  // LoadSnapshotIssues has written and FinishSnapshotLoad not yet.
  std::atomic<bool> snapshot_load_pending_{false};
};

}  // namespace importai::storage

#endif  // IMPORTAI_STORAGE_ROCKSDB_STORE_H_
