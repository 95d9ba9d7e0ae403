#include "storage/keys.h"

namespace importai::storage::keys {
namespace {

std::string BigEndian(uint64_t value, int bytes) {
  std::string out(bytes, '\0');
  for (int i = bytes - 1; i >= 0; --i, value >>= 8) {
    out[i] = static_cast<char>(value & 0xff);
  }
  return out;
}

uint64_t LoadBigEndian(absl::string_view bytes) {
  uint64_t value = 0;
  for (unsigned char c : bytes) value = (value << 8) | c;
  return value;
}

// Larger issue numbers sort first.
uint32_t Invert(int32_t number) {
  return UINT32_MAX - static_cast<uint32_t>(number);
}

}  // namespace

std::string IssueKey(int32_t number) { return BigEndian(Invert(number), 4); }

std::string SectionKey(int32_t number, int32_t ordinal) {
  return IssueKey(number) + BigEndian(static_cast<uint32_t>(ordinal), 4);
}

std::string RevisionKey(int64_t revision) {
  return BigEndian(static_cast<uint64_t>(revision), 8);
}

std::string KeyAfter(absl::string_view key) {
  std::string after(key);
  after.push_back('\0');
  return after;
}

bool DecodeRevision(absl::string_view value, int64_t* revision) {
  if (value.size() != 8) return false;
  *revision = static_cast<int64_t>(LoadBigEndian(value));
  return true;
}

}  // namespace importai::storage::keys
