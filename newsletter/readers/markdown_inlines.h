#ifndef IMPORTAI_NEWSLETTER_READERS_MARKDOWN_INLINES_H_
#define IMPORTAI_NEWSLETTER_READERS_MARKDOWN_INLINES_H_

// The inline content of a Markdown block as cmark parsed it, line by line,
// and the Blocks it becomes. The Markdown reader fills an InlineText while it
// walks a paragraph, heading or list item; everything here is independent of
// cmark's node types.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "newsletter/blocks.h"

namespace importai::newsletter {

// A stretch of one line with one link and one emphasis span.
struct InlineRun {
  absl::string_view text;  // As cmark gives it: not normalized yet.
  int link = -1;           // Index into InlineText::uris; -1: none.
  // The outermost emphasis node around the run (for identity only) and its
  // kind; nullptr and kNone outside every span.
  const void* span = nullptr;
  Emphasis emphasis = Emphasis::kNone;
};

// One line of the source's block, between line breaks.
struct InlineLine {
  std::vector<InlineRun> runs;
  int number = 0;           // Input line.
  bool hard_break = false;  // A hard break (or <br>) ends the line before.
};

struct InlineText {
  std::vector<InlineLine> lines;
  std::vector<std::string> uris;  // Indexed by InlineRun::link.
};

// A paragraph's blocks (kParagraph), appended to `blocks`: one per line at
// hard breaks; at soft breaks the lines are joined with a space unless the
// line before or after is emphasis-only (its text all in strong or all in
// emph, as a bold heading or an italic dek on its own line), and the break
// is not inside the span. A block all in strong or emph text gets that
// Emphasis (the outer one for nested spans). Blank blocks are dropped.
// Both functions first repair the emphasis delimiters that converters place
// across line breaks (see markdown_inlines.cc).
void AppendParagraphBlocks(InlineText text, std::vector<Block>* blocks);

// All of `text` as one block of `kind` (its lines joined with spaces), its
// text prefixed with `prefix` ("• " for a list item); dropped when blank.
void AppendJoinedBlock(InlineText text, BlockKind kind,
                       absl::string_view prefix, std::vector<Block>* blocks);

}  // namespace importai::newsletter

#endif  // IMPORTAI_NEWSLETTER_READERS_MARKDOWN_INLINES_H_
