#include "cmd/cli/text_format.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "google/protobuf/util/json_util.h"

namespace importai::cli {
namespace {

constexpr absl::string_view kIndent = "     ";

std::string OutcomeName(v1::IngestOutcome outcome) {
  return std::string(
      absl::StripPrefix(v1::IngestOutcome_Name(outcome), "INGEST_OUTCOME_"));
}

std::string EventTypeName(v1::EventType type) {
  const std::string& name = v1::EventType_Name(type);
  // A newer server may send a type this client does not know by name.
  if (name.empty()) return absl::StrCat("EVENT_TYPE_", static_cast<int>(type));
  return std::string(absl::StripPrefix(name, "EVENT_TYPE_"));
}

// "2025-03-10 08:00:00 UTC": one zone for everyone, whatever the machine's.
std::string FormatTimestamp(const google::protobuf::Timestamp& time) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC",
                          absl::FromUnixSeconds(time.seconds()),
                          absl::UTCTimeZone());
}

// Each link's line as the issue has it, then its address when the source
// gave one ("Read more: Title (arXiv) <https://...>").
std::string FormatLinks(const v1::Section& section) {
  std::string out;
  for (const v1::Link& link : section.links()) {
    absl::StrAppend(&out, kIndent, link.text());
    if (!link.uri().empty()) absl::StrAppend(&out, " <", link.uri(), ">");
    out.push_back('\n');
  }
  return out;
}

std::string ToJson(const google::protobuf::Message& message,
                   bool add_whitespace) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = add_whitespace;
  std::string out;
  // Printing a valid message to JSON cannot fail.
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  if (out.empty() || out.back() != '\n') out.push_back('\n');
  return out;
}

}  // namespace

std::string FormatIssue(const v1::Issue& issue) {
  std::string out =
      absl::StrCat("Import AI ", issue.number(), ": ", issue.title(), "\n");
  if (!issue.author().empty())
    absl::StrAppend(&out, "by ", issue.author(), "\n");
  // Only Markdown, HTML and feed copies give these; a text copy has neither.
  if (!issue.uri().empty())
    absl::StrAppend(&out, "Address: ", issue.uri(), "\n");
  if (issue.has_publish_time()) {
    absl::StrAppend(&out, "Published: ", FormatTimestamp(issue.publish_time()),
                    "\n");
  }
  absl::StrAppend(&out, "revision ", issue.revision(), " · ",
                  issue.section_count(), " sections\n");
  if (!issue.topics().empty()) {
    absl::StrAppend(&out, "Topics: ", absl::StrJoin(issue.topics(), " | "),
                    "\n");
  }
  for (const v1::Section& section : issue.sections()) {
    absl::StrAppend(&out, "\n", FormatSection(section), FormatLinks(section));
  }
  if (issue.has_tale()) {
    absl::StrAppend(&out, "\nTech Tales: ", issue.tale().title(), "\n");
  }
  return out;
}

std::string FormatIssueLine(const v1::Issue& issue) {
  return absl::StrCat(issue.number(), "\t", issue.title(), "\t(revision ",
                      issue.revision(), ")\n");
}

std::string FormatSection(const v1::Section& section) {
  std::string out =
      absl::StrCat("  ", section.ordinal(), ". ", section.title(), "\n");
  if (!section.summary().empty()) {
    absl::StrAppend(&out, kIndent, section.summary(), "\n");
  }
  absl::StrAppend(&out, kIndent, section.name(), "\n");
  return out;
}

std::string FormatTale(const v1::Tale& tale) {
  std::string out = absl::StrCat("Tech Tales: ", tale.title(), "\n");
  if (!tale.setting().empty())
    absl::StrAppend(&out, "[", tale.setting(), "]\n");
  if (!tale.body().empty()) absl::StrAppend(&out, "\n", tale.body(), "\n");
  if (!tale.inspirations().empty()) {
    absl::StrAppend(&out, "\nThings that inspired this story: ",
                    absl::StrJoin(tale.inspirations(), "; "), "\n");
  }
  return out;
}

std::string FormatSearchResult(const v1::SearchResult& result) {
  std::string out =
      absl::StrCat(result.name(), "  ", result.title(), "  (score ",
                   absl::StrFormat("%.2f", result.score()), ")\n");
  if (!result.snippet().empty()) {
    absl::StrAppend(&out, kIndent, result.snippet(), "\n");
  }
  return out;
}

std::string FormatIngestResult(const v1::IngestResult& result) {
  std::string out;
  if (result.outcome() == v1::INGEST_OUTCOME_REJECTED) {
    out = absl::StrCat("Import AI ", result.number(), "\tREJECTED\n",
                       "  error: ", result.error(), "\n");
  } else {
    out = absl::StrCat("Import AI ", result.number(), "\t",
                       OutcomeName(result.outcome()), "\trevision ",
                       result.revision(),
                       "\tsha256:", result.content_hash().substr(0, 12), "\n");
  }
  for (const std::string& warning : result.warnings()) {
    absl::StrAppend(&out, "  warning: ", warning, "\n");
  }
  return out;
}

std::string FormatWatchEvent(const v1::WatchIssuesResponse& event) {
  std::string out = absl::StrCat("revision ", event.revision(), " ",
                                 EventTypeName(event.type()));
  if (event.has_issue()) {
    const v1::Issue& issue = event.issue();
    absl::StrAppend(&out, " ", issue.name(), " Import AI ", issue.number(),
                    ": ", issue.title());
  }
  out.push_back('\n');
  return out;
}

std::string FormatJson(const google::protobuf::Message& message) {
  return ToJson(message, /*add_whitespace=*/true);
}

std::string FormatJsonLine(const google::protobuf::Message& message) {
  return ToJson(message, /*add_whitespace=*/false);
}

const char* StatusCodeName(grpc::StatusCode code) {
  static const char* const kNames[] = {"OK",
                                       "CANCELLED",
                                       "UNKNOWN",
                                       "INVALID_ARGUMENT",
                                       "DEADLINE_EXCEEDED",
                                       "NOT_FOUND",
                                       "ALREADY_EXISTS",
                                       "PERMISSION_DENIED",
                                       "RESOURCE_EXHAUSTED",
                                       "FAILED_PRECONDITION",
                                       "ABORTED",
                                       "OUT_OF_RANGE",
                                       "UNIMPLEMENTED",
                                       "INTERNAL",
                                       "UNAVAILABLE",
                                       "DATA_LOSS",
                                       "UNAUTHENTICATED"};
  int index = static_cast<int>(code);
  return index >= 0 && index < 17 ? kNames[index] : "UNKNOWN";
}

}  // namespace importai::cli
