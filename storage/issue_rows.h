#ifndef IMPORTAI_STORAGE_ISSUE_ROWS_H_
#define IMPORTAI_STORAGE_ISSUE_ROWS_H_

#include <string>

#include "importai/v1/resources.pb.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"

namespace importai::storage {

// The column families an issue's rows live in.
struct IssueFamilies {
  rocksdb::ColumnFamilyHandle* issues = nullptr;
  rocksdb::ColumnFamilyHandle* sections = nullptr;
  rocksdb::ColumnFamilyHandle* tales = nullptr;
};

// Stages the rows of `issue` (serialized as `issue_bytes`) into `batch`, and
// the removal of the rows `previous` (null when new) had that `issue` no
// longer has.
void StageIssueRows(const v1::Issue& issue, const std::string& issue_bytes,
                    const v1::Issue* previous, const IssueFamilies& families,
                    rocksdb::WriteBatch* batch);

}  // namespace importai::storage

#endif  // IMPORTAI_STORAGE_ISSUE_ROWS_H_
