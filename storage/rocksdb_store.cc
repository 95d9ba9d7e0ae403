#include "storage/rocksdb_store.h"

#include <algorithm>
#include <filesystem>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status_macros.h"
#include "google/protobuf/util/time_util.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/listener.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/checkpoint.h"
#include "rocksdb/utilities/options_util.h"
#include "storage/index/index_keys.h"
#include "storage/index/index_writer.h"
#include "storage/index/search_executor.h"
#include "storage/issue_merge.h"
#include "storage/issue_rows.h"
#include "storage/keys.h"
#include "storage/rocksdb_status.h"

namespace importai::storage {
namespace {

using google::protobuf::util::TimeUtil;

// The column families, in the order Open asks for them (and gets their
// handles back).
enum FamilyIndex : size_t {
  kMetaFamily,  // "default"
  kIssuesFamily,
  kSectionsFamily,
  kTalesFamily,
  kLogFamily,
  kPostingsFamily,
  kTermsFamily,
  kCitationsFamily,
  kFamilyCount
};
const char* const kFamilyNames[kFamilyCount] = {
    "default", "issues", "sections", "tales",
    "log",     "postings", "terms",  "citations"};

rocksdb::ColumnFamilyOptions FamilyOptions(
    const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  // Point lookups (GetIssue, GetSection) skip SST files without the key.
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  rocksdb::ColumnFamilyOptions options;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  options.compression = rocksdb::kLZ4Compression;
  return options;
}

// The meta key WriteOnce deletes, outside the WAL, before each write; no
// reader looks for it.
constexpr absl::string_view kMemtableMarkKey = "memtable_mark";

// Whether the disk under `dir` takes a synced write again: a scratch file is
// created, written, synced and removed.
rocksdb::Status ProbeDisk(rocksdb::Env& env, const std::string& dir) {
  const std::string path = dir + "/RECOVERY_PROBE";
  std::unique_ptr<rocksdb::WritableFile> file;
  rocksdb::Status status =
      env.NewWritableFile(path, &file, rocksdb::EnvOptions());
  if (status.ok()) status = file->Append("probe");
  if (status.ok()) status = file->Sync();
  if (file != nullptr) {
    rocksdb::Status closed = file->Close();
    if (status.ok()) status = closed;
  }
  env.DeleteFile(path).PermitUncheckedError();
  return status;
}

// The number of the WAL RocksDB writes to now.
rocksdb::Status CurrentWal(rocksdb::DB& db, uint64_t* number) {
  std::unique_ptr<rocksdb::LogFile> wal;
  rocksdb::Status status = db.GetCurrentWalFile(&wal);
  if (status.ok()) *number = wal->LogNumber();
  return status;
}

absl::string_view ToView(const rocksdb::Slice& slice) {
  return absl::string_view(slice.data(), slice.size());
}

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  return TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(time));
}

}  // namespace

// RocksDB's background errors as RocksDbStore needs them: failed WAL writes
// are counted, and RocksDB's own recovery is off (Recover does it instead).
// RocksDB's (for no space: a thread that tries at once, then every 5 s) made
// Resume() answer Busy while it waited, so writes kept failing for seconds
// after the disk came back; and a try while the disk is still full makes the
// error fatal (see Recover).
class RocksDbStore::ErrorEvents final : public rocksdb::EventListener {
 public:
  const char* Name() const override { return "RocksDbStoreErrorEvents"; }

  // How many writes have failed in the WAL (RocksDB's kWriteCallback errors;
  // a write refused up front for an earlier error is not one).
  uint64_t wal_failures() const { return wal_failures_.load(); }

  void OnBackgroundError(rocksdb::BackgroundErrorReason reason,
                         rocksdb::Status* /*error*/) override {
    if (reason == rocksdb::BackgroundErrorReason::kWriteCallback) {
      wal_failures_.fetch_add(1);
    }
  }
  void OnErrorRecoveryBegin(rocksdb::BackgroundErrorReason /*reason*/,
                            rocksdb::Status /*error*/,
                            bool* auto_recovery) override {
    *auto_recovery = false;
  }

 private:
  std::atomic<uint64_t> wal_failures_{0};
};

