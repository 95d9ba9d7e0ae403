#ifndef IMPORTAI_SERVICES_SEARCH_HANDLERS_H_
#define IMPORTAI_SERVICES_SEARCH_HANDLERS_H_

#include "absl/status/status.h"
#include "importai/v1/archive_service.pb.h"
#include "storage/archive_store.h"

// ArchiveService's Search and citation lookups as plain functions, like
// archive_handlers.h.
namespace importai::services {

// INVALID_ARGUMENT for a query or filter that does not parse (the message
// names the position), a bad page size or token.
absl::Status Search(storage::ArchiveStore& store,
                    const v1::SearchRequest& request,
                    v1::SearchResponse* response);

// The sections citing the issue named by `parent`, newest first. An issue
// nobody cites gives an empty page, whether or not it is stored.
absl::Status ListCitingSections(storage::ArchiveStore& store,
                                const v1::ListCitingSectionsRequest& request,
                                v1::ListCitingSectionsResponse* response);

}  // namespace importai::services

#endif  // IMPORTAI_SERVICES_SEARCH_HANDLERS_H_
