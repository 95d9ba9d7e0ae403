#ifndef IMPORTAI_COMMON_SHA256_H_
#define IMPORTAI_COMMON_SHA256_H_

// SHA-256 (FIPS 180-4) through OpenSSL's libcrypto, for content hashes and
// write-token digests. Thread-safe; aborts only if libcrypto cannot hash at
// all (no memory, no provider), where a wrong digest would be worse.

#include <array>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace importai {

using Sha256Digest = std::array<uint8_t, 32>;

Sha256Digest Sha256(absl::string_view data);

// Lowercase hex of Sha256(data): 64 characters.
std::string Sha256Hex(absl::string_view data);

}  // namespace importai

#endif  // IMPORTAI_COMMON_SHA256_H_
