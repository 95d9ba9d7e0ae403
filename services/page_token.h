#ifndef IMPORTAI_SERVICES_PAGE_TOKEN_H_
#define IMPORTAI_SERVICES_PAGE_TOKEN_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

// Opaque AIP-158 page tokens. A token records where the previous page ended
// and a fingerprint of the query it belongs to (method and parent), so a
// token replayed against another query is refused instead of silently
// returning the wrong page.
namespace importai::services {

// The last item a page returned: (issue, 0) for issue and tale lists,
// (issue, ordinal) for section lists, and the score too for search results
// (whose ordinal is 0 for a tale).
struct PageCursor {
  int32_t issue_number = 0;
  int32_t ordinal = 0;
  double score = 0;
};

// `query` identifies the listing, e.g. "ListSections parent=issues/-".
std::string EncodePageToken(absl::string_view query, PageCursor cursor);

// INVALID_ARGUMENT ("page_token: ...") if `token` does not decode or was made
// for another query.
absl::StatusOr<PageCursor> DecodePageToken(absl::string_view query,
                                           absl::string_view token);

}  // namespace importai::services

#endif  // IMPORTAI_SERVICES_PAGE_TOKEN_H_
