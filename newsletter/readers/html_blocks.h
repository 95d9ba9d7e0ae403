#ifndef IMPORTAI_NEWSLETTER_READERS_HTML_BLOCKS_H_
#define IMPORTAI_NEWSLETTER_READERS_HTML_BLOCKS_H_

#include <libxml/tree.h>

#include <vector>

#include "newsletter/blocks.h"

namespace importai::newsletter {

// The blocks of the HTML tree under `root`, as libxml2's HTML parser builds
// it (or XHTML, as an Atom entry carries it), in document order:
//   <h1>-<h6>                      a heading
//   <p>, <div>, <td>, ... (blocks) a paragraph; one per line split at <br>,
//                                  and one for text between nested blocks
//   <li>                           a list item, "• " + its first line
//   <hr>                           a rule
//   <blockquote>                   its paragraphs
//   <a href>                       an InlineLink over its text
//   one <strong>/<b> (<em>/<i>)    around all of a line: Emphasis::kStrong
//                                  (kItalic)
// Web chrome is dropped: scripts, styles, navigation, headers, footers,
// forms, buttons, images and figures with their captions, frames; elements
// (other than <html>, <body>, <article>, <main> and `root`) whose class
// names a share, subscribe or comment widget, a button or a footnote; and
// footnote markers (<sup> or an in-page <a> holding only digits and
// brackets). Text is whitespace-normalized; empty blocks are dropped.
// `line_offset` is added to the line libxml2 recorded for each block.
std::vector<Block> HtmlBlocks(xmlNode* root, int line_offset);

}  // namespace importai::newsletter

#endif  // IMPORTAI_NEWSLETTER_READERS_HTML_BLOCKS_H_
