#ifndef IMPORTAI_NEWSLETTER_PARSER_H_
#define IMPORTAI_NEWSLETTER_PARSER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "importai/v1/ingest_service.pb.h"
#include "importai/v1/resources.pb.h"

namespace importai::newsletter {

struct ParsedIssue {
  importai::v1::Issue issue;  // name "issues/N", number, title, topics, author,
                              // intro, sections (name "issues/N/sections/K",
                              // issue_number, ordinal 1-based, title, summary,
                              // body, why_it_matters, links, cited_issues),
                              // tale (name "issues/N/tale", issue_number,
                              // title, setting, body, inspirations; unset if
                              // none), section_count, content_hash.
                              // revision/create_time/update_time are left
                              // unset (storage sets them).
                              // uri, publish_time and Link.uri are set
                              // when the source gave them.
  int line = 0;  // 1-based input line of this copy's "Import AI N:" header
  // Things tolerated or inferred, each naming its line: "line 12: ...".
  std::vector<std::string> warnings;
  // Not OK when this copy does not parse: INVALID_ARGUMENT naming the issue
  // and the line, e.g. "issue 387: section 2: ... (line 144)". `issue` then
  // holds only `number` (0 when the header itself is unreadable).
  absl::Status status;
};

// Reads `text` as `format` (UNSPECIFIED: detected, and every copy's warnings
// say what was detected), finds every issue copy in it, in input order, and
// parses each. Never crashes or hangs on any input; time and memory linear in
// the input size.
// Errors: INVALID_ARGUMENT naming the line when the input holds no issue at
// all ("line 1: no issue header (\"Import AI N: title\") found") or cannot
// be read as `format`. A copy that does not parse is not an error of the
// call: its ParsedIssue::status says why.
absl::StatusOr<std::vector<ParsedIssue>> ParseNewsletter(
    absl::string_view text,
    v1::InputFormat format = v1::INPUT_FORMAT_UNSPECIFIED);

}  // namespace importai::newsletter

#endif  // IMPORTAI_NEWSLETTER_PARSER_H_
