#ifndef IMPORTAI_COMMON_LIMITS_H_
#define IMPORTAI_COMMON_LIMITS_H_

#include <cstdint>

#include "absl/time/time.h"

namespace importai {

// AIP-158 page sizes: 0 means the default, larger requests are capped.
inline constexpr int kDefaultPageSize = 20;
inline constexpr int kMaxPageSize = 100;

// Default cap on the text of one IngestIssues request (--max_ingest_bytes).
inline constexpr int64_t kDefaultMaxIngestBytes = 16 << 20;

// What one ingest may hand each format's reader. The libraries' trees cost
// far more than their input at worst (cmark: ~230 bytes of nodes per byte of
// "*a*a..."; libxml2: ~60 per byte of "<b>a</b>..."), so each cap keeps a
// hostile request under ~250 MB; an issue is some 50 KB in any format, and a
// file per issue (or a feed of its latest items) is how they come.
inline constexpr int64_t kMaxMarkdownInputBytes = 1 << 20;
inline constexpr int64_t kMaxMarkupInputBytes = 4 << 20;  // HTML and feeds

// Room for the request's other fields and framing on top of the text, so a
// request at the ingest limit is not refused by gRPC's receive limit first.
inline constexpr int64_t kIngestEnvelopeBytes = 64 << 10;

// WatchIssues progress_interval: the default and the allowed range.
inline constexpr absl::Duration kDefaultProgressInterval = absl::Seconds(10);
inline constexpr absl::Duration kMinProgressInterval = absl::Milliseconds(100);
inline constexpr absl::Duration kMaxProgressInterval = absl::Seconds(60);

}  // namespace importai

#endif  // IMPORTAI_COMMON_LIMITS_H_
