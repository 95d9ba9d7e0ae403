#ifndef IMPORTAI_SEARCH_SNIPPET_H_
#define IMPORTAI_SEARCH_SNIPPET_H_

// Search result snippets: a short stretch of the matched text with the
// matching words marked.

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"

namespace importai::search {

// Snippets mark matched words like Markdown bold.
inline constexpr absl::string_view kMarkOpen = "**";
inline constexpr absl::string_view kMarkClose = "**";
inline constexpr absl::string_view kEllipsis = "\xE2\x80\xA6";  // …

// The stretch of `text` of `max_words` words (as Tokenize splits them)
// centred on the window holding the most words whose term satisfies
// `matches` (the earliest such window on a tie). Each matching word is
// wrapped in kMarkOpen/kMarkClose; matching words joined by punctuation alone
// ("GPT-4") share one mark. kEllipsis is glued to the cut end where text was
// cut. Cuts fall only at word boundaries; punctuation between words is kept,
// while each whitespace run (newlines, U+00A0 ...) becomes one space and
// invalid UTF-8 becomes U+FFFD, so the result is always valid UTF-8. When
// nothing matches, the first `max_words` words. Empty text gives "".
std::string MakeSnippet(absl::string_view text,
                        absl::FunctionRef<bool(absl::string_view term)> matches,
                        int max_words = 32);

}  // namespace importai::search

#endif  // IMPORTAI_SEARCH_SNIPPET_H_
