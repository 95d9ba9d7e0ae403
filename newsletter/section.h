#ifndef IMPORTAI_NEWSLETTER_SECTION_H_
#define IMPORTAI_NEWSLETTER_SECTION_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "importai/v1/resources.pb.h"
#include "newsletter/blocks.h"

namespace importai::newsletter {

// Parses the blocks of one section, heading first (no separators): heading,
// optional dek, body, trailing link lines. Fills every Section field. Fails
// when the heading is followed by nothing.
absl::StatusOr<importai::v1::Section> ParseSection(
    absl::Span<const Block> blocks, int issue_number, int ordinal,
    std::vector<std::string>* warnings);

// Joins paragraphs with a blank line, the body format of sections and tales.
std::string JoinParagraphs(absl::Span<const Block> blocks);

}  // namespace importai::newsletter

#endif  // IMPORTAI_NEWSLETTER_SECTION_H_