absl::StatusOr<std::unique_ptr<RocksDbStore>> RocksDbStore::Open(
    const std::string& dir, const RocksDbStoreOptions& options) {
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  // One cap on write buffers across the eight column families, so memory
  // stays bounded under sustained ingest.
  db_options.db_write_buffer_size = 64 << 20;
  if (options.env != nullptr) db_options.env = options.env;
  // After a failed write only Recover resumes RocksDB.
  auto error_events = std::make_shared<ErrorEvents>();
  db_options.listeners.push_back(error_events);
  db_options.max_bgerror_resume_count = 0;
  // The only writes kept out of the WAL are WriteOnce's marks: nothing to
  // flush at close for them.
  db_options.avoid_flush_during_shutdown = true;
  // Tickers only (block cache hits and misses for metrics): cheap.
  db_options.statistics = rocksdb::CreateDBStatistics();
  db_options.statistics->set_stats_level(
      rocksdb::StatsLevel::kExceptHistogramOrTimers);
  std::shared_ptr<rocksdb::Cache> cache =
      rocksdb::NewLRUCache(options.block_cache_bytes);

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const char* name : kFamilyNames) {
    descriptors.emplace_back(name, FamilyOptions(cache));
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw_db = nullptr;
  IMPORTAI_RETURN_IF_ERROR(FromRocksDb(
      rocksdb::DB::Open(db_options, dir, descriptors, &handles, &raw_db),
      absl::StrCat("open data directory \"", dir, "\"")));
  std::unique_ptr<rocksdb::DB> db(raw_db);

  std::string head_value;
  int64_t head = 0;
  rocksdb::Status read = db->Get(rocksdb::ReadOptions(), handles[kMetaFamily],
                                 std::string(keys::kHeadRevision), &head_value);
  if (read.ok()) {
    if (!keys::DecodeRevision(head_value, &head)) {
      for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle);
      return absl::InternalError(
          absl::StrCat("data directory \"", dir, "\": corrupt head revision"));
    }
  } else if (!read.IsNotFound()) {
    for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle);
    return FromRocksDb(read, "read head revision");
  }
  // The log's first key is the oldest revision retention has left.
  int64_t oldest = head + 1;
  absl::Status log_read;
  {
    std::unique_ptr<rocksdb::Iterator> first(
        db->NewIterator(rocksdb::ReadOptions(), handles[kLogFamily]));
    first->SeekToFirst();
    if (first->Valid() &&
        !keys::DecodeRevision(ToView(first->key()), &oldest)) {
      log_read = absl::InternalError(absl::StrCat(
          "data directory \"", dir, "\": corrupt revision log key"));
    } else if (!first->status().ok()) {
      log_read = FromRocksDb(first->status(), "read the revision log");
    }
  }
  if (!log_read.ok()) {
    for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle);
    return log_read;
  }
  std::string unused;
  const bool snapshot_load_pending =
      db->Get(rocksdb::ReadOptions(), handles[kMetaFamily],
              std::string(keys::kSnapshotLoadPending), &unused)
          .ok();
  std::unique_ptr<RocksDbStore> store(new RocksDbStore(
      std::move(db), std::move(handles), db_options.statistics,
      std::move(error_events), head, oldest, options.issue_cache_bytes));
  store->snapshot_load_pending_.store(snapshot_load_pending);
  IMPORTAI_RETURN_IF_ERROR(store->RebuildStaleIndex());
  return store;
}

RocksDbStore::RocksDbStore(std::unique_ptr<rocksdb::DB> db,
                           std::vector<rocksdb::ColumnFamilyHandle*> handles,
                           std::shared_ptr<rocksdb::Statistics> statistics,
                           std::shared_ptr<ErrorEvents> error_events,
                           int64_t head_revision, int64_t oldest_revision,
                           size_t issue_cache_bytes)
    : db_(std::move(db)),
      statistics_(std::move(statistics)),
      error_events_(std::move(error_events)),
      handles_(std::move(handles)),
      families_{
          handles_[kMetaFamily],
          handles_[kIssuesFamily],
          handles_[kSectionsFamily],
          handles_[kTalesFamily],
          handles_[kLogFamily],
          {handles_[kMetaFamily], handles_[kPostingsFamily],
           handles_[kTermsFamily], handles_[kCitationsFamily]}},
      issue_cache_(issue_cache_bytes),
      head_revision_(head_revision),
      oldest_revision_(oldest_revision) {}

