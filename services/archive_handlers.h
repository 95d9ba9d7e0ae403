#ifndef IMPORTAI_SERVICES_ARCHIVE_HANDLERS_H_
#define IMPORTAI_SERVICES_ARCHIVE_HANDLERS_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "importai/v1/archive_service.pb.h"
#include "storage/archive_store.h"

// ArchiveService's lookups as plain functions: validate the request, read the
// store, fill the response. Errors are INVALID_ARGUMENT naming the field,
// NOT_FOUND naming the resource, or the store's own.
namespace importai::services {

// The Issue response, serialized: FULL comes shared from the store's cache,
// BASIC is trimmed and serialized anew.
absl::StatusOr<std::shared_ptr<const std::string>> GetIssue(
    storage::ArchiveStore& store, const v1::GetIssueRequest& request);
absl::Status ListIssues(storage::ArchiveStore& store,
                        const v1::ListIssuesRequest& request,
                        v1::ListIssuesResponse* response);
absl::Status GetSection(storage::ArchiveStore& store,
                        const v1::GetSectionRequest& request,
                        v1::Section* response);
absl::Status ListSections(storage::ArchiveStore& store,
                          const v1::ListSectionsRequest& request,
                          v1::ListSectionsResponse* response);
absl::Status GetTale(storage::ArchiveStore& store,
                     const v1::GetTaleRequest& request, v1::Tale* response);
absl::Status ListTales(storage::ArchiveStore& store,
                       const v1::ListTalesRequest& request,
                       v1::ListTalesResponse* response);

}  // namespace importai::services

#endif  // IMPORTAI_SERVICES_ARCHIVE_HANDLERS_H_
