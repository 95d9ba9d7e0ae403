#include "newsletter/sha256.h"

#include <string>

#include "gtest/gtest.h"

namespace importai::newsletter {
namespace {

// FIPS 180-2 / NIST test vectors.
TEST(Sha256Test, MatchesStandardVectors) {
  EXPECT_EQ(Sha256Hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(
      Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256Test, IncrementalUpdatesMatchOneShot) {
  const std::string data(1000, 'x');
  for (size_t split : {0, 1, 55, 56, 63, 64, 65, 500, 1000}) {
    Sha256 hasher;
    hasher.Update(absl::string_view(data).substr(0, split));
    hasher.Update(absl::string_view(data).substr(split));
    const Sha256::Digest digest = hasher.Finish();
    std::string hex;
    for (uint8_t byte : digest) {
      static constexpr char kHex[] = "0123456789abcdef";
      hex.push_back(kHex[byte >> 4]);
      hex.push_back(kHex[byte & 0xF]);
    }
    EXPECT_EQ(hex, Sha256Hex(data)) << "split at " << split;
  }
}

// The hardware path must agree with the portable reference block for block.
TEST(Sha256Test, HardwarePathMatchesPortablePath) {
  if (!sha256_internal::HasShaNi()) GTEST_SKIP() << "CPU has no SHA-NI";
  std::string data(64 * 37, '\0');
  uint32_t seed = 7;
  for (char& c : data) {
    seed = seed * 1664525 + 1013904223;
    c = static_cast<char>(seed >> 24);
  }
  uint32_t portable[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  uint32_t hardware[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  const auto* bytes = reinterpret_cast<const uint8_t*>(data.data());
  sha256_internal::ProcessBlocksPortable(portable, bytes, 37);
  sha256_internal::ProcessBlocksShaNi(hardware, bytes, 37);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(portable[i], hardware[i]) << i;
}

}  // namespace
}  // namespace importai::newsletter