RocksDbStore::~RocksDbStore() {
  for (auto* handle : handles_) db_->DestroyColumnFamilyHandle(handle);
  db_->Close().PermitUncheckedError();
}

absl::StatusOr<std::vector<std::pair<std::string, uint64_t>>>
RocksDbStore::FamilyBytes(bool compact_first) {
  std::vector<std::pair<std::string, uint64_t>> sizes;
  for (rocksdb::ColumnFamilyHandle* family : handles_) {
    if (compact_first) {
      IMPORTAI_RETURN_IF_ERROR(
          FromRocksDb(db_->Flush(rocksdb::FlushOptions(), family), "flush"));
      IMPORTAI_RETURN_IF_ERROR(
          FromRocksDb(db_->CompactRange(rocksdb::CompactRangeOptions(), family,
                                        nullptr, nullptr),
                      "compact"));
    }
    uint64_t bytes = 0;
    db_->GetIntProperty(family, "rocksdb.total-sst-files-size", &bytes);
    sizes.emplace_back(family->GetName(), bytes);
  }
  return sizes;
}

template <typename Message>
absl::StatusOr<Message> RocksDbStore::ReadMessage(
    rocksdb::ColumnFamilyHandle* family, const std::string& key,
    absl::string_view what) {
  rocksdb::PinnableSlice value;
  rocksdb::Status status =
      db_->Get(rocksdb::ReadOptions(), family, key, &value);
  if (status.IsNotFound())
    return absl::NotFoundError(absl::StrCat(what, " not found"));
  IMPORTAI_RETURN_IF_ERROR(FromRocksDb(status, absl::StrCat("read ", what)));
  Message message;
  if (!message.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return absl::InternalError(absl::StrCat("read ", what, ": corrupt value"));
  }
  return message;
}

template <typename Message>
absl::StatusOr<std::vector<Message>> RocksDbStore::ScanMessages(
    rocksdb::ColumnFamilyHandle* family, const std::string& start_key,
    absl::string_view prefix, int limit, absl::string_view what) {
  std::vector<Message> out;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), family));
  for (it->Seek(start_key); it->Valid() && static_cast<int>(out.size()) < limit;
       it->Next()) {
    if (!it->key().starts_with(rocksdb::Slice(prefix.data(), prefix.size())))
      break;
    Message& message = out.emplace_back();
    if (!message.ParseFromArray(it->value().data(),
                                static_cast<int>(it->value().size()))) {
      return absl::InternalError(
          absl::StrCat("scan ", what, ": corrupt value"));
    }
  }
  IMPORTAI_RETURN_IF_ERROR(
      FromRocksDb(it->status(), absl::StrCat("scan ", what)));
  return out;
}

absl::StatusOr<std::shared_ptr<const std::string>> RocksDbStore::GetIssueBytes(
    int32_t number) {
  if (IssueCache::Bytes cached = issue_cache_.Find(number)) return cached;
  const uint64_t generation = issue_cache_.Generation();
  auto bytes = std::make_shared<std::string>();
  rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), families_.issues,
                                    keys::IssueKey(number), bytes.get());
  if (status.IsNotFound()) {
    return absl::NotFoundError(absl::StrCat("issue ", number, " not found"));
  }
  IMPORTAI_RETURN_IF_ERROR(
      FromRocksDb(status, absl::StrCat("read issue ", number)));
  issue_cache_.Fill(number, bytes, generation);
  return bytes;
}

absl::StatusOr<v1::Issue> RocksDbStore::GetIssue(int32_t number) {
  IMPORTAI_ASSIGN_OR_RETURN(std::shared_ptr<const std::string> bytes,
                            GetIssueBytes(number));
  v1::Issue issue;
  if (!issue.ParseFromString(*bytes)) {
    return absl::InternalError(
        absl::StrCat("read issue ", number, ": corrupt value"));
  }
  return issue;
}

absl::StatusOr<std::vector<v1::Issue>> RocksDbStore::ListIssues(int32_t before,
                                                                int limit) {
  // Issue keys are inverted: "below `before`" starts right after its key.
  std::string start = before > 0 ? keys::IssueKey(before - 1) : std::string();
  return ScanMessages<v1::Issue>(families_.issues, start, "", limit, "issues");
}

