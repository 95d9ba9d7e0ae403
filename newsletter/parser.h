#ifndef IMPORTAI_NEWSLETTER_PARSER_H_
#define IMPORTAI_NEWSLETTER_PARSER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
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
  int line = 0;  // 1-based input line of this copy's "Import AI N:" header
  std::vector<std::string> warnings;  // things tolerated, each naming its
                                      // line: "line 12: ..."
};

// Finds every issue copy in `text`, in input order, and parses each. Never
// crashes or hangs on any input; time and memory linear in the input size.
// Errors: INVALID_ARGUMENT with a message naming the line, e.g. "line 1: no
// issue header (\"Import AI N: title\") found" for text holding no issue, or
// "issue 387: section 2: ... (line 144)".
absl::StatusOr<std::vector<ParsedIssue>> ParseNewsletter(
    absl::string_view text);

}  // namespace importai::newsletter

#endif  // IMPORTAI_NEWSLETTER_PARSER_H_
