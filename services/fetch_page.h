#ifndef IMPORTAI_SERVICES_FETCH_PAGE_H_
#define IMPORTAI_SERVICES_FETCH_PAGE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/status_macros.h"
#include "services/page_size.h"
#include "services/page_token.h"

namespace importai::services {

// One page of a listing: decodes `page_token`, asks `fetch(cursor, limit)`
// for one item more than the page holds, and sets `next_page_token` when that
// extra item shows there is more.
template <typename Message, typename Fetch, typename CursorOf>
absl::StatusOr<std::vector<Message>> FetchPage(absl::string_view query,
                                               const std::string& page_token,
                                               int requested_size, Fetch fetch,
                                               CursorOf cursor_of,
                                               std::string* next_page_token) {
  IMPORTAI_ASSIGN_OR_RETURN(const int page_size,
                            ResolvePageSize(requested_size));
  PageCursor cursor;
  if (!page_token.empty()) {
    IMPORTAI_ASSIGN_OR_RETURN(cursor, DecodePageToken(query, page_token));
  }
  IMPORTAI_ASSIGN_OR_RETURN(std::vector<Message> items,
                            fetch(cursor, page_size + 1));
  if (static_cast<int>(items.size()) > page_size) {
    items.pop_back();
    *next_page_token = EncodePageToken(query, cursor_of(items.back()));
  }
  return items;
}

}  // namespace importai::services

#endif  // IMPORTAI_SERVICES_FETCH_PAGE_H_