absl::StatusOr<v1::Section> RocksDbStore::GetSection(int32_t number,
                                                     int32_t ordinal) {
  return ReadMessage<v1::Section>(
      families_.sections, keys::SectionKey(number, ordinal),
      absl::StrCat("issue ", number, " section ", ordinal));
}

absl::StatusOr<std::vector<v1::Section>> RocksDbStore::ListSections(
    SectionPosition after, int32_t only_issue, int limit) {
  std::string start;
  if (after.issue_number > 0) {
    start = keys::KeyAfter(keys::SectionKey(after.issue_number, after.ordinal));
  } else if (only_issue > 0) {
    start = keys::IssueKey(only_issue);
  }
  std::string prefix = only_issue > 0 ? keys::IssueKey(only_issue) : "";
  return ScanMessages<v1::Section>(families_.sections, start, prefix, limit,
                                   "sections");
}

absl::StatusOr<v1::Tale> RocksDbStore::GetTale(int32_t number) {
  return ReadMessage<v1::Tale>(families_.tales, keys::IssueKey(number),
                               absl::StrCat("tale of issue ", number));
}

absl::StatusOr<std::vector<v1::Tale>> RocksDbStore::ListTales(int32_t before,
                                                              int limit) {
  std::string start = before > 0 ? keys::IssueKey(before - 1) : std::string();
  return ScanMessages<v1::Tale>(families_.tales, start, "", limit, "tales");
}

absl::StatusOr<int64_t> RocksDbStore::CreateCheckpoint(const std::string& dir) {
  if (dir.empty() || dir.front() != '/') {
    return absl::InvalidArgumentError(absl::StrCat(
        "checkpoint directory \"", dir, "\" is not an absolute path"));
  }
  std::error_code error;
  if (std::filesystem::exists(dir, error)) {
    return absl::AlreadyExistsError(absl::StrCat(
        "checkpoint directory \"", dir, "\" already exists; name a new one"));
  }
  rocksdb::Checkpoint* raw = nullptr;
  IMPORTAI_RETURN_IF_ERROR(
      FromRocksDb(rocksdb::Checkpoint::Create(db_.get(), &raw), "checkpoint"));
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  // Writes wait, so the head revision reported is the one the copy holds.
  absl::MutexLock lock(&write_mu_);
  // The checkpoint flushes the memtables, which after a failed write must
  // wait for Recover(): a flush onto the WAL writer that failed is fatal.
  if (needs_recovery_) {
    IMPORTAI_RETURN_IF_ERROR(FromRocksDb(Recover(), "checkpoint"));
  }
  IMPORTAI_RETURN_IF_ERROR(
      FromRocksDb(checkpoint->CreateCheckpoint(dir),
                  absl::StrCat("write checkpoint to \"", dir, "\"")));
  return head_revision_.load();
}

StorageStats RocksDbStore::Stats() {
  StorageStats stats;
  for (rocksdb::ColumnFamilyHandle* family : handles_) {
    uint64_t bytes = 0;
    if (db_->GetIntProperty(family, "rocksdb.estimate-live-data-size",
                            &bytes)) {
      stats.live_data_bytes += bytes;
    }
  }
  stats.block_cache_hits =
      statistics_->getTickerCount(rocksdb::BLOCK_CACHE_HIT);
  stats.block_cache_misses =
      statistics_->getTickerCount(rocksdb::BLOCK_CACHE_MISS);
  return stats;
}

absl::Status RocksDbStore::RebuildStaleIndex() {
  absl::MutexLock lock(&write_mu_);
  auto write = [this](rocksdb::WriteBatch& batch) ABSL_EXCLUSIVE_LOCKS_REQUIRED(
                   write_mu_) { return WriteDurably(batch); };
  IMPORTAI_ASSIGN_OR_RETURN(
      index_rebuild_,
      index::RebuildIfStale(*db_, families_.index, families_.issues, write));
  return absl::OkStatus();
}

absl::StatusOr<SearchPage> RocksDbStore::Search(const search::Query& query,
                                                const search::Filter& filter,
                                                const SearchCursor* after,
                                                int limit) {
  return index::ExecuteSearch(*db_, families_.index, query, filter, after,
                              limit);
}

