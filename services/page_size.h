#ifndef IMPORTAI_SERVICES_PAGE_SIZE_H_
#define IMPORTAI_SERVICES_PAGE_SIZE_H_

#include "absl/status/statusor.h"

namespace importai::services {

// AIP-158: 0 means the default page size, larger than the maximum is capped,
// negative is INVALID_ARGUMENT naming page_size.
absl::StatusOr<int> ResolvePageSize(int requested);

}  // namespace importai::services

#endif  // IMPORTAI_SERVICES_PAGE_SIZE_H_
