// libFuzzer target: page tokens. The input is "query\ntoken" (no newline: the
// whole input is the token of an empty query). DecodePageToken must refuse or
// accept without crashing, and an accepted cursor must survive a round trip
// through EncodePageToken. The first 20 bytes also make a cursor to encode,
// whose token must decode to the same cursor exactly when it is valid.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/page_token.h"

namespace {

using importai::services::DecodePageToken;
using importai::services::EncodePageToken;
using importai::services::PageCursor;

void Check(bool condition, const char* what) {
  if (!condition) {
    fprintf(stderr, "page_token_fuzzer: %s\n", what);
    abort();
  }
}

bool SameCursor(const PageCursor& a, const PageCursor& b) {
  return a.issue_number == b.issue_number && a.ordinal == b.ordinal &&
         std::memcmp(&a.score, &b.score, sizeof(double)) == 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  absl::string_view query;
  absl::string_view token = input;
  if (size_t newline = input.find('\n'); newline != absl::string_view::npos) {
    query = input.substr(0, newline);
    token = input.substr(newline + 1);
  }

  auto decoded = DecodePageToken(query, token);
  if (decoded.ok()) {
    auto again = DecodePageToken(query, EncodePageToken(query, *decoded));
    Check(again.ok() && SameCursor(*again, *decoded),
          "a decoded cursor does not survive re-encoding");
  } else {
    Check(decoded.status().code() == absl::StatusCode::kInvalidArgument,
          "an error other than INVALID_ARGUMENT");
  }

  if (size >= 20) {
    PageCursor cursor;
    std::memcpy(&cursor.issue_number, data, 4);
    std::memcpy(&cursor.ordinal, data + 4, 4);
    std::memcpy(&cursor.score, data + 8, 8);
    const bool valid = cursor.issue_number >= 1 && cursor.ordinal >= 0 &&
                       std::isfinite(cursor.score);
    const absl::string_view other(reinterpret_cast<const char*>(data + 16), 4);
    const std::string encoded = EncodePageToken(query, cursor);
    auto round_trip = DecodePageToken(query, encoded);
    Check(round_trip.ok() == valid, "validity not kept by a round trip");
    if (valid) {
      Check(SameCursor(*round_trip, cursor), "cursor changed by a round trip");
      if (other != query) {
        Check(!DecodePageToken(other, encoded).ok(),
              "a token accepted for another query");
      }
    }
  }
  return 0;
}
