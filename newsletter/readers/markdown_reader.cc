// The Markdown front end: optional YAML front matter
// (markdown_front_matter.h), then CommonMark through cmark, whose tree is
// walked once with cmark's iterator (no recursion, however deep the input
// nests) and mapped to Blocks:
//
//   heading (ATX or setext)       kHeading
//   thematic break                kRule, empty text
//   paragraph                     kParagraph per line or joined lines
//                                 (markdown_inlines.h)
//   list item                     kListItem "• " + its text; nested lists
//                                 are items of their own
//   block quote                   its blocks
//   code block                    kParagraph per non-empty line
//   HTML block, image             nothing (an image's alt text is not text
//                                 of the issue)
//
// Inline code keeps its literal text, links give InlineLinks, and a strong
// or emph span over a whole block gives it an Emphasis.

#include <cmark.h>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "newsletter/readers/markdown_front_matter.h"
#include "newsletter/readers/markdown_inlines.h"
#include "newsletter/readers/readers.h"
#include "newsletter/text.h"

namespace importai::newsletter {
namespace {

// cmark replaces invalid UTF-8 (and NUL) with U+FFFD itself, so the tree it
// hands over is valid text. Without SOURCEPOS, cmark does not track the
// lines of text after a code span or link that spans lines.
constexpr int kCmarkOptions = CMARK_OPT_SOURCEPOS | CMARK_OPT_VALIDATE_UTF8;

struct NodeDeleter {
  void operator()(cmark_node* node) const { cmark_node_free(node); }
};
struct IterDeleter {
  void operator()(cmark_iter* iter) const { cmark_iter_free(iter); }
};

// A node's literal text (or, with `get`, another of its strings).
absl::string_view Literal(cmark_node* node, const char* (*get)(cmark_node*) =
                                                cmark_node_get_literal) {
  const char* text = get(node);
  return text == nullptr ? absl::string_view() : absl::string_view(text);
}

// "<br>", "<br/>", "<BR />": a line break written as inline HTML.
bool IsBreakTag(absl::string_view html) {
  if (html.size() > 8) return false;
  std::string tag = absl::AsciiStrToLower(html);
  tag.erase(std::remove(tag.begin(), tag.end(), ' '), tag.end());
  return tag == "<br>" || tag == "<br/>";
}

// Where each line of a text starts, to look at the source under a node.
class LineStarts {
 public:
  explicit LineStarts(absl::string_view text) : text_(text) {
    starts_.push_back(0);
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') starts_.push_back(i + 1);
    }
  }

  // The source from 1-based `line` and byte `column` to the line's end.
  absl::string_view From(int line, int column) const {
    if (line < 1 || static_cast<size_t>(line) > starts_.size() || column < 1) {
      return {};
    }
    const size_t begin = starts_[line - 1];
    const size_t end = static_cast<size_t>(line) < starts_.size()
                           ? starts_[line]
                           : text_.size();
    const size_t at = begin + static_cast<size_t>(column) - 1;
    return at < end ? text_.substr(at, end - at) : absl::string_view();
  }

 private:
  absl::string_view text_;
  std::vector<size_t> starts_;
};

class BlockWalker {
 public:
  // `body` is what cmark parsed; its first line is input line
  // `line_offset` + 1.
  BlockWalker(absl::string_view body, int line_offset,
              std::vector<Block>* blocks)
      : body_(body), line_offset_(line_offset), blocks_(blocks) {}

