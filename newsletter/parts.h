#ifndef IMPORTAI_NEWSLETTER_PARTS_H_
#define IMPORTAI_NEWSLETTER_PARTS_H_

// Splits an issue's blocks into its parts: the intro, then one part per
// section or tale. Separators mark most boundaries; the rest are inferred
// from the newsletter's conventions and reported as warnings.

#include <string>
#include <vector>

#include "absl/types/span.h"
#include "newsletter/blocks.h"

namespace importai::newsletter {

// Views into the blocks given to SplitIntoParts, valid as long as they are.
struct IssueParts {
  absl::Span<const Block> intro;
  // Each section's or tale's blocks, heading first, in reading order.
  std::vector<absl::Span<const Block>> parts;
  // For each part: whether it is the tale.
  std::vector<bool> is_tale;
};

// `blocks` are the issue's blocks after its header and by-line, boilerplate
// removed. Appends what had to be inferred to `warnings` ("line N: ...").
IssueParts SplitIntoParts(absl::Span<const Block> blocks,
                          std::vector<std::string>* warnings);

// A dek: a block that opens with an ellipsis, or an italic block right under
// a heading (`after` is the block before it).
bool IsDekBlock(const Block& block, const Block& after);

// A block the source marked as a heading: a heading element or a bold line.
bool IsMarkedHeading(const Block& block);

}  // namespace importai::newsletter

#endif  // IMPORTAI_NEWSLETTER_PARTS_H_
