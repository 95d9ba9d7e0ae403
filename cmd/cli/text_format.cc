#include "cmd/cli/text_format.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/json_util.h"

namespace importai::cli {
namespace {

constexpr absl::string_view kIndent = "     ";

std::string OutcomeName(v1::IngestOutcome outcome) {
  return std::string(
      absl::StripPrefix(v1::IngestOutcome_Name(outcome), "INGEST_OUTCOME_"));
}

}  // namespace

std::string FormatIssue(const v1::Issue& issue) {
  std::string out =
      absl::StrCat("Import AI ", issue.number(), ": ", issue.title(), "\n");
  if (!issue.author().empty())
    absl::StrAppend(&out, "by ", issue.author(), "\n");
  absl::StrAppend(&out, "revision ", issue.revision(), " · ",
                  issue.section_count(), " sections\n");
  if (!issue.topics().empty()) {
    absl::StrAppend(&out, "Topics: ", absl::StrJoin(issue.topics(), " | "),
                    "\n");
  }
  for (const v1::Section& section : issue.sections()) {
    absl::StrAppend(&out, "\n", FormatSection(section));
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

std::string FormatIngestResult(const v1::IngestResult& result) {
  std::string out = absl::StrCat(
      "Import AI ", result.number(), "\t", OutcomeName(result.outcome()),
      "\trevision ", result.revision(),
      "\tsha256:", result.content_hash().substr(0, 12), "\n");
  for (const std::string& warning : result.warnings()) {
    absl::StrAppend(&out, "  warning: ", warning, "\n");
  }
  return out;
}

std::string FormatJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  std::string out;
  // Printing a valid message to JSON cannot fail.
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  if (out.empty() || out.back() != '\n') out.push_back('\n');
  return out;
}

}  // namespace importai::cli
