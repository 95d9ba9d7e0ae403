#ifndef IMPORTAI_NEWSLETTER_READERS_READERS_H_
#define IMPORTAI_NEWSLETTER_READERS_READERS_H_

// One front end per input format. Each turns its input into SourceDocuments
// (blocks.h); nothing after them knows which format the input was.
//
// Every reader: never crashes or hangs on any input, takes time and memory
// linear in the input size, and never reaches the network or the file system.
// Errors: INVALID_ARGUMENT naming the line, e.g. "line 12: ..." when the
// input cannot be read as that format at all (malformed XML, nesting past the
// documented depth). What it could read but had to tolerate goes into the
// document's warnings instead.

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "importai/v1/ingest_service.pb.h"
#include "newsletter/blocks.h"

namespace importai::newsletter {

// A copy of the web page or an email as plain text: one document; each
// non-empty line a block, separator lines rules, hard-wrapped paragraphs
// (an email at 72 columns) rejoined.
absl::StatusOr<std::vector<SourceDocument>> ReadText(absl::string_view input);

// CommonMark (through cmark) with optional YAML front matter (`title`, `url`,
// `date`; invalid YAML is a warning): one document. Headings become
// kHeading, thematic breaks kRule, list items kListItem; a paragraph is one
// block per line at hard breaks and around emphasis-only lines (soft-wrapped
// prose is joined); a block wholly in one strong or emph span gets that
// Emphasis, also when a converter left its markers across hard breaks
// ("**Heading:  \n**_...dek...  \n_ Body"); links give InlineLinks; images
// and raw HTML are dropped.
absl::StatusOr<std::vector<SourceDocument>> ReadMarkdown(
    absl::string_view input);

// One issue page (through libxml2's HTML parser): one document, with the
// page's canonical link and publication date when it gives them. The blocks
// come from the first <article>, else the <body>; html_blocks.h lists how
// elements map to blocks and which are dropped as web chrome. Page metadata:
// `uri` from <link rel="canonical">, else <meta property="og:url">;
// `publish_time` from <meta property="article:published_time">, else the
// first <time datetime> in the content; `title` from og:title, else <title>.
// The input is read as UTF-8 (invalid bytes become U+FFFD in block text).
// Errors: INVALID_ARGUMENT "line N: nested deeper than 256 elements" for
// elements nested past libxml2's limit (where it would stop reading, so the
// page is refused rather than read cut short). Block lines are libxml2's,
// which saturate at line 65535.
absl::StatusOr<std::vector<SourceDocument>> ReadHtml(absl::string_view input);

// An HTML fragment, as a feed item's content carries it: the blocks of its
// body, mapped as ReadHtml maps a page's (no metadata). `first_line` is the
// input line the fragment starts on, so that block numbers (and the line of
// a nesting error, the only error) name lines of the whole input.
absl::StatusOr<SourceDocument> ReadHtmlFragment(absl::string_view html,
                                                int first_line);

// An RSS 2.0 or Atom document (through libxml2): one document per item or
// entry, from its HTML content, with its link, title and date.
//   RSS 2.0  rss/channel/item: <title>, <link>, <pubDate>, <content:encoded>
//            else <description> (HTML).
//   Atom     feed/entry: <title>, the <link> with rel="alternate" or no rel,
//            <published> else <updated>, <content> else <summary> (type
//            html, xhtml or text).
// Errors (INVALID_ARGUMENT naming the line): "feed is not well-formed XML:
// <libxml2's message>", elements nested deeper than 256 ("nested deeper than
// 256 elements"), a root other than <rss> or Atom <feed>, no items. Tolerated
// with a warning in the item's document: no content (no blocks), a date
// ParsePublicationDate cannot read (no publish_time), content nested too
// deep, references to entities the DTD declares (left out: no entity is ever
// expanded or loaded, so neither entity bombs nor external files reach the
// output). An item without a date is fine.
absl::StatusOr<std::vector<SourceDocument>> ReadFeed(absl::string_view input);

// The format `input` is written in, judged from its first bytes and markup:
// FEED, HTML, MARKDOWN or TEXT (never UNSPECIFIED).
v1::InputFormat DetectFormat(absl::string_view input);

// "text", "Markdown", "HTML", "RSS/Atom feed": for messages.
absl::string_view FormatName(v1::InputFormat format);

// Reads `input` as `format` (UNSPECIFIED: as DetectFormat says).
// RESOURCE_EXHAUSTED when it is over its format's cap (common/limits.h:
// kMaxMarkdownInputBytes, kMaxMarkupInputBytes).
absl::StatusOr<std::vector<SourceDocument>> ReadDocuments(
    absl::string_view input, v1::InputFormat format);

}  // namespace importai::newsletter

#endif  // IMPORTAI_NEWSLETTER_READERS_READERS_H_
