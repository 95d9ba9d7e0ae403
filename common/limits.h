#ifndef IMPORTAI_COMMON_LIMITS_H_
#define IMPORTAI_COMMON_LIMITS_H_

#include <cstddef>
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

// Longest resource name accepted ("issues/2147483647/sections/2147483647",
// the longest valid one, has 37 bytes). Checked before a name is split, so a
// hostile name costs nothing but its size check.
inline constexpr size_t kMaxResourceNameBytes = 128;

// Largest request a read (every ArchiveService method) accepts: its name,
// page token, query and filter are each far smaller. gRPC 1.51's receive
// limit is one per server, not per method, and must admit an ingest, so
// reads check this themselves before any other work (archive_service.cc).
inline constexpr int64_t kMaxReadRequestBytes = 64 << 10;

// WatchIssues progress_interval: the default and the allowed range. Each
// idle stream costs a write per interval, so the floor bounds what a client
// can make the server do: 50 000 streams at 1 s are 50 000 writes a second
// (--min_progress_interval lowers it, for tests).
inline constexpr absl::Duration kDefaultProgressInterval = absl::Seconds(10);
inline constexpr absl::Duration kDefaultMinProgressInterval = absl::Seconds(1);
inline constexpr absl::Duration kMaxProgressInterval = absl::Seconds(60);

// Replication. A snapshot message holds about this many bytes of issues;
// each StreamSnapshot reads the whole archive, so only a few run at once.
inline constexpr size_t kSnapshotChunkBytes = 1 << 20;
inline constexpr int kMaxConcurrentSnapshots = 4;
// A replica applies at most this many revisions in one write, and reads
// ahead at most this many bytes of its primary's feed while it writes.
inline constexpr size_t kReplicaApplyBatch = 256;
inline constexpr size_t kReplicaInboxBytes = 16 << 20;
// A replica is NOT_SERVING while farther behind its primary (--max_lag).
inline constexpr absl::Duration kDefaultMaxReplicaLag = absl::Seconds(10);

// x-importai-min-revision: a read waits for its revision up to the call's
// deadline, and never longer than this (a call without a deadline too);
// waiting calls past the cap are RESOURCE_EXHAUSTED.
inline constexpr absl::Duration kMaxMinRevisionWait = absl::Seconds(60);
inline constexpr size_t kMaxMinRevisionWaiters = 10'000;
// How long before the call's deadline a read still waiting gives up (at most
// a fifth of its time), so the answer arrives before the deadline does.
inline constexpr absl::Duration kMinRevisionAnswerMargin =
    absl::Milliseconds(100);

}  // namespace importai

#endif  // IMPORTAI_COMMON_LIMITS_H_
