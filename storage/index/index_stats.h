#ifndef IMPORTAI_STORAGE_INDEX_INDEX_STATS_H_
#define IMPORTAI_STORAGE_INDEX_INDEX_STATS_H_

#include <array>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "storage/index/document.h"

namespace importai::storage::index {

// Collection statistics BM25 needs: how many documents, and the total words
// of each field (for average field lengths).
struct IndexStats {
  int64_t documents = 0;
  std::array<int64_t, kFieldCount> total_lengths = {};

  void Add(const IndexStats& delta);
  double AverageLength(int field) const;

  std::string Encode() const;
  // False if `value` is malformed.
  static bool Decode(absl::string_view value, IndexStats* stats);
};

}  // namespace importai::storage::index

#endif  // IMPORTAI_STORAGE_INDEX_INDEX_STATS_H_
