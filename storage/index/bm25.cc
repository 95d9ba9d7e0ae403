#include "storage/index/bm25.h"

#include <algorithm>
#include <cmath>

namespace importai::storage::index {
namespace {

constexpr double kK1 = 1.2;
constexpr std::array<double, kFieldCount> kFieldWeights = {3.0, 2.0, 1.0};
// Length normalization per field: weaker for titles and deks, whose lengths
// vary little and say little about how focused the text is.
constexpr std::array<double, kFieldCount> kFieldB = {0.3, 0.5, 0.75};

}  // namespace

Bm25::Bm25(const IndexStats& stats)
    : documents_(static_cast<double>(std::max<int64_t>(stats.documents, 1))) {
  for (int field = 0; field < kFieldCount; ++field) {
    average_lengths_[field] = stats.AverageLength(field);
  }
}

double Bm25::Idf(int64_t frequency) const {
  const double df = static_cast<double>(frequency);
  return std::log(1.0 + (documents_ - df + 0.5) / (df + 0.5));
}

double Bm25::Score(double idf, const FieldCounts& counts) const {
  double weighted = 0;
  for (int field = 0; field < kFieldCount; ++field) {
    if (counts.counts[field] == 0) continue;
    const double b = kFieldB[field];
    const double norm =
        1.0 - b + b * counts.lengths[field] / average_lengths_[field];
    weighted += kFieldWeights[field] * counts.counts[field] / norm;
  }
  return idf * weighted * (kK1 + 1.0) / (weighted + kK1);
}

}  // namespace importai::storage::index
