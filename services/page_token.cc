#include "services/page_token.h"

#include <cmath>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"

namespace importai::services {
namespace {

// Token layout, before base64url: version, query fingerprint, cursor.
constexpr char kVersion = 2;
constexpr size_t kTokenBytes = 1 + 8 + 4 + 4 + 8;
// Its base64 form, padded; anything longer is refused before decoding.
constexpr size_t kMaxEncodedBytes = (kTokenBytes + 2) / 3 * 4;

// FNV-1a: stable across processes and builds, unlike absl::Hash.
uint64_t Fingerprint(absl::string_view query) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : query) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

void AppendBigEndian(uint64_t value, int bytes, std::string* out) {
  for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((value >> shift) & 0xff));
  }
}

uint64_t ReadBigEndian(absl::string_view bytes) {
  uint64_t value = 0;
  for (unsigned char c : bytes) value = (value << 8) | c;
  return value;
}

absl::Status Invalid(absl::string_view why) {
  return absl::InvalidArgumentError(
      std::string("page_token: ") + std::string(why) +
      "; pass the next_page_token of the previous page of the same query");
}

}  // namespace

std::string EncodePageToken(absl::string_view query, PageCursor cursor) {
  std::string raw;
  raw.push_back(kVersion);
  AppendBigEndian(Fingerprint(query), 8, &raw);
  AppendBigEndian(static_cast<uint32_t>(cursor.issue_number), 4, &raw);
  AppendBigEndian(static_cast<uint32_t>(cursor.ordinal), 4, &raw);
  uint64_t score_bits = 0;
  std::memcpy(&score_bits, &cursor.score, sizeof(score_bits));
  AppendBigEndian(score_bits, 8, &raw);
  return absl::WebSafeBase64Escape(raw);
}

absl::StatusOr<PageCursor> DecodePageToken(absl::string_view query,
                                           absl::string_view token) {
  std::string raw;
  if (token.size() > kMaxEncodedBytes ||
      !absl::WebSafeBase64Unescape(token, &raw) || raw.size() != kTokenBytes ||
      raw[0] != kVersion) {
    return Invalid("not a token this server issued");
  }
  absl::string_view view(raw);
  if (ReadBigEndian(view.substr(1, 8)) != Fingerprint(query)) {
    return Invalid("the token belongs to another query");
  }
  PageCursor cursor;
  cursor.issue_number = static_cast<int32_t>(ReadBigEndian(view.substr(9, 4)));
  cursor.ordinal = static_cast<int32_t>(ReadBigEndian(view.substr(13, 4)));
  const uint64_t score_bits = ReadBigEndian(view.substr(17, 8));
  std::memcpy(&cursor.score, &score_bits, sizeof(score_bits));
  if (cursor.issue_number < 1 || cursor.ordinal < 0 ||
      !std::isfinite(cursor.score)) {
    return Invalid("not a token this server issued");
  }
  return cursor;
}

}  // namespace importai::services
