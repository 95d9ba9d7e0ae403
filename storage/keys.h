#ifndef IMPORTAI_STORAGE_KEYS_H_
#define IMPORTAI_STORAGE_KEYS_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

// Key layout. Issue numbers are stored inverted and big-endian so that a
// forward range scan walks issues newest first; a List page is then one Seek
// plus `limit` Next()s.
//
//   issues   : issue_key(n)                -> Issue (full)
//   sections : issue_key(n) + be32(ordinal) -> Section
//   tales    : issue_key(n)                -> Tale
//   log      : be64(revision)              -> WatchIssuesResponse
//   default  : "head_revision"             -> be64(revision)
//              "snapshot_load_pending"     -> "" while a replica loads one
namespace importai::storage::keys {

inline constexpr absl::string_view kHeadRevision = "head_revision";
inline constexpr absl::string_view kSnapshotLoadPending =
    "snapshot_load_pending";

std::string IssueKey(int32_t number);
std::string SectionKey(int32_t number, int32_t ordinal);
std::string RevisionKey(int64_t revision);

// The first key after `key` in bytewise order, where a scan strictly after
// `key` starts. The keys above are fixed-width, so it is `key` + "\0"; no
// arithmetic on the numbers in them, which may be at their maximum (a page
// token may claim ordinal INT32_MAX).
std::string KeyAfter(absl::string_view key);

// Returns false when `value` has the wrong size.
bool DecodeRevision(absl::string_view value, int64_t* revision);

}  // namespace importai::storage::keys

#endif  // IMPORTAI_STORAGE_KEYS_H_
