#ifndef IMPORTAI_STORAGE_INDEX_SEARCH_EXECUTOR_H_
#define IMPORTAI_STORAGE_INDEX_SEARCH_EXECUTOR_H_

#include "absl/status/statusor.h"
#include "rocksdb/db.h"
#include "search/filter.h"
#include "search/query.h"
#include "storage/index/index_families.h"
#include "storage/search_page.h"

namespace importai::storage::index {

// A prefix term may stand for at most this many words; more is
// INVALID_ARGUMENT, which keeps a short prefix from scanning the index.
inline constexpr int kMaxPrefixExpansions = 256;

// Runs `query` against the index as of one snapshot: finds every document
// matching every clause and the filter, scores them with BM25F, and returns
// the `limit` best after `after` (from the best when null).
absl::StatusOr<SearchPage> ExecuteSearch(rocksdb::DB& db,
                                         const IndexFamilies& families,
                                         const search::Query& query,
                                         const search::Filter& filter,
                                         const SearchCursor* after, int limit);

}  // namespace importai::storage::index

#endif  // IMPORTAI_STORAGE_INDEX_SEARCH_EXECUTOR_H_
