#ifndef IMPORTAI_NEWSLETTER_TALE_H_
#define IMPORTAI_NEWSLETTER_TALE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "importai/v1/resources.pb.h"
#include "newsletter/blocks.h"

namespace importai::newsletter {

// Parses a tale's blocks: optional "Tech Tales" heading (the title may share
// its line), title (quotes, italics and a final ":" removed), optional
// bracketed setting, body, "Things that inspired this story:" line. Fails
// when there is no title.
absl::StatusOr<importai::v1::Tale> ParseTale(
    absl::Span<const Block> lines, int issue_number,
    std::vector<std::string>* warnings);

}  // namespace importai::newsletter

#endif  // IMPORTAI_NEWSLETTER_TALE_H_
