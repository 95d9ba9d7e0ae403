#ifndef IMPORTAI_NEWSLETTER_SHA256_H_
#define IMPORTAI_NEWSLETTER_SHA256_H_

// A small SHA-256 (FIPS 180-4) so the parser needs no crypto library.

#include <array>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace importai::newsletter {

class Sha256 {
 public:
  using Digest = std::array<uint8_t, 32>;

  Sha256();

  void Update(absl::string_view data);
  // Pads, returns the digest and leaves the object unusable until Reset().
  Digest Finish();
  void Reset();

 private:
  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> buffer_;
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

// Lowercase hex SHA-256 of `data`.
std::string Sha256Hex(absl::string_view data);

namespace sha256_internal {

// Compresses `blocks` 64-byte blocks into `state`. The portable version is
// the reference; the SHA-NI one (x86 SHA extensions) is used when the CPU has
// them, because hashing dominates parse time otherwise.
void ProcessBlocksPortable(uint32_t* state, const uint8_t* data, size_t blocks);
// False when the CPU or compiler lacks SHA-NI; then it must not be called.
bool HasShaNi();
void ProcessBlocksShaNi(uint32_t* state, const uint8_t* data, size_t blocks);

}  // namespace sha256_internal

}  // namespace importai::newsletter

#endif  // IMPORTAI_NEWSLETTER_SHA256_H_
