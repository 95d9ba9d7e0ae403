#ifndef IMPORTAI_SEARCH_FILTER_H_
#define IMPORTAI_SEARCH_FILTER_H_

// The subset of AIP-160 filtering that Search's `filter` field accepts.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace importai::search {

// Longest filter accepted; a real one is a few comparisons.
inline constexpr size_t kMaxFilterBytes = 1024;

struct Filter {
  enum class Kind { kAny, kSection, kTale };

  int32_t min_issue = 1;  // Inclusive. min_issue > max_issue matches nothing.
  int32_t max_issue = std::numeric_limits<int32_t>::max();  // Inclusive.
  Kind kind = Kind::kAny;
  std::string source;  // NormalizeSource'd; empty matches any source.

  bool operator==(const Filter& other) const;
  bool operator!=(const Filter& other) const { return !(*this == other); }
};

// Grammar: comparison (("AND" | whitespace) comparison)*, where a comparison
// is `field op value`:
//   issue   = < <= > >=   an integer; several bounds intersect
//   kind    =             section or tale, bare or quoted
//   source  =             a bare word or a quoted string ("Import AI")
// Strings take double or single quotes with backslash escapes; AND is
// case-insensitive; whitespace around operators is optional. A blank filter
// is the default Filter. Giving kind or source twice is fine only if both
// values agree.
//
// Errors are INVALID_ARGUMENT: "filter: position N: " (N is the 1-based
// character position of the offending token, or one past the end) followed
// by what was expected, e.g. "filter: position 10: expected a number after
// \"issue >=\"". A filter longer than kMaxFilterBytes is refused before
// parsing. Messages quote at most an Excerpt of the text (common/excerpt.h).
absl::StatusOr<Filter> ParseFilter(absl::string_view text);

}  // namespace importai::search

#endif  // IMPORTAI_SEARCH_FILTER_H_