absl::StatusOr<std::vector<v1::Section>> RocksDbStore::ListCitingSections(
    int32_t cited, SectionPosition after, int limit) {
  rocksdb::ManagedSnapshot snapshot(db_.get());
  rocksdb::ReadOptions options;
  options.snapshot = snapshot.snapshot();
  const std::string prefix = keys::IssueKey(cited);
  const std::string start = after.issue_number > 0
                                ? keys::KeyAfter(index::CitationKey(
                                      cited, after.issue_number, after.ordinal))
                                : prefix;
  std::vector<std::string> section_keys;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(options, families_.index.citations));
  for (it->Seek(start); it->Valid() && it->key().starts_with(prefix) &&
                        static_cast<int>(section_keys.size()) < limit;
       it->Next()) {
    int32_t citing = 0;
    int32_t ordinal = 0;
    if (!index::DecodeCitationKey(ToView(it->key()), &citing, &ordinal)) {
      return absl::InternalError("read citations: corrupt key");
    }
    section_keys.push_back(keys::SectionKey(citing, ordinal));
  }
  IMPORTAI_RETURN_IF_ERROR(FromRocksDb(it->status(), "read citations"));
  std::vector<v1::Section> sections;
  for (const std::string& key : section_keys) {
    std::string value;
    IMPORTAI_RETURN_IF_ERROR(FromRocksDb(
        db_->Get(options, families_.sections, key, &value), "read citations"));
    if (!sections.emplace_back().ParseFromString(value)) {
      return absl::InternalError("read citations: corrupt section");
    }
  }
  return sections;
}

int64_t RocksDbStore::HeadRevision() { return head_revision_.load(); }

int64_t RocksDbStore::OldestRevision() { return oldest_revision_.load(); }

void RocksDbStore::SetCommitListener(CommitListener listener) {
  absl::MutexLock lock(&write_mu_);
  commit_listener_ = std::move(listener);
}

absl::StatusOr<int64_t> RocksDbStore::TrimRevisionLog(
    const RetentionPolicy& policy, absl::Time now) {
  absl::MutexLock lock(&write_mu_);
  const int64_t head = head_revision_.load();
  const int64_t oldest = oldest_revision_.load();
  if (policy.keeps_everything() || oldest >= head) return oldest;
  // Keep at least the head, so the log always says where it stands.
  int64_t keep_from = head;
  if (policy.max_revisions > 0) {
    keep_from = std::max<int64_t>(oldest, head - policy.max_revisions + 1);
  } else {
    keep_from = oldest;
  }
  if (policy.max_age > absl::ZeroDuration()) {
    // Entries are in commit order, so the expired ones are a prefix.
    const int64_t cutoff_nanos = absl::ToUnixNanos(now - policy.max_age);
    std::unique_ptr<rocksdb::Iterator> it(
        db_->NewIterator(rocksdb::ReadOptions(), families_.log));
    for (it->Seek(keys::RevisionKey(keep_from)); it->Valid(); it->Next()) {
      v1::WatchIssuesResponse entry;
      int64_t revision = 0;
      if (!keys::DecodeRevision(ToView(it->key()), &revision) ||
          revision >= head ||
          !entry.ParseFromArray(it->value().data(),
                                static_cast<int>(it->value().size())) ||
          TimeUtil::TimestampToNanoseconds(entry.commit_time()) >=
              cutoff_nanos) {
        break;
      }
      keep_from = revision + 1;
    }
    IMPORTAI_RETURN_IF_ERROR(FromRocksDb(it->status(), "scan revision log"));
  }
  if (keep_from <= oldest) return oldest;
  rocksdb::WriteBatch batch;
  batch.DeleteRange(families_.log, keys::RevisionKey(oldest),
                    keys::RevisionKey(keep_from));
  IMPORTAI_RETURN_IF_ERROR(FromRocksDb(
      WriteDurably(batch),
      absl::StrCat("trim revisions ", oldest, " to ", keep_from - 1)));
  oldest_revision_.store(keep_from);
  return keep_from;
}

rocksdb::Status RocksDbStore::WriteDurably(rocksdb::WriteBatch& batch) {
  if (needs_recovery_) {
    rocksdb::Status recovered = Recover();
    if (!recovered.ok()) return recovered;
  }
  rocksdb::Status status = WriteOnce(batch);
  // The disk may have failed for a moment only. The batch only puts and
  // deletes fixed keys, so writing it again is harmless.
  if (!status.ok() && Recover().ok()) status = WriteOnce(batch);
  return status;
}

