#ifndef IMPORTAI_NEWSLETTER_MARKERS_H_
#define IMPORTAI_NEWSLETTER_MARKERS_H_

// Recognizers for the newsletter's line-level markers. Every function takes a
// normalized line (see text.h).

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "common/excerpt.h"

namespace importai::newsletter {

// A separator line of plain text: "***", "*****", "* * *", a lone "**", or a
// rule of three or more "#", "-", "_", "=" or "~" (spaces between allowed).
bool IsSeparatorLine(absl::string_view line);

// A bulleted line: "• Item".
bool IsBullet(absl::string_view line);

// Lines dropped wherever they appear: the "Import AI" masthead, "Subscribe
// now", "Thanks for reading!", the Substack notice, the web page's buttons
// ("Share", "Leave a comment", ...) and lone footnote markers ("[1]", "2").
bool IsBoilerplateLine(absl::string_view line);

// The "Welcome to Import AI..." paragraph that opens most intros.
bool IsWelcomeParagraph(absl::string_view line);

// What is left of a welcome paragraph once its boilerplate, up to and
// including "...please subscribe.", is removed (often nothing).
absl::string_view StripWelcome(absl::string_view line);

// A heading ends in ":", "?" or "!".
bool EndsLikeHeading(absl::string_view line);

// A dek starts with an ellipsis: "…", "…." or "...".
bool IsDek(absl::string_view line);

// The dek without its surrounding ellipses.
absl::string_view StripEllipses(absl::string_view dek);

// A dek line split where its closing ellipsis (or a final ":", which some
// issues close it with) ends it: `summary` without the marks, `run_on` the
// body text that follows on the same line (usually empty).
struct SplitDek {
  absl::string_view summary;
  absl::string_view run_on;
};
SplitDek SplitDekLine(absl::string_view dek);

bool IsWhyThisMatters(absl::string_view line);

// "Tech Tales" in any letter case, alone or followed by ":" (or a dash) and
// optionally the tale's title on the same line.
bool IsTechTalesHeading(absl::string_view line);

// The title on a "Tech Tales: Title" line; empty if none.
absl::string_view TechTalesInlineTitle(absl::string_view line);

// The tale's closing line: "Things that inspired this story:", "What inspired
// this story:", "Things that inspired this poem:" (any letter case).
bool IsInspirationsLine(absl::string_view line);

// A line that opens with "[": a tale's setting.
bool IsBracketed(absl::string_view line);

// The setting in a bracketed line: "[Ten years from now]", "[...].", nested
// brackets "[The [old] net, 2030]", one closed by a second "[" and an
// unclosed "[" (then the rest of the line). `closed` says whether a bracket
// closed it. REQUIRES: IsBracketed(line).
absl::string_view ParseSetting(absl::string_view line, bool* closed);

// An "Import AI N: title" header, split into its parts.
struct IssueHeader {
  absl::string_view number_text;  // As written, sign included: "387", "-1".
  bool negative = false;
  int64_t number = 0;  // Saturates instead of overflowing on long numbers.
  absl::string_view title;
};

// True if `line` is shaped like an issue header ("Import AI", a space, an
// optionally signed number and ":"); fills `header` if given.
bool ParseIssueHeader(absl::string_view line, IssueHeader* header = nullptr);

// A short quotable prefix of a line for messages (shared with the services,
// which quote client input the same way).
using ::importai::Excerpt;

}  // namespace importai::newsletter

#endif  // IMPORTAI_NEWSLETTER_MARKERS_H_
