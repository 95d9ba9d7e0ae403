#ifndef IMPORTAI_STORAGE_ARCHIVE_STORE_H_
#define IMPORTAI_STORAGE_ARCHIVE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "importai/v1/archive_service.pb.h"
#include "importai/v1/ingest_service.pb.h"
#include "importai/v1/resources.pb.h"
#include "search/filter.h"
#include "search/query.h"
#include "storage/search_page.h"

namespace importai::storage {

// Position of a section in list order (issue newest first, then ordinal).
struct SectionPosition {
  int32_t issue_number = 0;
  int32_t ordinal = 0;
};

// What writing one parsed issue copy did.
struct WriteOutcome {
  v1::IngestOutcome outcome = v1::INGEST_OUTCOME_UNSPECIFIED;
  // Revision of the stored issue after this copy; 0 for a change that a
  // dry run would have made.
  int64_t revision = 0;
  // What merging the copy onto the stored issue kept, for people and
  // without a line number, e.g. "this copy lacks its date of the stored
  // issue; the stored ones are kept" (see storage/issue_merge.h).
  std::vector<std::string> notes;
};

struct WriteResult {
  std::vector<WriteOutcome> outcomes;  // one per input copy, in input order
  int64_t head_revision = 0;
};

// How much of the revision log to keep. Zero means no limit; with both set,
// an entry goes when either says so. The head revision is always kept.
struct RetentionPolicy {
  int64_t max_revisions = 0;
  absl::Duration max_age = absl::ZeroDuration();

  bool keeps_everything() const {
    return max_revisions <= 0 && max_age <= absl::ZeroDuration();
  }
};

// Figures for monitoring.
struct StorageStats {
  uint64_t live_data_bytes = 0;
  // Block cache lookups since the store opened.
  uint64_t block_cache_hits = 0;
  uint64_t block_cache_misses = 0;
};

// A log entry as committed: the feed event and the bytes the log holds.
struct CommittedEntry {
  v1::WatchIssuesResponse event;
  std::string bytes;  // `event`, serialized
};

// A consistent view of every stored issue, as of one moment, for a new
// replica to copy (ArchiveStore::OpenSnapshot). Not thread-safe.
class IssueSnapshot {
 public:
  virtual ~IssueSnapshot() = default;
  // The head revision the snapshot holds.
  virtual int64_t revision() const = 0;
  // The next stored issues, serialized, in key order: whole issues adding up
  // to about `max_bytes` (at least one). Empty once every issue was returned.
  virtual absl::StatusOr<std::vector<std::string>> Next(size_t max_bytes) = 0;
};

// Called with the log entries of each committed write, in revision order;
// with none when the head jumped over revisions it has no entries for (a
// replica finished loading a snapshot: HeadRevision() says where it is).
using CommitListener =
    std::function<void(const std::vector<CommittedEntry>& committed)>;

// The archive's durable state: issues, their sections and tales, and the
// revision log that records every change.
//
// Thread-safe: any method may be called from any thread concurrently. Writes
// are serialized; reads see either all of a write or none of it.
//
// Errors common to every method: UNAVAILABLE when the disk fails (I/O error,
// no space), INTERNAL for corrupt data. Issue numbers and ordinals are >= 1.
class ArchiveStore {
 public:
  virtual ~ArchiveStore() = default;

  // The issue with every section and its tale. NOT_FOUND if absent.
  virtual absl::StatusOr<v1::Issue> GetIssue(int32_t number) = 0;

  // The same issue serialized: immutable and shared, so a reader can send it
  // without copying. NOT_FOUND if absent.
  virtual absl::StatusOr<std::shared_ptr<const std::string>> GetIssueBytes(
      int32_t number) = 0;

  // At most `limit` issues numbered below `before` (0: from the newest),
  // newest first.
  virtual absl::StatusOr<std::vector<v1::Issue>> ListIssues(int32_t before,
                                                            int limit) = 0;

  // NOT_FOUND if the issue or the section is absent.
  virtual absl::StatusOr<v1::Section> GetSection(int32_t number,
                                                 int32_t ordinal) = 0;

  // At most `limit` sections in list order strictly after `after` (all of them
  // when `after` is zero). With `only_issue` > 0, just that issue's sections.
  virtual absl::StatusOr<std::vector<v1::Section>> ListSections(
      SectionPosition after, int32_t only_issue, int limit) = 0;

  // NOT_FOUND if the issue is absent or has no tale.
  virtual absl::StatusOr<v1::Tale> GetTale(int32_t number) = 0;

  // At most `limit` tales of issues numbered below `before` (0: from the
  // newest), newest first.
  virtual absl::StatusOr<std::vector<v1::Tale>> ListTales(int32_t before,
                                                          int limit) = 0;

  // Full-text search: the `limit` best documents (sections and tales)
  // matching every clause of `query` and `filter`, after `after` (from the
  // best when null). INVALID_ARGUMENT if a prefix expands too far.
  virtual absl::StatusOr<SearchPage> Search(const search::Query& query,
                                            const search::Filter& filter,
                                            const SearchCursor* after,
                                            int limit) = 0;

