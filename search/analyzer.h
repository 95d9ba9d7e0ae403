#ifndef IMPORTAI_SEARCH_ANALYZER_H_
#define IMPORTAI_SEARCH_ANALYZER_H_

// The analyzer: how text becomes index terms. Documents, queries and link
// sources all go through it, so a query matches exactly what was indexed.

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace importai::search {

// One index term and where it came from.
struct Token {
  std::string term;  // Normalized; never empty, never holds a byte < 0x20.
  int position = 0;  // Word position, consecutive from first_position.
  size_t begin = 0;  // Byte offsets of the word in the input text. A dropped
  size_t end = 0;    // possessive "'s" is inside [begin, end).
};

// Splits `text` (UTF-8) into index terms: maximal runs of letters and digits.
//
// Normalization: ASCII is lowercased; the letters of Latin-1 Supplement and
// Latin Extended-A are folded to their ASCII base (é→e, Ü→u, ß→ss, æ→ae,
// ø→o, œ→oe, þ→th, ĳ→ij), as are Ș ș Ț ț, fullwidth ASCII letters and
// digits, ª and º. Greek and Cyrillic capitals are lowercased and µ becomes
// Greek μ. Other letters (Greek, CJK, ...) are kept as their UTF-8 bytes.
// Combining marks, soft hyphens, zero-width joiners and variation selectors
// inside a word are dropped without splitting it, so decomposed "e\u0301"
// is "e" too.
//
// Apostrophes (' U+0027, ’ U+2019, ‘ U+2018, ʼ U+02BC) between two letters
// join them and are dropped ("don't" → "dont"); a trailing "'s" is dropped
// entirely ("Google’s" → "google"). Everything else (whitespace, punctuation,
// hyphens, symbols, emoji, invalid UTF-8 bytes) separates words.
//
// Linear time; any byte string is accepted.
std::vector<Token> Tokenize(absl::string_view text, int first_position = 0);

// Convenience: just the terms.
std::vector<std::string> Terms(absl::string_view text);

// A link source ("arXiv", "Import AI") normalized for exact comparison: its
// terms joined by single spaces ("arxiv", "import ai").
std::string NormalizeSource(absl::string_view source);

}  // namespace importai::search

#endif  // IMPORTAI_SEARCH_ANALYZER_H_
