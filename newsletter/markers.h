#ifndef IMPORTAI_NEWSLETTER_MARKERS_H_
#define IMPORTAI_NEWSLETTER_MARKERS_H_

// Recognizers for the newsletter's line-level markers. Every function takes a
// normalized line (see text.h).

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace importai::newsletter {

// The "***" line between sections.
bool IsSectionSeparator(absl::string_view line);

// Lines dropped wherever they appear: the "Import AI" masthead, "Subscribe
// now", "Thanks for reading!" and the Substack notice.
bool IsBoilerplateLine(absl::string_view line);

// The "Welcome to Import AI..." paragraph that opens most intros.
bool IsWelcomeParagraph(absl::string_view line);

// What is left of a welcome paragraph once its boilerplate, up to and
// including "...please subscribe.", is removed (often nothing).
absl::string_view StripWelcome(absl::string_view line);

// A heading ends in ":" or "?".
bool EndsLikeHeading(absl::string_view line);

// A dek starts with an ellipsis: "…", "…." or "...".
bool IsDek(absl::string_view line);

// The dek without its surrounding ellipses.
absl::string_view StripEllipses(absl::string_view dek);

bool IsWhyThisMatters(absl::string_view line);

// "Tech Tales:" (optionally followed by the tale's title on the same line).
bool IsTechTalesHeading(absl::string_view line);

bool IsInspirationsLine(absl::string_view line);

// A bracketed setting line such as "[Ten years from now]".
bool IsBracketed(absl::string_view line);

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

// A short quotable prefix of `text` for messages, cut at a word boundary.
std::string Excerpt(absl::string_view text);

}  // namespace importai::newsletter

#endif  // IMPORTAI_NEWSLETTER_MARKERS_H_
