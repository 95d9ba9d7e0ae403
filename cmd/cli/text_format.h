#ifndef IMPORTAI_CMD_CLI_TEXT_FORMAT_H_
#define IMPORTAI_CMD_CLI_TEXT_FORMAT_H_

#include <string>

#include "google/protobuf/message.h"
#include "grpcpp/support/status.h"
#include "importai/v1/archive_service.pb.h"
#include "importai/v1/ingest_service.pb.h"
#include "importai/v1/resources.pb.h"

// How the command-line client prints things: readable text by default,
// proto3 JSON on request.
namespace importai::cli {

// Number, title, author, the issue's address and publication date (UTC) when
// set, topics, each section's title, dek and links (with their addresses when
// set), the tale's title.
std::string FormatIssue(const v1::Issue& issue);
// One line for a listing: number, title, revision.
std::string FormatIssueLine(const v1::Issue& issue);
std::string FormatSection(const v1::Section& section);
std::string FormatTale(const v1::Tale& tale);
// "issues/N/sections/K  Title  (score 1.23)" and the indented snippet.
std::string FormatSearchResult(const v1::SearchResult& result);
// One line per issue copy: number, outcome, revision, hash (for a REJECTED
// copy, its error on the next line), then warnings.
std::string FormatIngestResult(const v1::IngestResult& result);
// One feed event: "revision 7 CREATED issues/387 Import AI 387: <title>",
// or "revision 7 PROGRESS".
std::string FormatWatchEvent(const v1::WatchIssuesResponse& event);
// The proto3 JSON form, indented, ending in a newline.
std::string FormatJson(const google::protobuf::Message& message);
// The proto3 JSON form on one line, ending in a newline: one record per line
// for scripts.
std::string FormatJsonLine(const google::protobuf::Message& message);
// "NOT_FOUND", "UNAVAILABLE", ...
const char* StatusCodeName(grpc::StatusCode code);

}  // namespace importai::cli

#endif  // IMPORTAI_CMD_CLI_TEXT_FORMAT_H_
