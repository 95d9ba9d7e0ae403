#ifndef IMPORTAI_SEARCH_WORD_FOLD_H_
#define IMPORTAI_SEARCH_WORD_FOLD_H_

// The analyzer's normalization of one word (analyzer.h, steps 1-5), on
// utf8proc. Internal to the analyzer.

#include <string>

#include "absl/strings/string_view.h"

namespace importai::search {

// The index term of `word`: its letters, digits and combining marks as valid
// UTF-8, apostrophes and format characters already removed. Empty when
// nothing is left. Linear in the size of `word`.
std::string FoldWord(absl::string_view word);

}  // namespace importai::search

#endif  // IMPORTAI_SEARCH_WORD_FOLD_H_
