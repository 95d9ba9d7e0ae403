#ifndef IMPORTAI_SERVICES_INGEST_H_
#define IMPORTAI_SERVICES_INGEST_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/limits.h"
#include "importai/v1/ingest_service.pb.h"
#include "storage/archive_store.h"

namespace importai::services {

struct IngestLimits {
  // Largest `text` accepted, in bytes.
  int64_t max_text_bytes = kDefaultMaxIngestBytes;
};

// Parses `request.text` as `request.format` and stores every issue copy in
// it atomically (or, with validate_only, only reports what would happen), one
// result per copy in input order. Each copy is merged onto the stored issue
// (storage/issue_merge.h); what the merge kept is in that result's warnings.
// With allow_partial, a copy that does not parse gets a REJECTED result with
// its error and the others are stored; when every copy is rejected, nothing
// is stored and the call still succeeds.
// Errors, with nothing stored: RESOURCE_EXHAUSTED when the text exceeds the
// limit; INVALID_ARGUMENT naming the field for an unknown `format`, or naming
// the line ("text: ...") when the text holds no issue, cannot be read as the
// format, or (without allow_partial) a copy does not parse; the store's
// errors. Past `deadline` once parsed (the slow part), or once the store has
// waited for its write lock and staged the write (checked right before the
// commit, never after: ArchiveStore::WriteIssues), nothing is written and
// the result is DEADLINE_EXCEEDED; a write that commits reports success.
absl::StatusOr<v1::IngestIssuesResponse> Ingest(
    storage::ArchiveStore& store, const v1::IngestIssuesRequest& request,
    const IngestLimits& limits, absl::Time now,
    absl::Time deadline = absl::InfiniteFuture());

}  // namespace importai::services

#endif  // IMPORTAI_SERVICES_INGEST_H_
