#ifndef IMPORTAI_STORAGE_INDEX_VARINT_H_
#define IMPORTAI_STORAGE_INDEX_VARINT_H_

#include <cstdint>
#include <limits>
#include <string>

#include "absl/strings/string_view.h"

// LEB128 varints: small numbers (positions, counts) take one byte.
namespace importai::storage::index {

inline void AppendVarint(uint64_t value, std::string* out) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

// Reads one varint off the front of `in`; false if truncated or too long.
template <typename Int>
bool ReadVarint(absl::string_view* in, Int* out) {
  uint64_t value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (in->empty()) return false;
    const uint8_t byte = static_cast<uint8_t>(in->front());
    in->remove_prefix(1);
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      if (value > static_cast<uint64_t>(std::numeric_limits<Int>::max()))
        return false;
      *out = static_cast<Int>(value);
      return true;
    }
  }
  return false;
}

}  // namespace importai::storage::index

#endif  // IMPORTAI_STORAGE_INDEX_VARINT_H_
