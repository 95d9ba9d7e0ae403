#ifndef IMPORTAI_STORAGE_ROCKSDB_STATUS_H_
#define IMPORTAI_STORAGE_ROCKSDB_STATUS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "rocksdb/status.h"

namespace importai::storage {

// Converts a RocksDB status once, at the storage boundary. Disk trouble
// (I/O error, no space, busy) is UNAVAILABLE so clients retry; corruption is
// INTERNAL. `context` names what was being done, e.g. "read issue 387".
absl::Status FromRocksDb(const rocksdb::Status& status,
                         absl::string_view context);

}  // namespace importai::storage

#endif  // IMPORTAI_STORAGE_ROCKSDB_STATUS_H_
