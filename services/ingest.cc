#include "services/ingest.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status_macros.h"
#include "newsletter/parser.h"

namespace importai::services {

absl::StatusOr<v1::IngestIssuesResponse> Ingest(
    storage::ArchiveStore& store, const v1::IngestIssuesRequest& request,
    const IngestLimits& limits, absl::Time now, absl::Time deadline) {
  const int64_t size = static_cast<int64_t>(request.text().size());
  if (size > limits.max_text_bytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("text: ", size, " bytes exceeds the ingest limit of ",
                     limits.max_text_bytes, " bytes; split it into requests"));
  }
  absl::StatusOr<std::vector<newsletter::ParsedIssue>> parsed =
      newsletter::ParseNewsletter(request.text());
  if (!parsed.ok()) {
    return absl::Status(parsed.status().code(),
                        absl::StrCat("text: ", parsed.status().message()));
  }
  std::vector<v1::Issue> copies;
  copies.reserve(parsed->size());
  for (const newsletter::ParsedIssue& copy : *parsed)
    copies.push_back(copy.issue);

  if (absl::Now() >= deadline) {
    return absl::DeadlineExceededError(
        "the call's deadline passed while the text was parsed; nothing was "
        "stored");
  }
  IMPORTAI_ASSIGN_OR_RETURN(
      const storage::WriteResult written,
      store.WriteIssues(copies, now, request.validate_only()));

  v1::IngestIssuesResponse response;
  response.set_head_revision(written.head_revision);
  for (size_t i = 0; i < copies.size(); ++i) {
    v1::IngestResult* result = response.add_results();
    result->set_number(copies[i].number());
    result->set_outcome(written.outcomes[i].outcome);
    result->set_revision(written.outcomes[i].revision);
    result->set_content_hash(copies[i].content_hash());
    for (const std::string& warning : (*parsed)[i].warnings) {
      result->add_warnings(warning);
    }
  }
  return response;
}

}  // namespace importai::services
