#ifndef IMPORTAI_STORAGE_INDEX_INDEX_WRITER_H_
#define IMPORTAI_STORAGE_INDEX_INDEX_WRITER_H_

#include <cstdint>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "importai/v1/resources.pb.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "storage/index/index_families.h"
#include "storage/index/index_stats.h"

namespace importai::storage::index {

// Stages the search index and citation rows of one write into its batch, so
// they commit (or not) together with the issues they describe.
//
// Postings and citation rows go into the batch at once; document frequencies
// and collection statistics are summed and written by Finish, which reads the
// committed values. REQUIRES: the caller serializes writes to the database.
class IndexWriter {
 public:
  IndexWriter(const IndexFamilies& families, rocksdb::WriteBatch* batch)
      : families_(families), batch_(*batch) {}

  // Removes the rows of `issue` as it was stored (or staged earlier in this
  // batch). Call before Add of its replacement.
  void Remove(const v1::Issue& issue) { Stage(issue, -1); }
  void Add(const v1::Issue& issue) { Stage(issue, +1); }

  absl::Status Finish(rocksdb::DB& db);

 private:
  void Stage(const v1::Issue& issue, int sign);

  IndexFamilies families_;
  rocksdb::WriteBatch& batch_;
  absl::flat_hash_map<std::string, int64_t> frequency_deltas_;
  IndexStats stats_delta_;
};

}  // namespace importai::storage::index

#endif  // IMPORTAI_STORAGE_INDEX_INDEX_WRITER_H_
