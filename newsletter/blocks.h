#ifndef IMPORTAI_NEWSLETTER_BLOCKS_H_
#define IMPORTAI_NEWSLETTER_BLOCKS_H_

// The document model every input format is read into (after Pandoc's
// Block/Inline): a front end per format (text, Markdown, HTML, feed) turns its
// input into SourceDocuments, and the one structural parser (parser.h) turns
// blocks into Issue/Section/Tale without knowing which format they came from.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace importai::newsletter {

enum class BlockKind {
  kParagraph,  // One line of running text: a paragraph, or one line of one
               // where the source broke it (a hard break, <br>).
  kHeading,    // Marked as a heading by the source: <h1>-<h4>, "# ..." in
               // Markdown. Plain text has none.
  kRule,       // A separator: "***", "#####", "* * *", <hr>, "---". Its text
               // is empty.
  kListItem,   // One item of a list; its text starts with "• ".
};

// How the whole of a block's text is emphasized in the source: a bold line
// is a heading, an italic line under a heading a dek. Plain text has none.
enum class Emphasis {
  kNone,
  kItalic,
  kStrong,
};

// An address the source gave for a stretch of a block's text.
struct InlineLink {
  size_t begin = 0;  // Byte offsets into Block::text: [begin, end).
  size_t end = 0;
  std::string uri;
};

struct Block {
  BlockKind kind = BlockKind::kParagraph;
  // Whitespace-normalized (NormalizeWhitespace in text.h): valid UTF-8, no
  // newline, no leading or trailing space, markup removed. Empty only for a
  // rule.
  std::string text;
  int number = 0;  // 1-based line of the input where the block starts.
  Emphasis emphasis = Emphasis::kNone;
  std::vector<InlineLink> links;  // In text order, not overlapping.
};

// One document as a front end read it: a text or Markdown file, an HTML page
// or one feed item. It may hold several issue copies (a text file often
// does); what the source said about it (`title`, `uri`, `publish_time`)
// applies to the first.
struct SourceDocument {
  std::vector<Block> blocks;
  // The title the source gave outside the text (front matter `title`, a feed
  // item's <title>, a page's <title>), e.g. "Import AI 387: ...". The parser
  // uses it as the issue header when no block holds one.
  std::string title;
  int title_line = 0;  // Where `title` stands in the input (0: unknown).
  std::string uri;     // The issue's own address; empty if not given.
  std::optional<absl::Time> publish_time;
  // Things the front end tolerated, each naming its line: "line 12: ...".
  std::vector<std::string> warnings;
};

}  // namespace importai::newsletter

#endif  // IMPORTAI_NEWSLETTER_BLOCKS_H_
