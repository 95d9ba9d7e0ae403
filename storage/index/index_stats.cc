#include "storage/index/index_stats.h"

namespace importai::storage::index {
namespace {

constexpr size_t kEncodedSize = 8 * (1 + kFieldCount);

void AppendFixed64(int64_t value, std::string* out) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out->push_back(
        static_cast<char>((static_cast<uint64_t>(value) >> shift) & 0xff));
  }
}

int64_t LoadFixed64(absl::string_view bytes) {
  uint64_t value = 0;
  for (unsigned char c : bytes.substr(0, 8)) value = (value << 8) | c;
  return static_cast<int64_t>(value);
}

}  // namespace

void IndexStats::Add(const IndexStats& delta) {
  documents += delta.documents;
  for (int field = 0; field < kFieldCount; ++field) {
    total_lengths[field] += delta.total_lengths[field];
  }
}

double IndexStats::AverageLength(int field) const {
  if (documents <= 0 || total_lengths[field] <= 0) return 1.0;
  return static_cast<double>(total_lengths[field]) /
         static_cast<double>(documents);
}

std::string IndexStats::Encode() const {
  std::string out;
  AppendFixed64(documents, &out);
  for (int64_t total : total_lengths) AppendFixed64(total, &out);
  return out;
}

bool IndexStats::Decode(absl::string_view value, IndexStats* stats) {
  if (value.size() != kEncodedSize) return false;
  stats->documents = LoadFixed64(value);
  for (int field = 0; field < kFieldCount; ++field) {
    stats->total_lengths[field] = LoadFixed64(value.substr(8 * (field + 1)));
  }
  return true;
}

}  // namespace importai::storage::index
