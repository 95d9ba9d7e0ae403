#ifndef IMPORTAI_SEARCH_UTF8_H_
#define IMPORTAI_SEARCH_UTF8_H_

// UTF-8 helpers shared by the analyzer, the query and filter parsers and the
// snippet builder. They never fail: malformed bytes decode as one invalid
// character each, so arbitrary input is always consumed in linear time.

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace importai::search {

// One character of a UTF-8 text.
struct Utf8Char {
  char32_t code_point = 0;  // Meaningless when !valid.
  int length = 1;           // Bytes taken; 1 for an invalid byte.
  bool valid = false;       // False for a byte that starts no well-formed
                            // sequence (overlong, surrogate, truncated...).
};

// Decodes the character starting at byte `pos` (< text.size()).
Utf8Char DecodeUtf8(absl::string_view text, size_t pos);

// True for whitespace of any kind and for control characters: ASCII
// whitespace and controls, C1 controls, no-break space, the U+2000 spaces,
// line and paragraph separators, narrow no-break space, medium mathematical
// space, ideographic space and the byte-order mark.
bool IsSpaceOrControl(char32_t code_point);

// The 1-based character position of byte `offset` in `text`, as a person
// counting characters would see it (each invalid byte counts as one).
size_t CharPosition(absl::string_view text, size_t offset);

// `text` in double quotes for an error message, with quotes, backslashes,
// control characters and invalid bytes escaped; a long text is cut to its
// Excerpt (common/excerpt.h), so a message never grows with the input.
std::string QuoteForMessage(absl::string_view text);

}  // namespace importai::search

#endif  // IMPORTAI_SEARCH_UTF8_H_
