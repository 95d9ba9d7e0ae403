#include "storage/index/rebuild.h"

#include <memory>

#include "common/status_macros.h"
#include "importai/v1/resources.pb.h"
#include "search/analyzer.h"
#include "storage/index/index_keys.h"
#include "storage/index/index_writer.h"
#include "storage/keys.h"
#include "storage/rocksdb_status.h"

namespace importai::storage::index {
namespace {

// Issues per batch: a few MB of postings, however large the archive.
constexpr int kIssuesPerBatch = 200;

// Stages the deletion of every row of `family`: one range tombstone from
// its first key to just after its last.
absl::Status StageClear(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* family,
                        rocksdb::WriteBatch* batch) {
  std::unique_ptr<rocksdb::Iterator> it(
      db.NewIterator(rocksdb::ReadOptions(), family));
  it->SeekToFirst();
  if (!it->Valid()) return FromRocksDb(it->status(), "clear search index");
  const std::string first = it->key().ToString();
  it->SeekToLast();
  if (!it->Valid()) return FromRocksDb(it->status(), "clear search index");
  batch->DeleteRange(
      family, first,
      keys::KeyAfter(absl::string_view(it->key().data(), it->key().size())));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<IndexRebuild> RebuildIfStale(rocksdb::DB& db,
                                            const IndexFamilies& families,
                                            rocksdb::ColumnFamilyHandle* issues,
                                            WriteBatchFn write) {
  const std::string version_key(kAnalyzerVersionKey);
  IndexRebuild result;
  result.version = search::AnalyzerVersion();
  rocksdb::Status read = db.Get(rocksdb::ReadOptions(), families.meta,
                                version_key, &result.previous_version);
  if (read.ok() && result.previous_version == result.version) return result;
  if (!read.ok() && !read.IsNotFound()) {
    return FromRocksDb(read, "read analyzer version");
  }

  std::unique_ptr<rocksdb::Iterator> it(
      db.NewIterator(rocksdb::ReadOptions(), issues));
  it->SeekToFirst();
  IMPORTAI_RETURN_IF_ERROR(FromRocksDb(it->status(), "index stored issues"));
  if (it->Valid()) {
    // In bounded batches rather than one: the archive's whole index in one
    // WriteBatch would sit in memory at once. Each batch's IndexWriter adds
    // to the frequencies and statistics the earlier ones committed. The
    // version is recorded only with the last batch, so a rebuild cut short
    // leaves a stale version, and the next open starts it over from the
    // clearing below; nothing reads the index meanwhile.
    rocksdb::WriteBatch clear;
    for (rocksdb::ColumnFamilyHandle* family :
         {families.postings, families.terms, families.citations}) {
      IMPORTAI_RETURN_IF_ERROR(StageClear(db, family, &clear));
    }
    clear.Delete(families.meta, std::string(kIndexStatsKey));
    IMPORTAI_RETURN_IF_ERROR(FromRocksDb(write(clear), "clear search index"));
    result.rebuilt = true;
  }
  while (true) {
    rocksdb::WriteBatch batch;
    IndexWriter writer(families, &batch);
    for (int n = 0; it->Valid() && n < kIssuesPerBatch; ++n, it->Next()) {
      v1::Issue issue;
      if (!issue.ParseFromArray(it->value().data(),
                                static_cast<int>(it->value().size()))) {
        return absl::InternalError("index stored issues: corrupt issue");
      }
      writer.Add(issue);
      ++result.issues;
    }
    IMPORTAI_RETURN_IF_ERROR(FromRocksDb(it->status(), "index stored issues"));
    if (result.rebuilt) IMPORTAI_RETURN_IF_ERROR(writer.Finish(db));
    if (!it->Valid()) batch.Put(families.meta, version_key, result.version);
    IMPORTAI_RETURN_IF_ERROR(FromRocksDb(write(batch), "index stored issues"));
    if (!it->Valid()) return result;
  }
}

}  // namespace importai::storage::index
