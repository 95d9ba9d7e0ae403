#include "newsletter/readers/html_blocks.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "newsletter/readers/libxml_util.h"
#include "newsletter/text.h"

namespace importai::newsletter {
namespace {

constexpr absl::string_view kBulletPrefix = "\xE2\x80\xA2 ";

// What an element does to the blocks.
enum class Role {
  kInline,    // Nothing: its text joins the current line.
  kBlock,     // Ends the line before it and after it.
  kHeading,   // A block whose lines are headings.
  kListItem,  // A block whose first line is a list item.
  kRule,
  kBreak,  // Ends the line.
  kLink,
  kStrong,
  kItalic,
  kSup,      // Inline, unless a footnote marker.
  kDropped,  // Web chrome: skipped with everything in it.
};

Role RoleOfName(absl::string_view name) {
  static const auto* const kRoles =
      new absl::flat_hash_map<absl::string_view, Role>{
          {"h1", Role::kHeading},
          {"h2", Role::kHeading},
          {"h3", Role::kHeading},
          {"h4", Role::kHeading},
          {"h5", Role::kHeading},
          {"h6", Role::kHeading},
          {"li", Role::kListItem},
          {"hr", Role::kRule},
          {"br", Role::kBreak},
          {"a", Role::kLink},
          {"strong", Role::kStrong},
          {"b", Role::kStrong},
          {"em", Role::kItalic},
          {"i", Role::kItalic},
          {"sup", Role::kSup},
          // Blocks.
          {"address", Role::kBlock},
          {"article", Role::kBlock},
          {"aside", Role::kBlock},
          {"blockquote", Role::kBlock},
          {"body", Role::kBlock},
          {"caption", Role::kBlock},
          {"center", Role::kBlock},
          {"dd", Role::kBlock},
          {"details", Role::kBlock},
          {"dialog", Role::kBlock},
          {"div", Role::kBlock},
          {"dl", Role::kBlock},
          {"dt", Role::kBlock},
          {"fieldset", Role::kBlock},
          {"hgroup", Role::kBlock},
          {"html", Role::kBlock},
          {"legend", Role::kBlock},
          {"main", Role::kBlock},
          {"menu", Role::kBlock},
          {"ol", Role::kBlock},
          {"p", Role::kBlock},
          {"pre", Role::kBlock},
          {"section", Role::kBlock},
          {"summary", Role::kBlock},
          {"table", Role::kBlock},
          {"tbody", Role::kBlock},
          {"td", Role::kBlock},
          {"tfoot", Role::kBlock},
          {"th", Role::kBlock},
          {"thead", Role::kBlock},
          {"tr", Role::kBlock},
          {"ul", Role::kBlock},
          // Chrome.
          {"audio", Role::kDropped},
          {"button", Role::kDropped},
          {"canvas", Role::kDropped},
          {"figcaption", Role::kDropped},
          {"figure", Role::kDropped},
          {"footer", Role::kDropped},
          {"form", Role::kDropped},
          {"head", Role::kDropped},
          {"header", Role::kDropped},
          {"iframe", Role::kDropped},
          {"img", Role::kDropped},
          {"nav", Role::kDropped},
          {"noscript", Role::kDropped},
          {"object", Role::kDropped},
          {"picture", Role::kDropped},
          {"script", Role::kDropped},
          {"select", Role::kDropped},
          {"style", Role::kDropped},
          {"svg", Role::kDropped},
          {"template", Role::kDropped},
          {"textarea", Role::kDropped},
          {"title", Role::kDropped},
          {"video", Role::kDropped},
      };
  const auto it = kRoles->find(name);
  return it == kRoles->end() ? Role::kInline : it->second;
}

// Class names of share, subscribe and comment widgets and buttons.
constexpr absl::string_view kChromeClasses[] = {
    "subscribe", "subscription", "share", "comment", "button", "footnote"};

// Elements that hold the page itself, whatever their class says.
bool IsPageContainer(absl::string_view name) {
  return name == "html" || name == "body" || name == "article" ||
         name == "main";
}

bool HasChromeClass(const xmlNode* element) {
  const std::optional<std::string> classes = AttributeText(element, "class");
  if (!classes.has_value()) return false;
  const std::string lower = absl::AsciiStrToLower(*classes);
  return std::any_of(std::begin(kChromeClasses), std::end(kChromeClasses),
                     [&](absl::string_view chrome) {
                       return absl::StrContains(lower, chrome);
                     });
}

// True if all `element` holds is a short run of digits and brackets ("3",
// "[12]"). Looks at a few nodes and bytes only, so nesting cannot make the
// checks add up to more than linear time.
bool HoldsOnlyMarker(xmlNode* element) {
  constexpr int kMaxNodes = 8;
  constexpr size_t kMaxBytes = 16;
  int nodes = 0;
  std::string text;
  bool too_long = false;
  WalkTree(element, [&](xmlNode* node) {
    if (++nodes > kMaxNodes || text.size() > kMaxBytes) {
      too_long = true;
      return Walk::kStop;
    }
    if (node->type == XML_TEXT_NODE && node->content != nullptr) {
      text.append(reinterpret_cast<const char*>(node->content));
    }
    return Walk::kChildren;
  });
  const absl::string_view marker = absl::StripAsciiWhitespace(text);
  return !too_long && text.size() <= kMaxBytes && !marker.empty() &&
         std::all_of(marker.begin(), marker.end(), [](char c) {
           return absl::ascii_isdigit(c) || c == '[' || c == ']' || c == '(' ||
                  c == ')';
         });
}

// The address an <a> gives, unless it points within the page or runs script.
std::optional<std::string> LinkTarget(const xmlNode* anchor) {
  const std::optional<std::string> href = AttributeText(anchor, "href");
  if (!href.has_value()) return std::nullopt;
  std::string uri = NormalizeWhitespace(*href);
  if (uri.empty() || uri[0] == '#' ||
      absl::StartsWithIgnoreCase(uri, "javascript:")) {
    return std::nullopt;
  }
  return uri;
}

bool IsInPageLink(const xmlNode* anchor) {
  const std::optional<std::string> href = AttributeText(anchor, "href");
  return href.has_value() &&
         absl::StartsWith(absl::StripLeadingAsciiWhitespace(*href), "#");
}

// Gathers the blocks while WalkTree visits the tree.
class BlockBuilder {
 public:
  BlockBuilder(xmlNode* root, int line_offset)
      : root_(root), line_offset_(line_offset), last_line_(1 + line_offset) {}

