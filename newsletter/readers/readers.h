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
// `date`): one document.
absl::StatusOr<std::vector<SourceDocument>> ReadMarkdown(
    absl::string_view input);

// One issue page (through libxml2's HTML parser): one document, with the
// page's canonical link and publication date when it gives them.
absl::StatusOr<std::vector<SourceDocument>> ReadHtml(absl::string_view input);

// An HTML fragment, as a feed item's content carries it: the blocks of its
// body. `first_line` is the input line the fragment starts on, so that block
// numbers name lines of the whole input.
absl::StatusOr<SourceDocument> ReadHtmlFragment(absl::string_view html,
                                                int first_line);

// An RSS 2.0 or Atom document (through libxml2): one document per item or
// entry, from its HTML content, with its link, title and date.
absl::StatusOr<std::vector<SourceDocument>> ReadFeed(absl::string_view input);

// The format `input` is written in, judged from its first bytes and markup:
// FEED, HTML, MARKDOWN or TEXT (never UNSPECIFIED).
v1::InputFormat DetectFormat(absl::string_view input);

// "text", "Markdown", "HTML", "RSS/Atom feed": for messages.
absl::string_view FormatName(v1::InputFormat format);

// Reads `input` as `format` (UNSPECIFIED: as DetectFormat says).
absl::StatusOr<std::vector<SourceDocument>> ReadDocuments(
    absl::string_view input, v1::InputFormat format);

}  // namespace importai::newsletter

#endif  // IMPORTAI_NEWSLETTER_READERS_READERS_H_
