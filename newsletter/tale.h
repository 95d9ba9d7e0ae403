#ifndef IMPORTAI_NEWSLETTER_TALE_H_
#define IMPORTAI_NEWSLETTER_TALE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "importai/v1/resources.pb.h"
#include "newsletter/text.h"

namespace importai::newsletter {

// True if the lines between two separators hold the Tech Tales story: they
// open with "Tech Tales:" or contain "Things that inspired this story:".
bool IsTaleChunk(absl::Span<const Line> lines);

// Parses a tale chunk: optional "Tech Tales:" heading, title, optional
// bracketed setting, body, "Things that inspired this story:" line. Fails
// when there is no title.
absl::StatusOr<importai::v1::Tale> ParseTale(
    absl::Span<const Line> lines, int issue_number,
    std::vector<std::string>* warnings);

}  // namespace importai::newsletter

#endif  // IMPORTAI_NEWSLETTER_TALE_H_
