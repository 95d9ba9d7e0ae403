#include "services/page_size.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/limits.h"

namespace importai::services {

absl::StatusOr<int> ResolvePageSize(int requested) {
  if (requested < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size: must not be negative, got ", requested,
                     " (0 means the default of ", kDefaultPageSize, ")"));
  }
  if (requested == 0) return kDefaultPageSize;
  return std::min(requested, kMaxPageSize);
}

}  // namespace importai::services