  // At most `limit` sections citing issue `cited`, in list order strictly
  // after `after` (from the first when zero). `cited` need not be stored.
  virtual absl::StatusOr<std::vector<v1::Section>> ListCitingSections(
      int32_t cited, SectionPosition after, int limit) = 0;

  // Stores parsed issue copies in one atomic, synced write, in input order.
  // Each copy is merged onto the stored issue (or onto an earlier copy of the
  // same call) by MergeIssue (storage/issue_merge.h): the copy's words and
  // details win, and details it lacks are kept, never erased. A copy that
  // adds or changes nothing is UNCHANGED; any other is CREATED or UPDATED and
  // takes the next revision, with a log entry carrying the merged issue as
  // written. The search index and citation graph change in the same write.
  // REQUIRES: each copy has number, content_hash and its parsed fields set.
  // With `dry_run`, reports the outcomes and stores nothing.
  // On error nothing is stored, with one exception: when only the sync
  // failed (UNAVAILABLE), the write may reappear whole after a restart.
  // Either way, writing the same copies again is safe (UNCHANGED if stored).
  // `deadline` is checked once, under the write lock right before the batch
  // is written (after waiting for other writes and staging this one): past
  // it, nothing is stored and the result is DEADLINE_EXCEEDED. It is never
  // checked after, so a write that commits reports success however late.
  // A dry run, which commits nothing, ignores it.
  virtual absl::StatusOr<WriteResult> WriteIssues(
      absl::Span<const v1::Issue> copies, absl::Time commit_time, bool dry_run,
      absl::Time deadline) = 0;

  // WriteIssues without a deadline.
  absl::StatusOr<WriteResult> WriteIssues(absl::Span<const v1::Issue> copies,
                                          absl::Time commit_time,
                                          bool dry_run) {
    return WriteIssues(copies, commit_time, dry_run, absl::InfiniteFuture());
  }

  // The newest committed revision; 0 for an empty archive.
  virtual int64_t HeadRevision() = 0;

  // At most `limit` log entries with revision >= `start`, in revision order.
  // Each is the feed event of that change (type, revision, issue as written,
  // commit time). Entries trimmed by retention are skipped: callers compare
  // the first revision with `start` to detect that.
  virtual absl::StatusOr<std::vector<v1::WatchIssuesResponse>> ReadRevisions(
      int64_t start, int limit) = 0;

  // The oldest revision still in the log; HeadRevision() + 1 when it is
  // empty.
  virtual int64_t OldestRevision() = 0;

  // Deletes log entries that `policy` no longer keeps as of `now`, in one
  // synced write. Returns the new oldest revision.
  virtual absl::StatusOr<int64_t> TrimRevisionLog(const RetentionPolicy& policy,
                                                  absl::Time now) = 0;

  // Writes a consistent, openable copy of the whole store (issues, index and
  // revision log) into `dir`, which must not exist yet, while serving.
  // Returns the head revision the copy holds. ALREADY_EXISTS if `dir` exists;
  // INVALID_ARGUMENT if it is not an absolute path.
  virtual absl::StatusOr<int64_t> CreateCheckpoint(const std::string& dir) = 0;

  virtual StorageStats Stats() = 0;

  // Replication ------------------------------------------------------------
  //
  // A replica's store changes only through these, with the revisions, commit
  // times and issues its primary wrote; the commit listener sees them as it
  // sees WriteIssues.

  // A consistent view of every issue and the head revision it holds, for a
  // replica to copy while writes go on.
  virtual absl::StatusOr<std::unique_ptr<IssueSnapshot>> OpenSnapshot() = 0;

  // Applies feed events (CREATED or UPDATED, each with the whole issue) from
  // a primary in one atomic, synced write: issue rows, search index,
  // citations and log entries, with the primary's revisions and commit times.
  // Events at or below the head are skipped, so applying one twice changes
  // nothing. The rest must continue the head without a gap; otherwise
  // FAILED_PRECONDITION naming the revisions, and nothing is stored.
  // Returns the head after the write.
  virtual absl::StatusOr<int64_t> ApplyEvents(
      absl::Span<const v1::WatchIssuesResponse> events) = 0;

  // Loading a snapshot: LoadSnapshotIssues once per batch of the snapshot's
  // issues (each with its revision), then FinishSnapshotLoad with the
  // snapshot's revision, which drops the whole revision log and makes that
  // revision the head (the oldest retained becomes revision + 1). Until it
  // has, SnapshotLoadPending() is true, across restarts: a load cut short
  // must be started again. Each call is one atomic, synced write.
  virtual absl::Status LoadSnapshotIssues(
      absl::Span<const v1::Issue> issues) = 0;
  virtual absl::Status FinishSnapshotLoad(int64_t revision) = 0;
  virtual bool SnapshotLoadPending() = 0;

  // Installs the one listener told of every committed write (replacing any
  // earlier one). It runs on the writing thread while writes are held, right
  // after the batch is durable, so it sees revisions in order with no gap;
  // it must return quickly and must not write to the store.
  virtual void SetCommitListener(CommitListener listener) = 0;
};

}  // namespace importai::storage

#endif  // IMPORTAI_STORAGE_ARCHIVE_STORE_H_
