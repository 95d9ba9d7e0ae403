#ifndef IMPORTAI_STORAGE_STAGED_WRITE_H_
#define IMPORTAI_STORAGE_STAGED_WRITE_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "importai/v1/archive_service.pb.h"
#include "importai/v1/resources.pb.h"
#include "rocksdb/write_batch.h"
#include "storage/archive_store.h"
#include "storage/index/index_writer.h"
#include "storage/issue_cache.h"

namespace importai::storage {

// One write of RocksDbStore as it is staged, before it commits: the batch
// with its search index rows, the issues as the write leaves them (so a later
// change of the same issue replaces an earlier one of the same write, not the
// stored version), and what to tell the issue cache and the commit listener
// once the batch is durable. REQUIRES: built and used under the store's
// write lock.
struct StagedWrite {
  explicit StagedWrite(const index::IndexFamilies& families)
      : index(families, &batch) {}

  rocksdb::WriteBatch batch;  // declared before `index`, which writes to it
  index::IndexWriter index;
  absl::flat_hash_map<int32_t, v1::Issue> latest;
  std::vector<std::pair<int32_t, IssueCache::Bytes>> written;
  std::vector<CommittedEntry> committed;
};

}  // namespace importai::storage

#endif  // IMPORTAI_STORAGE_STAGED_WRITE_H_