  void Walk(cmark_node* root) {
    std::unique_ptr<cmark_iter, IterDeleter> iter(cmark_iter_new(root));
    cmark_event_type event;
    while ((event = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE) {
      cmark_node* node = cmark_iter_get_node(iter.get());
      if (event == CMARK_EVENT_ENTER) {
        Enter(node, iter.get());
      } else if (event == CMARK_EVENT_EXIT) {
        Exit(node);
      }
    }
    FlushItem();
  }

 private:
  void Enter(cmark_node* node, cmark_iter* iter) {
    const cmark_node_type type = cmark_node_get_type(node);
    if (type >= CMARK_NODE_FIRST_INLINE && type <= CMARK_NODE_LAST_INLINE) {
      EnterInline(node, type, iter);
      return;
    }
    switch (type) {
      case CMARK_NODE_LIST:
        FlushItem();  // The items of a nested list come after its parent.
        break;
      case CMARK_NODE_ITEM:
        FlushItem();
        item_open_ = true;
        break;
      case CMARK_NODE_PARAGRAPH:
      case CMARK_NODE_HEADING:
        BeginLeaf(node);
        break;
      case CMARK_NODE_CODE_BLOCK:
        FlushItem();
        AppendCodeLines(node);
        break;
      case CMARK_NODE_THEMATIC_BREAK: {
        FlushItem();
        Block rule;
        rule.kind = BlockKind::kRule;
        rule.number = LineOf(node);
        blocks_->push_back(std::move(rule));
        break;
      }
      default:  // Document, block quote: only their content counts. HTML.
        break;
    }
  }

  void EnterInline(cmark_node* node, cmark_node_type type, cmark_iter* iter) {
    switch (type) {
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE:
        NoteLineNumber(node);
        AddText(Literal(node));
        break;
      case CMARK_NODE_SOFTBREAK:
        BreakLine(/*hard=*/false, /*same_line=*/false);
        break;
      case CMARK_NODE_LINEBREAK:
        BreakLine(/*hard=*/true, /*same_line=*/false);
        break;
      case CMARK_NODE_HTML_INLINE:
        if (IsBreakTag(Literal(node))) {
          BreakLine(/*hard=*/true, /*same_line=*/true);
        }
        break;
      case CMARK_NODE_EMPH:
      case CMARK_NODE_STRONG:
        if (span_ == nullptr) {
          span_ = node;
          span_emphasis_ =
              type == CMARK_NODE_STRONG ? Emphasis::kStrong : Emphasis::kItalic;
        }
        break;
      case CMARK_NODE_LINK: {
        std::string uri =
            NormalizeWhitespace(Literal(node, cmark_node_get_url));
        if (link_node_ == nullptr && !uri.empty()) {
          link_node_ = node;
          link_ = static_cast<int>(text_.uris.size());
          text_.uris.push_back(std::move(uri));
        }
        break;
      }
      case CMARK_NODE_IMAGE:
        // Skips the alt text: the iterator goes on after the image.
        cmark_iter_reset(iter, node, CMARK_EVENT_EXIT);
        break;
      default:
        break;
    }
  }

  void Exit(cmark_node* node) {
    switch (cmark_node_get_type(node)) {
      case CMARK_NODE_ITEM:
        FlushItem();
        break;
      case CMARK_NODE_PARAGRAPH:
        if (!item_open_) AppendParagraphBlocks(TakeText(), blocks_);
        break;
      case CMARK_NODE_HEADING:
        if (!item_open_) {
          AppendJoinedBlock(TakeText(), BlockKind::kHeading, "", blocks_);
        }
        break;
      case CMARK_NODE_EMPH:
      case CMARK_NODE_STRONG:
        if (node == span_) {
          span_ = nullptr;
          span_emphasis_ = Emphasis::kNone;
        }
        break;
      case CMARK_NODE_LINK:
        if (node == link_node_) {
          link_node_ = nullptr;
          link_ = -1;
        }
        break;
      default:
        break;
    }
  }

  int LineOf(cmark_node* node) const {
    const int line = cmark_node_get_start_line(node);
    return line > 0 ? line + line_offset_ : 0;
  }

  // A paragraph or heading starts a line of its own; inside a list item it
  // adds to the item's text.
  void BeginLeaf(cmark_node* node) {
    span_ = nullptr;
    span_emphasis_ = Emphasis::kNone;
    link_node_ = nullptr;
    link_ = -1;
    awaiting_line_number_ = false;
    InlineLine line;
    line.number = LineOf(node);
    text_.lines.push_back(std::move(line));
  }

  void AddText(absl::string_view text) {
    if (text.empty() || text_.lines.empty()) return;
    text_.lines.back().runs.push_back({text, link_, span_, span_emphasis_});
  }

  // Starts the next line. Its number is the previous one's plus one (the
  // same for "<br>" within a line), or more if its first text says so (a
  // code span or a link title may span lines).
  void BreakLine(bool hard, bool same_line) {
    if (text_.lines.empty()) return;
    InlineLine line;
    line.number = text_.lines.back().number + (same_line ? 0 : 1);
    line.hard_break = hard;
    text_.lines.push_back(std::move(line));
    awaiting_line_number_ = true;
  }

  // Only text nodes: cmark gives a link spanning lines the line it ends on,
  // and text after a backslash break the line before, so its line can only
  // move the number on.
  void NoteLineNumber(cmark_node* text) {
    if (!awaiting_line_number_) return;
    awaiting_line_number_ = false;
    int& number = text_.lines.back().number;
    number = std::max(number, LineOf(text));
  }

  InlineText TakeText() { return std::exchange(text_, InlineText()); }

  void FlushItem() {
    if (!item_open_) return;
    item_open_ = false;
    AppendJoinedBlock(TakeText(), BlockKind::kListItem, "\xE2\x80\xA2 ",
                      blocks_);
  }

  // One paragraph per non-empty line of a code block.
  void AppendCodeLines(cmark_node* node) {
    const int start = LineOf(node);
    int number = IsFenced(node) ? start + 1 : start;
    for (absl::string_view line : absl::StrSplit(Literal(node), '\n')) {
      Block block;
      block.text = NormalizeWhitespace(line);
      block.number = number++;
      if (!block.text.empty()) blocks_->push_back(std::move(block));
    }
  }

  // A fenced code block's content starts on the line after its opening
  // fence; an indented one's on its first line. cmark does not say which it
  // is, so look at the source where the block starts.
  bool IsFenced(cmark_node* node) {
    if (!line_starts_) line_starts_ = std::make_unique<LineStarts>(body_);
    const absl::string_view source = line_starts_->From(
        cmark_node_get_start_line(node), cmark_node_get_start_column(node));
    return absl::StartsWith(source, "```") || absl::StartsWith(source, "~~~");
  }

  const absl::string_view body_;
  const int line_offset_;
  std::vector<Block>* blocks_;
  std::unique_ptr<LineStarts> line_starts_;  // Made for the first code block.

  // The inline text of the open paragraph or heading, or of the open list
  // item's paragraphs and headings.
  InlineText text_;
  bool item_open_ = false;
  bool awaiting_line_number_ = false;
  const void* span_ = nullptr;  // The outermost open emphasis node.
  Emphasis span_emphasis_ = Emphasis::kNone;
  cmark_node* link_node_ = nullptr;  // The open link.
  int link_ = -1;                    // Its index in text_.uris.
};

}  // namespace

absl::StatusOr<std::vector<SourceDocument>> ReadMarkdown(
    absl::string_view input) {
  SourceDocument document;
  const MarkdownParts parts = SplitFrontMatter(input);
  if (parts.has_front_matter) {
    ReadFrontMatter(parts.yaml, parts.yaml_first_line, &document);
  }
  const absl::string_view body = parts.body.empty() ? "" : parts.body;
  std::unique_ptr<cmark_node, NodeDeleter> root(
      cmark_parse_document(body.data(), body.size(), kCmarkOptions));
  if (root == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "line ", parts.body_first_line, ": cmark could not read the Markdown"));
  }
  BlockWalker(body, parts.body_first_line - 1, &document.blocks)
      .Walk(root.get());
  std::vector<SourceDocument> documents;
  documents.push_back(std::move(document));
  return documents;
}

}  // namespace importai::newsletter
