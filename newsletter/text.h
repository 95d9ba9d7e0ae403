#ifndef IMPORTAI_NEWSLETTER_TEXT_H_
#define IMPORTAI_NEWSLETTER_TEXT_H_

// Text normalization: the one pass over the raw input that every later stage
// relies on, so that no-break spaces, CRLF, tabs, blank lines and bullet
// spacing can never change the parsed content.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace importai::newsletter {

// One non-empty input line after normalization.
struct Line {
  absl::string_view text;  // Whitespace-folded, trimmed, valid UTF-8.
  int number = 0;          // 1-based line number in the raw input.
};

// The lines of a text, normalized. Blank lines are dropped unless asked for
// (as lines with empty text): the two copies of an issue differ in their blank
// lines but not in their content, and only a hard-wrapped text needs them.
class NormalizedText {
 public:
  explicit NormalizedText(absl::string_view raw,
                          bool keep_blank_lines = false);

  NormalizedText(const NormalizedText&) = delete;
  NormalizedText& operator=(const NormalizedText&) = delete;

  const std::vector<Line>& lines() const { return lines_; }
  // The number of the raw input's last line (at least 1).
  int last_line_number() const { return last_line_number_; }

 private:
  std::string buffer_;  // All normalized lines back to back; `lines_` views it.
  std::vector<Line> lines_;
  int last_line_number_ = 1;
};

// Appends `raw` to `out` with every whitespace run (ASCII whitespace, control
// characters, no-break and other Unicode spaces) folded to one space, the ends
// trimmed, invalid UTF-8 replaced by U+FFFD and a leading bullet followed by
// exactly one space.
void AppendNormalizedLine(absl::string_view raw, std::string* out);

// Normalizes a whole text as one line (newlines are whitespace too).
std::string NormalizeWhitespace(absl::string_view raw);

// Number of space-separated words in normalized text.
int CountWords(absl::string_view normalized);

// True if `text` holds `word` not adjacent to an ASCII letter or digit.
bool ContainsWord(absl::string_view text, absl::string_view word);

}  // namespace importai::newsletter

#endif  // IMPORTAI_NEWSLETTER_TEXT_H_
