#include "storage/index/postings.h"

#include <algorithm>

#include "storage/index/varint.h"

namespace importai::storage::index {
namespace {

constexpr uint32_t kExactNorms = 200;
constexpr uint32_t kNormStep = 32;

}  // namespace

uint8_t EncodeNorm(uint32_t length) {
  if (length <= kExactNorms) return static_cast<uint8_t>(length);
  return static_cast<uint8_t>(std::min<uint32_t>(
      255, kExactNorms + 1 + (length - kExactNorms - 1) / kNormStep));
}

uint32_t DecodeNorm(uint8_t norm) {
  if (norm <= kExactNorms) return norm;
  // The middle of the step's range.
  return kExactNorms + 1 + (norm - kExactNorms - 1) * kNormStep + kNormStep / 2;
}

void AppendPostings(
    const Document& document,
    const std::array<std::vector<uint32_t>, kFieldCount>& positions,
    std::string* value) {
  AppendVarint(static_cast<uint32_t>(document.ordinal), value);
  uint8_t mask = 0;
  for (int field = 0; field < kFieldCount; ++field) {
    if (!positions[field].empty()) mask |= 1 << field;
  }
  value->push_back(static_cast<char>(mask));
  for (int field = 0; field < kFieldCount; ++field) {
    const std::vector<uint32_t>& list = positions[field];
    if (list.empty()) continue;
    value->push_back(static_cast<char>(EncodeNorm(document.lengths[field])));
    AppendVarint(static_cast<uint32_t>(list.size()), value);
    uint32_t previous = 0;
    for (uint32_t position : list) {
      AppendVarint(position - previous, value);
      previous = position;
    }
  }
}

void AppendMarker(int32_t ordinal, std::string* value) {
  AppendVarint(static_cast<uint32_t>(ordinal), value);
  value->push_back('\0');
}

bool PostingsReader::Next() {
  if (!ok_ || rest_.empty()) return false;
  uint32_t ordinal = 0;
  if (!ReadVarint(&rest_, &ordinal) || rest_.empty()) return ok_ = false;
  ordinal_ = static_cast<int32_t>(ordinal);
  const uint8_t mask = static_cast<uint8_t>(rest_.front());
  rest_.remove_prefix(1);
  if (mask >> kFieldCount) return ok_ = false;
  for (int field = 0; field < kFieldCount; ++field) {
    std::vector<uint32_t>& list = positions_[field];
    list.clear();
    counts_[field] = 0;
    lengths_[field] = 0;
    if ((mask & (1 << field)) == 0) continue;
    if (rest_.empty()) return ok_ = false;
    lengths_[field] = DecodeNorm(static_cast<uint8_t>(rest_.front()));
    rest_.remove_prefix(1);
    uint32_t count = 0;
    // Each position takes at least a byte, which bounds a corrupt count.
    if (!ReadVarint(&rest_, &count) || count == 0 || count > rest_.size()) {
      return ok_ = false;
    }
    counts_[field] = count;
    uint32_t position = 0;
    for (uint32_t i = 0; i < count; ++i) {
      if (with_positions_) {
        uint32_t delta = 0;
        if (!ReadVarint(&rest_, &delta)) return ok_ = false;
        position += delta;
        list.push_back(position);
      } else {
        // Skip the varint: its last byte is the first without the high bit.
        size_t end = 0;
        while (end < rest_.size() && (rest_[end] & 0x80) != 0) ++end;
        if (end == rest_.size()) return ok_ = false;
        rest_.remove_prefix(end + 1);
      }
    }
  }
  return true;
}

}  // namespace importai::storage::index