  Walk Enter(xmlNode* node);
  void Leave(xmlNode* node);
  std::vector<Block> Finish() &&;

 private:
  Role RoleOf(xmlNode* element) const;
  // Adds a text node's text to the current line.
  void AppendText(absl::string_view raw, int end_line);
  // Ends the current line: a block if it holds text.
  void EndLine();
  void CloseLink();
  int Line(const xmlNode* node) const {
    const int line = LineOf(node);
    return line > 0 ? line + line_offset_ : 0;
  }

  xmlNode* const root_;
  const int line_offset_;
  std::vector<Block> blocks_;

  // Where the walk is.
  int heading_depth_ = 0;
  std::vector<bool> list_item_used_;  // Per open <li>: its bullet is given.
  const xmlNode* strong_ = nullptr;   // The outermost open <strong>/<b>.
  const xmlNode* italic_ = nullptr;   // The outermost open <em>/<i>.
  const xmlNode* link_ = nullptr;     // The open <a> the line links to.
  std::string link_uri_;
  std::optional<size_t> link_begin_;  // Where its text starts in the line.
  int block_line_ = 0;                // Line of the block a new line opens.
  int last_line_;  // The line of the last block, or where the input starts.

  // The current line.
  std::string text_;
  bool pending_space_ = false;
  int line_ = 0;
  std::vector<InlineLink> links_;
  const xmlNode* line_strong_ = nullptr;  // All text so far inside it.
  const xmlNode* line_italic_ = nullptr;
};

Role BlockBuilder::RoleOf(xmlNode* element) const {
  const absl::string_view name = reinterpret_cast<const char*>(element->name);
  Role role = RoleOfName(name);
  if (role == Role::kDropped) return role;
  if (element != root_ && !IsPageContainer(name) && HasChromeClass(element)) {
    return Role::kDropped;
  }
  const bool footnote_marker =
      (role == Role::kSup || (role == Role::kLink && IsInPageLink(element))) &&
      HoldsOnlyMarker(element);
  return footnote_marker ? Role::kDropped : role;
}

Walk BlockBuilder::Enter(xmlNode* node) {
  if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
    if (node->content != nullptr) {
      AppendText(reinterpret_cast<const char*>(node->content), Line(node));
    }
    return Walk::kSkipChildren;
  }
  if (node->type == XML_DOCUMENT_NODE || node->type == XML_HTML_DOCUMENT_NODE) {
    return Walk::kChildren;
  }
  if (node->type != XML_ELEMENT_NODE) return Walk::kSkipChildren;
  const Role role = RoleOf(node);
  switch (role) {
    case Role::kDropped:
      return Walk::kSkipChildren;
    case Role::kBreak:
      EndLine();
      return Walk::kSkipChildren;
    case Role::kRule: {
      EndLine();
      Block rule;
      rule.kind = BlockKind::kRule;
      rule.number = last_line_ = std::max(Line(node), last_line_);
      blocks_.push_back(std::move(rule));
      return Walk::kSkipChildren;
    }
    case Role::kLink:
      if (link_ == nullptr) {
        if (std::optional<std::string> uri = LinkTarget(node)) {
          link_ = node;
          link_uri_ = *std::move(uri);
          link_begin_.reset();
        }
      }
      return Walk::kChildren;
    case Role::kStrong:
      if (strong_ == nullptr) strong_ = node;
      return Walk::kChildren;
    case Role::kItalic:
      if (italic_ == nullptr) italic_ = node;
      return Walk::kChildren;
    case Role::kInline:
    case Role::kSup:
      return Walk::kChildren;
    case Role::kBlock:
    case Role::kHeading:
    case Role::kListItem:
      break;
  }
  // A block starts a line of its own: the line before it is over.
  EndLine();
  block_line_ = Line(node);
  if (role == Role::kHeading) ++heading_depth_;
  if (role == Role::kListItem) list_item_used_.push_back(false);
  return Walk::kChildren;
}

void BlockBuilder::Leave(xmlNode* node) {
  if (node->type != XML_ELEMENT_NODE) return;
  if (node == link_) CloseLink();
  if (node == strong_) strong_ = nullptr;
  if (node == italic_) italic_ = nullptr;
  switch (RoleOfName(reinterpret_cast<const char*>(node->name))) {
    case Role::kHeading:
      EndLine();
      --heading_depth_;
      break;
    case Role::kListItem:
      EndLine();
      list_item_used_.pop_back();
      break;
    case Role::kBlock:
      EndLine();
      break;
    default:
      break;
  }
}

void BlockBuilder::AppendText(absl::string_view raw, int end_line) {
  // Normalized between two sentinels, so that the whitespace at either end
  // shows (as one space) rather than being trimmed away.
  const std::string folded = NormalizeWhitespace(absl::StrCat("|", raw, "|"));
  absl::string_view inner(folded.data() + 1, folded.size() - 2);
  const bool leading_space = absl::ConsumePrefix(&inner, " ");
  const bool trailing_space = absl::ConsumeSuffix(&inner, " ");
  if (inner.empty()) {
    pending_space_ = pending_space_ || leading_space || trailing_space;
    return;
  }
  if (text_.empty()) {
    // A text node's line is where it ends; its text starts as many lines
    // earlier as it has newlines after its first visible character.
    const size_t first = raw.find_first_not_of(" \t\r\n\f");
    const int newlines = static_cast<int>(
        std::count(raw.begin() + (first == absl::string_view::npos ? 0 : first),
                   raw.end(), '\n'));
    const int start = block_line_ > 0 ? block_line_ : end_line - newlines;
    line_ = std::max(start, last_line_);
    line_strong_ = strong_;
    line_italic_ = italic_;
  } else {
    if (pending_space_ || leading_space) text_.push_back(' ');
    if (strong_ != line_strong_) line_strong_ = nullptr;
    if (italic_ != line_italic_) line_italic_ = nullptr;
  }
  if (link_ != nullptr && !link_begin_.has_value()) link_begin_ = text_.size();
  text_.append(inner.data(), inner.size());
  pending_space_ = trailing_space;
}

void BlockBuilder::CloseLink() {
  if (link_begin_.has_value() && text_.size() > *link_begin_) {
    links_.push_back({*link_begin_, text_.size(), link_uri_});
  }
  link_ = nullptr;
  link_begin_.reset();
}

void BlockBuilder::EndLine() {
  block_line_ = 0;
  if (text_.empty()) return;
  // A link open across a <br> goes on on the next line.
  if (link_begin_.has_value() && text_.size() > *link_begin_) {
    links_.push_back({*link_begin_, text_.size(), link_uri_});
  }
  link_begin_.reset();

  Block block;
  block.number = line_;
  last_line_ = line_;
  block.emphasis = line_strong_ != nullptr   ? Emphasis::kStrong
                   : line_italic_ != nullptr ? Emphasis::kItalic
                                             : Emphasis::kNone;
  size_t shift = 0;
  if (heading_depth_ > 0) {
    block.kind = BlockKind::kHeading;
  } else if (!list_item_used_.empty() && !list_item_used_.back()) {
    list_item_used_.back() = true;
    block.kind = BlockKind::kListItem;
    shift = kBulletPrefix.size();
    text_.insert(0, kBulletPrefix.data(), kBulletPrefix.size());
  }
  // The pieces were normalized one by one; the whole may still need the
  // space NormalizeWhitespace puts after a leading bullet ("•Item").
  std::string normalized = NormalizeWhitespace(text_);
  size_t inserted_at = text_.size();
  if (normalized.size() > text_.size()) {
    inserted_at =
        std::mismatch(text_.begin(), text_.end(), normalized.begin()).first -
        text_.begin();
  }
  const size_t growth = normalized.size() - text_.size();
  for (InlineLink& link : links_) {
    link.begin += shift;
    link.end += shift;
    if (link.begin >= inserted_at) link.begin += growth;
    if (link.end >= inserted_at) link.end += growth;
  }
  block.text = std::move(normalized);
  block.links = std::move(links_);
  blocks_.push_back(std::move(block));

  text_.clear();
  links_.clear();
  pending_space_ = false;
  line_strong_ = nullptr;
  line_italic_ = nullptr;
}

std::vector<Block> BlockBuilder::Finish() && {
  EndLine();
  return std::move(blocks_);
}

}  // namespace

std::vector<Block> HtmlBlocks(xmlNode* root, int line_offset) {
  BlockBuilder builder(root, line_offset);
  WalkTree(
      root, [&](xmlNode* node) { return builder.Enter(node); },
      [&](xmlNode* node) { builder.Leave(node); });
  return std::move(builder).Finish();
}

}  // namespace importai::newsletter
