#ifndef IMPORTAI_NEWSLETTER_READERS_MARKDOWN_FRONT_MATTER_H_
#define IMPORTAI_NEWSLETTER_READERS_MARKDOWN_FRONT_MATTER_H_

// YAML front matter at the very start of a Markdown document, as static site
// generators write it:
//
//   ---
//   title: "Import AI 387: ..."
//   url: https://example.com/p/387
//   date: 2024-10-14
//   ---            (or "...")
//
// Read with libyaml's event parser, so aliases are never expanded and memory
// stays linear.

#include "absl/strings/string_view.h"
#include "newsletter/blocks.h"

namespace importai::newsletter {

// A Markdown input split at the end of its front matter.
struct MarkdownParts {
  bool has_front_matter = false;
  absl::string_view yaml;   // Between the fences; empty without front matter.
  int yaml_first_line = 0;  // Input line of the YAML's first line.
  absl::string_view body;   // The Markdown: all of the input without front
                            // matter.
  int body_first_line = 1;  // Input line of the body's first line.
};

// Front matter is a first line "---" and a later line "---" or "..." (trailing
// whitespace allowed, a UTF-8 byte-order mark before the first). Without the
// closing line there is none: the "---" is the Markdown's thematic break.
MarkdownParts SplitFrontMatter(absl::string_view input);

// Sets `document`'s title, title_line, uri and publish_time from the keys
// `title`, `url` and `date` of `yaml` (other keys are ignored). Never fails:
// YAML that does not parse, is not a mapping or nests deeper than a few
// levels is ignored with a warning naming its line, as is each value that is
// not text or a date that ParsePublicationDate does not read.
void ReadFrontMatter(absl::string_view yaml, int first_line,
                     SourceDocument* document);

}  // namespace importai::newsletter

#endif  // IMPORTAI_NEWSLETTER_READERS_MARKDOWN_FRONT_MATTER_H_
