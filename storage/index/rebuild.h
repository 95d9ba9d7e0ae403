#ifndef IMPORTAI_STORAGE_INDEX_REBUILD_H_
#define IMPORTAI_STORAGE_INDEX_REBUILD_H_

#include <cstdint>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "storage/index/index_families.h"

namespace importai::storage::index {

// What RebuildIfStale did.
struct IndexRebuild {
  bool rebuilt = false;
  // The analyzer version the index had been built with; empty when none was
  // recorded (a data directory from before versions, or before the index).
  std::string previous_version;
  std::string version;  // the one recorded now
  int64_t issues = 0;   // issues indexed
};

// Commits one batch durably; a RocksDB error if it could not.
using WriteBatchFn = absl::FunctionRef<rocksdb::Status(rocksdb::WriteBatch&)>;

// Makes the search index and citation graph match search::AnalyzerVersion().
// When the version recorded in `families.meta` differs or is missing and
// `issues` holds issues, deletes the index and builds it again from them,
// then records the version; without issues it only records the version.
// Returns what it did; UNAVAILABLE or INTERNAL (naming the step) on a failed
// read or write, or a stored issue that does not parse, in which case the
// old version stays recorded and the next call starts over.
// REQUIRES: nothing else reads the index or writes the database meanwhile.
absl::StatusOr<IndexRebuild> RebuildIfStale(rocksdb::DB& db,
                                            const IndexFamilies& families,
                                            rocksdb::ColumnFamilyHandle* issues,
                                            WriteBatchFn write);

}  // namespace importai::storage::index

#endif  // IMPORTAI_STORAGE_INDEX_REBUILD_H_