rocksdb::Status RocksDbStore::WriteOnce(rocksdb::WriteBatch& batch) {
  // A memtable entry first, kept out of the WAL. RocksDB (7.8) resumes onto
  // a new WAL only when some memtable has entries to flush; otherwise the
  // next write would go, reusing a failed write's sequence numbers and
  // revisions, to the WAL holding its bytes, through the writer that failed
  // (a fatal error; in Debian's build an assertion aborts the process).
  rocksdb::WriteOptions unlogged;
  unlogged.disableWAL = true;
  rocksdb::WriteBatch mark;
  mark.Delete(families_.meta, std::string(kMemtableMarkKey));
  rocksdb::Status status = db_->Write(unlogged, &mark);
  if (status.ok()) {
    const uint64_t wal_failures = error_events_->wal_failures();
    rocksdb::WriteOptions options;
    options.sync = true;
    status = db_->Write(options, &batch);
    if (!status.ok() && error_events_->wal_failures() != wal_failures) {
      wal_in_doubt_ = true;
    }
  }
  if (!status.ok()) needs_recovery_ = true;
  return status;
}

rocksdb::Status RocksDbStore::Recover() {
  rocksdb::Status status;
  if (wal_in_doubt_ && doubtful_wal_ == 0) {
    status = CurrentWal(*db_, &doubtful_wal_);
    if (!status.ok()) return status;
  }
  // RocksDB (7.8) makes the error fatal, so that only a restart helps, when
  // Resume() cannot create its new WAL, as on a disk still full: resume only
  // once the disk takes a synced write.
  status = ProbeDisk(*db_->GetEnv(), db_->GetName());
  if (!status.ok()) return status;
  // Jobs still running from while the disk failed finish first: an error
  // one reports during Resume() would fail it.
  status = db_->PauseBackgroundWork();
  if (status.ok()) status = db_->ContinueBackgroundWork();
  if (status.ok()) status = db_->Resume();
  if (!status.ok()) return status;
  if (wal_in_doubt_) {
    uint64_t wal = 0;
    status = CurrentWal(*db_, &wal);
    if (!status.ok()) return status;
    // Possible only if the failed write's own memtable switch emptied every
    // memtable (see WriteOnce); writing on is not safe.
    if (wal <= doubtful_wal_) {
      return rocksdb::Status::IOError(
          "resumed on the write-ahead log of a failed write",
          "restart the server");
    }
    wal_in_doubt_ = false;
    doubtful_wal_ = 0;
  }
  needs_recovery_ = false;
  return rocksdb::Status::OK();
}

absl::StatusOr<std::vector<v1::WatchIssuesResponse>>
RocksDbStore::ReadRevisions(int64_t start, int limit) {
  return ScanMessages<v1::WatchIssuesResponse>(
      families_.log, keys::RevisionKey(start < 1 ? 1 : start), "", limit,
      "revision log");
}

absl::StatusOr<const v1::Issue*> RocksDbStore::StagedOrStored(
    StagedWrite& write, int32_t number) {
  auto staged = write.latest.find(number);
  if (staged != write.latest.end()) return &staged->second;
  absl::StatusOr<v1::Issue> stored = GetIssue(number);
  if (absl::IsNotFound(stored.status())) return nullptr;
  if (!stored.ok()) return stored.status();
  return &write.latest.emplace(number, *std::move(stored)).first->second;
}

void RocksDbStore::StageIssue(StagedWrite& write, const v1::Issue* previous,
                              const v1::Issue& issue) {
  auto issue_bytes =
      std::make_shared<const std::string>(issue.SerializeAsString());
  StageIssueRows(issue, *issue_bytes, previous,
                 {families_.issues, families_.sections, families_.tales},
                 &write.batch);
  if (previous != nullptr) write.index.Remove(*previous);
  write.index.Add(issue);
  write.written.emplace_back(issue.number(), std::move(issue_bytes));
  // After the uses of `previous`, which may point at this very entry.
  write.latest[issue.number()] = issue;
}

