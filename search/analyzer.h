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

// Splits `text` (UTF-8) into index terms, one per word.
//
// Words: maximal runs of letters (Unicode categories L*) and digits (N*),
// with combining marks (M*) inside a word belonging to it. Format characters
// (Cf: soft hyphens, zero-width joiners, direction marks) are dropped inside
// a word without splitting it, and marks or format characters outside a word
// are dropped. Everything else separates words: whitespace, the zero-width
// space, punctuation, hyphens, symbols, emoji, private-use and unassigned
// characters, and each invalid UTF-8 byte.
//
// Apostrophes (' U+0027, ’ U+2019, ‘ U+2018, ʼ U+02BC) between a letter or
// digit and the next join them and are dropped ("don't" → "dont"); a "'s"
// ending a word is dropped entirely ("Google’s" → "google").
//
// Normalization (utf8proc), word by word:
//  1. Compatibility decomposition with full case folding (NFKD + Unicode
//     CaseFolding C and F) and default-ignorable characters (variation
//     selectors, Hangul fillers) removed: "ﬁ" → "fi", fullwidth "Ａｉ" → "ai",
//     "ß" and "ẞ" → "ss", "ς" → "σ", "µ" → "μ", "ª" → "a", "x²" → "x2",
//     "İ" → "i" + U+0307.
//  2. Combining marks after a Latin, Greek or Cyrillic letter or a digit are
//     removed: "é", "e\u0301" and "e" are all "e", "Ё" → "е", "ά" → "α", and
//     "й" → "и" too. After letters of other scripts they stay, being part of
//     the letter (Devanagari vowel signs, Hebrew points, kana voicing marks).
//     Of more than 30 marks in a row with a nonzero combining class, only
//     the first 30 are kept (Unicode's stream-safe limit), so that putting
//     them in canonical order stays linear.
//  3. What the decomposition turned into punctuation, spaces or symbols is
//     dropped ("⑴" → "1", "½" → "12", "ŀ" → "l", "ŉ" → "n").
//  4. Case folding keeps Latin letters that have no decomposition as letters
//     of their own (Æ → æ, Ø → ø); these twelve are then spelt in ASCII, so
//     English spellings find them: æ→ae, œ→oe, ø→o, ð→d, đ→d, þ→th, ħ→h,
//     ı→i, ĸ→k, ł→l, ŋ→n, ŧ→t. Every letter of Latin-1 and Latin
//     Extended-A thus becomes one or two ASCII letters.
//  5. Canonical composition (NFC), so the result is NFKC: Hangul jamo and
//     halfwidth kana with their voicing marks come out composed.
// A word left with nothing (a lone Hangul filler) gives no term and takes no
// position.
//
// Linear time; any byte string is accepted.
std::vector<Token> Tokenize(absl::string_view text, int first_position = 0);

// Convenience: just the terms.
std::vector<std::string> Terms(absl::string_view text);

// Names these rules and the Unicode data behind them ("2/unicode-15.0.0"):
// terms made under one version may differ from those made under another, so
// the search index records the version it was built with and is rebuilt
// when it changes. The number goes up with every change to the rules.
std::string AnalyzerVersion();

// A link source ("arXiv", "Import AI") normalized for exact comparison: its
// terms joined by single spaces ("arxiv", "import ai").
std::string NormalizeSource(absl::string_view source);

}  // namespace importai::search

#endif  // IMPORTAI_SEARCH_ANALYZER_H_
