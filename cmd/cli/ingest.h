#ifndef IMPORTAI_CMD_CLI_INGEST_H_
#define IMPORTAI_CMD_CLI_INGEST_H_

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "cmd/cli/commands.h"
#include "importai/v1/ingest_service.grpc.pb.h"

// `importai ingest FILE...`: one IngestIssues request per file, a progress
// line while it runs, a summary at the end.
namespace importai::cli {

// "auto" (the server detects), "text", "markdown", "html" or "feed";
// nullopt for anything else.
std::optional<v1::InputFormat> ParseInputFormat(absl::string_view name);

// What the files of one run (or one file) came to.
struct IngestTally {
  int files = 0;         // named on the command line
  int files_done = 0;    // answered by the server
  int files_failed = 0;  // unreadable, or the request failed
  int issues = 0;        // issue copies in the answers
  int created = 0;
  int updated = 0;
  int unchanged = 0;
  int rejected = 0;
  // From the latest answer; unset before the first.
  std::optional<int64_t> head_revision;

  void Add(const v1::IngestIssuesResponse& response);
};

// "2 created, 0 updated, 1 unchanged, 0 rejected"
std::string FormatOutcomeCounts(const IngestTally& tally);
// "3/120 files, 12 issues: 10 created, 1 updated, 1 unchanged, 0 rejected"
std::string FormatIngestProgress(const IngestTally& tally);
// "ingested 120 files: 412 issues; 380 created, 20 updated, 10 unchanged,
// 2 rejected; head revision 412", with "118 of 120 files (2 failed)" when
// some failed, and "validated ... nothing stored" for a dry run.
std::string FormatIngestSummary(const IngestTally& tally, bool validate_only);

// Sends each file (- is stdin) as one IngestIssuesRequest with the options'
// format, allow_partial, validate_only and source, one after the other, and
// prints each answer to `out` (with --json, one line per file:
// {"file": NAME, "response": IngestIssuesResponse} or {"file": NAME,
// "error": {"code": ..., "message": ...}}). A file that cannot be read or
// whose request fails is reported to `err` and the others still go, except
// after an error that every later request would meet too (UNAVAILABLE, a
// missing or wrong credential, a replica, an unknown RPC): then the rest are
// named and not sent. Ends with the summary (to `out`, or to `err` with
// --json) and every REJECTED copy with its error (to `err`). With
// `options.progress`, keeps a progress line on `err`, rewritten in place.
// Returns kExitOk when every file was ingested and no copy was rejected,
// else kExitFailed.
int RunIngest(v1::IngestService::StubInterface& stub, const CliOptions& options,
              const std::vector<std::string>& files, std::ostream& out,
              std::ostream& err);

}  // namespace importai::cli

#endif  // IMPORTAI_CMD_CLI_INGEST_H_
