#ifndef IMPORTAI_STORAGE_INDEX_BM25_H_
#define IMPORTAI_STORAGE_INDEX_BM25_H_

#include <array>
#include <cstdint>

#include "storage/index/document.h"
#include "storage/index/index_stats.h"

namespace importai::storage::index {

// Per-field counts of one term (or phrase) in one document, and the lengths
// of those fields.
struct FieldCounts {
  std::array<uint32_t, kFieldCount> counts = {};
  std::array<uint32_t, kFieldCount> lengths = {};
};

// BM25F: each field's count is normalized by that field's length against its
// average and weighted (title 3, dek 2, body 1) before BM25's saturation, so
// a word in a title counts more than the same word in a long body.
class Bm25 {
 public:
  explicit Bm25(const IndexStats& stats);

  // Inverse document frequency of a term in `frequency` documents.
  double Idf(int64_t frequency) const;
  double Score(double idf, const FieldCounts& counts) const;

 private:
  double documents_;
  std::array<double, kFieldCount> average_lengths_;
};

}  // namespace importai::storage::index

#endif  // IMPORTAI_STORAGE_INDEX_BM25_H_
