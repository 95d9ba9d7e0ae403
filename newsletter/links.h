#ifndef IMPORTAI_NEWSLETTER_LINKS_H_
#define IMPORTAI_NEWSLETTER_LINKS_H_

// Trailing link lines: "Read more: Title (source)." and their variants.

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "importai/v1/resources.pb.h"
#include "newsletter/blocks.h"

namespace importai::newsletter {

// Parses one normalized line as a link line, or returns nullopt when it does
// not look like one. The lead (before ": ", or the whole line) must be a
// phrase, not a sentence: no sentence break in it, and not opening with a
// subject pronoun ("It is here (GitHub)." is a sentence). Then the line must
// point "here", open with a link verb ("Read", "Check out", "Get", ...)
// and give a title after ": " or a "(source)", or give a title after ": "
// with a source that is a name ("(arXiv)", not "(mostly)"). A title glued to its lead
// ("Read moreTitle", "Get it hereTitle") is split, and Link.text gets the
// missing ": " so both spellings yield the same link.
std::optional<importai::v1::Link> ParseLinkLine(absl::string_view line,
                                                bool* glued = nullptr);

// The link lines that end a section.
struct TrailingLinks {
  size_t first_line = 0;  // Index in the input of the first link line.
  std::vector<importai::v1::Link> links;  // In reading order.
};

// Scans `lines` backwards for link lines, stopping at the first line that is
// not one. A link line wrapped onto the next line ("More information" /
// "at the site (source).") is joined. Tolerated oddities are appended to
// `warnings` as "line N: ...".
// Link.uri is the address the source gave for the link's title, else for
// any part of the line.
TrailingLinks ExtractTrailingLinks(absl::Span<const Block> lines,
                                   std::vector<std::string>* warnings);

}  // namespace importai::newsletter

#endif  // IMPORTAI_NEWSLETTER_LINKS_H_