void RocksDbStore::StageChange(StagedWrite& write, const v1::Issue* previous,
                               v1::WatchIssuesResponse event) {
  StageIssue(write, previous, event.issue());
  CommittedEntry& entry = write.committed.emplace_back();
  entry.bytes = event.SerializeAsString();
  write.batch.Put(families_.log, keys::RevisionKey(event.revision()),
                  entry.bytes);
  entry.event = std::move(event);
}

absl::Status RocksDbStore::CommitStaged(StagedWrite& write,
                                        int64_t committed_head, int64_t head,
                                        absl::Time deadline) {
  IMPORTAI_RETURN_IF_ERROR(write.index.Finish(*db_));
  write.batch.Put(families_.meta, std::string(keys::kHeadRevision),
                  keys::RevisionKey(head));
  // The last moment to give up on a caller who has: from here on the write
  // happens, and is reported as done however long the sync takes.
  if (absl::Now() >= deadline) {
    return absl::DeadlineExceededError(
        "the call's deadline passed before the write; nothing was stored");
  }
  IMPORTAI_RETURN_IF_ERROR(FromRocksDb(
      WriteDurably(write.batch),
      absl::StrCat("write revisions ", committed_head + 1, " to ", head)));
  for (auto& [number, bytes] : write.written)
    issue_cache_.Put(number, std::move(bytes));
  head_revision_.store(head);
  if (oldest_revision_.load() > committed_head) {
    oldest_revision_.store(committed_head + 1);  // the log was empty
  }
  if (commit_listener_) commit_listener_(write.committed);
  return absl::OkStatus();
}

absl::StatusOr<WriteResult> RocksDbStore::WriteIssues(
    absl::Span<const v1::Issue> copies, absl::Time commit_time, bool dry_run,
    absl::Time deadline) {
  absl::MutexLock lock(&write_mu_);
  WriteResult result;
  const int64_t committed_head = head_revision_.load();
  int64_t head = committed_head;
  StagedWrite write(families_.index);
  const google::protobuf::Timestamp commit_timestamp = ToTimestamp(commit_time);

  for (const v1::Issue& copy : copies) {
    // 1. The issue as stored, or as an earlier copy of this call left it.
    IMPORTAI_ASSIGN_OR_RETURN(const v1::Issue* previous,
                              StagedOrStored(write, copy.number()));
    const bool created = previous == nullptr;
    // 2. The copy merged onto it; a copy that changes nothing ends here.
    v1::Issue issue;
    std::vector<std::string> notes;
    if (created) {
      issue = copy;
    } else {
      MergedIssue merged = MergeIssue(*previous, copy);
      notes = std::move(merged.notes);
      if (!merged.changed) {
        // In a dry run, a revision this request staged was never committed.
        const bool committed = previous->revision() <= committed_head;
        result.outcomes.push_back(
            {v1::INGEST_OUTCOME_UNCHANGED,
             dry_run && !committed ? 0 : previous->revision(),
             std::move(notes)});
        continue;
      }
      issue = std::move(merged.issue);
    }
    // 3. The next revision and its times.
    issue.set_revision(++head);
    *issue.mutable_create_time() =
        created ? commit_timestamp : previous->create_time();
    *issue.mutable_update_time() = commit_timestamp;
    result.outcomes.push_back(
        {created ? v1::INGEST_OUTCOME_CREATED : v1::INGEST_OUTCOME_UPDATED,
         dry_run ? 0 : head, std::move(notes)});
    // 4. Its rows, index entries and log entry, staged in the batch.
    v1::WatchIssuesResponse event;
    event.set_type(created ? v1::EVENT_TYPE_CREATED : v1::EVENT_TYPE_UPDATED);
    event.set_revision(head);
    *event.mutable_commit_time() = commit_timestamp;
    *event.mutable_issue() = std::move(issue);
    if (dry_run) {
      // Only what later copies of this call compare with; nothing commits.
      write.latest[copy.number()] = std::move(*event.mutable_issue());
    } else {
      StageChange(write, previous, std::move(event));
    }
  }

  if (dry_run || head == committed_head) {
    result.head_revision = committed_head;
    return result;
  }
  // 5. One synced batch, then the cache, the head and the listener.
  IMPORTAI_RETURN_IF_ERROR(CommitStaged(write, committed_head, head, deadline));
  result.head_revision = head;
  return result;
}

}  // namespace importai::storage
