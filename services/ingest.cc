#include "services/ingest.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status_macros.h"
#include "newsletter/parser.h"

namespace importai::services {
namespace {

absl::Status CheckRequest(const v1::IngestIssuesRequest& request,
                          const IngestLimits& limits) {
  const int64_t size = static_cast<int64_t>(request.text().size());
  if (size > limits.max_text_bytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("text: ", size, " bytes exceeds the ingest limit of ",
                     limits.max_text_bytes, " bytes; split it into requests"));
  }
  // An enum value from a newer client arrives as its number.
  if (!v1::InputFormat_IsValid(request.format())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "format: unknown input format ", static_cast<int>(request.format()),
        "; use INPUT_FORMAT_TEXT, INPUT_FORMAT_MARKDOWN, INPUT_FORMAT_HTML, "
        "INPUT_FORMAT_FEED or leave it unspecified to detect it"));
  }
  return absl::OkStatus();
}

// The result of a copy that did not parse (with allow_partial).
void AddRejected(const newsletter::ParsedIssue& copy,
                 v1::IngestResult* result) {
  result->set_number(copy.issue.number());
  result->set_outcome(v1::INGEST_OUTCOME_REJECTED);
  result->set_error(std::string(copy.status.message()));
  for (const std::string& warning : copy.warnings)
    result->add_warnings(warning);
}

void AddWritten(const newsletter::ParsedIssue& copy,
                const storage::WriteOutcome& written,
                v1::IngestResult* result) {
  result->set_number(copy.issue.number());
  result->set_outcome(written.outcome);
  result->set_revision(written.revision);
  result->set_content_hash(copy.issue.content_hash());
  for (const std::string& warning : copy.warnings)
    result->add_warnings(warning);
  // Storage knows the issues, the parser the lines.
  for (const std::string& note : written.notes) {
    result->add_warnings(absl::StrCat("line ", copy.line, ": ", note));
  }
}

}  // namespace

absl::StatusOr<v1::IngestIssuesResponse> Ingest(
    storage::ArchiveStore& store, const v1::IngestIssuesRequest& request,
    const IngestLimits& limits, absl::Time now, absl::Time deadline) {
  IMPORTAI_RETURN_IF_ERROR(CheckRequest(request, limits));
  absl::StatusOr<std::vector<newsletter::ParsedIssue>> parsed =
      newsletter::ParseNewsletter(request.text(), request.format());
  if (!parsed.ok()) {
    return absl::Status(parsed.status().code(),
                        absl::StrCat("text: ", parsed.status().message()));
  }
  std::vector<v1::Issue> copies;
  copies.reserve(parsed->size());
  for (const newsletter::ParsedIssue& copy : *parsed) {
    if (copy.status.ok()) {
      copies.push_back(copy.issue);
    } else if (!request.allow_partial()) {
      // Atomic: the first copy that does not parse refuses the request.
      return absl::Status(copy.status.code(),
                          absl::StrCat("text: ", copy.status.message()));
    }
  }

  if (absl::Now() >= deadline) {
    return absl::DeadlineExceededError(
        "the call's deadline passed while the text was parsed; nothing was "
        "stored");
  }
  storage::WriteResult written;
  if (copies.empty()) {
    written.head_revision = store.HeadRevision();  // every copy was rejected
  } else {
    IMPORTAI_ASSIGN_OR_RETURN(
        written,
        store.WriteIssues(copies, now, request.validate_only(), deadline));
  }

  v1::IngestIssuesResponse response;
  response.set_head_revision(written.head_revision);
  size_t next_written = 0;
  for (const newsletter::ParsedIssue& copy : *parsed) {
    v1::IngestResult* result = response.add_results();
    if (copy.status.ok()) {
      AddWritten(copy, written.outcomes[next_written++], result);
    } else {
      AddRejected(copy, result);
    }
  }
  return response;
}

}  // namespace importai::services
