#ifndef IMPORTAI_NEWSLETTER_CITATIONS_H_
#define IMPORTAI_NEWSLETTER_CITATIONS_H_

#include <vector>

#include "absl/strings/string_view.h"

namespace importai::newsletter {

// Appends the issue numbers that `text` cites as "Import AI #349",
// "#Import AI 363" or "Import AI 380" to `numbers` (unsorted, may repeat).
void CollectCitedIssues(absl::string_view text, std::vector<int>* numbers);

// Sorts `numbers` ascending and drops repeats.
void SortUnique(std::vector<int>* numbers);

}  // namespace importai::newsletter

#endif  // IMPORTAI_NEWSLETTER_CITATIONS_H_
