#ifndef IMPORTAI_STORAGE_INDEX_INDEX_FAMILIES_H_
#define IMPORTAI_STORAGE_INDEX_INDEX_FAMILIES_H_

#include "rocksdb/db.h"

namespace importai::storage::index {

// The column families the index lives in (see index_keys.h).
struct IndexFamilies {
  rocksdb::ColumnFamilyHandle* meta = nullptr;
  rocksdb::ColumnFamilyHandle* postings = nullptr;
  rocksdb::ColumnFamilyHandle* terms = nullptr;
  rocksdb::ColumnFamilyHandle* citations = nullptr;
};

}  // namespace importai::storage::index

#endif  // IMPORTAI_STORAGE_INDEX_INDEX_FAMILIES_H_
