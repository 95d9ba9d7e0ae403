#ifndef IMPORTAI_SERVICES_RESOURCE_NAMES_H_
#define IMPORTAI_SERVICES_RESOURCE_NAMES_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

// AIP-122 resource names. Parsers return INVALID_ARGUMENT naming `field` and
// the expected pattern when a name is malformed, quoting at most an Excerpt
// of it (common/excerpt.h). A name longer than kMaxResourceNameBytes
// (common/limits.h) is refused by its size alone, before any other work.
namespace importai::services {

struct SectionName {
  int32_t issue_number = 0;
  int32_t ordinal = 0;
};

// The wildcard parent "issues/-" (every issue).
inline constexpr int32_t kAllIssues = 0;

// "issues/{number}" -> number.
absl::StatusOr<int32_t> ParseIssueName(absl::string_view field,
                                       absl::string_view name);
// "issues/{number}/sections/{ordinal}".
absl::StatusOr<SectionName> ParseSectionName(absl::string_view field,
                                             absl::string_view name);
// "issues/{number}/tale" -> number.
absl::StatusOr<int32_t> ParseTaleName(absl::string_view field,
                                      absl::string_view name);
// "issues/{number}" -> number, or "issues/-" -> kAllIssues.
absl::StatusOr<int32_t> ParseSectionParent(absl::string_view field,
                                           absl::string_view name);

}  // namespace importai::services

#endif  // IMPORTAI_SERVICES_RESOURCE_NAMES_H_
