#ifndef IMPORTAI_STORAGE_SEARCH_PAGE_H_
#define IMPORTAI_STORAGE_SEARCH_PAGE_H_

#include <cstdint>
#include <string>
#include <vector>

// Search results as the store returns them. Results are ordered by score
// (highest first), then issue (newest first), then ordinal (tale, ordinal 0,
// before the sections).
namespace importai::storage {

// The last result of a page; the next page starts strictly after it.
struct SearchCursor {
  double score = 0;
  int32_t issue_number = 0;
  int32_t ordinal = 0;
};

struct SearchHit {
  int32_t issue_number = 0;
  int32_t ordinal = 0;  // 0 for the issue's tale
  double score = 0;
};

struct SearchPage {
  std::vector<SearchHit> hits;
  // Matching documents in all, on every page.
  int32_t total_size = 0;
  // The index terms the query matched (prefixes expanded), for snippets.
  std::vector<std::string> matched_terms;
};

// True when `hit` comes after `cursor` in result order.
inline bool ComesAfter(const SearchHit& hit, const SearchCursor& cursor) {
  if (hit.score != cursor.score) return hit.score < cursor.score;
  if (hit.issue_number != cursor.issue_number)
    return hit.issue_number < cursor.issue_number;
  return hit.ordinal > cursor.ordinal;
}

}  // namespace importai::storage

#endif  // IMPORTAI_STORAGE_SEARCH_PAGE_H_
