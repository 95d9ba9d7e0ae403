// ReadFeed: RSS 2.0 and Atom through libxml2's XML parser. Each item's HTML
// content goes through ReadHtmlFragment.

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "newsletter/readers/dates.h"
#include "newsletter/readers/html_blocks.h"
#include "newsletter/readers/libxml_util.h"
#include "newsletter/readers/readers.h"
#include "newsletter/text.h"

namespace importai::newsletter {
namespace {

constexpr absl::string_view kAtomNamespace = "http://www.w3.org/2005/Atom";
constexpr absl::string_view kContentNamespace =
    "http://purl.org/rss/1.0/modules/content/";

absl::string_view Namespace(const xmlNode* node) {
  return node->ns == nullptr || node->ns->href == nullptr
             ? absl::string_view()
             : reinterpret_cast<const char*>(node->ns->href);
}

// Elements of `parent` named `name` in namespace `ns` (empty: none).
std::vector<xmlNode*> Children(xmlNode* parent, absl::string_view name,
                               absl::string_view ns) {
  std::vector<xmlNode*> children;
  for (xmlNode* child = parent->children; child != nullptr;
       child = child->next) {
    if (IsElement(child, name) && Namespace(child) == ns) {
      children.push_back(child);
    }
  }
  return children;
}

xmlNode* Child(xmlNode* parent, absl::string_view name, absl::string_view ns) {
  for (xmlNode* child = parent->children; child != nullptr;
       child = child->next) {
    if (IsElement(child, name) && Namespace(child) == ns) return child;
  }
  return nullptr;
}

// How an item's content is written.
enum class ContentType { kHtml, kXhtml, kText, kOther };

// An Atom type attribute ("html", "xhtml", "text" or a media type).
ContentType AtomContentType(const xmlNode* element) {
  const std::string type =
      absl::AsciiStrToLower(AttributeText(element, "type").value_or("text"));
  if (type == "text" || absl::StartsWith(type, "text/plain")) {
    return ContentType::kText;
  }
  if (type == "html" || absl::StartsWith(type, "text/html")) {
    return ContentType::kHtml;
  }
  if (type == "xhtml" || absl::StartsWith(type, "application/xhtml+xml")) {
    return ContentType::kXhtml;
  }
  return ContentType::kOther;
}

// The elements one item or entry gives, found by the RSS or Atom rules.
struct ItemElements {
  xmlNode* item = nullptr;
  xmlNode* title = nullptr;
  ContentType title_type = ContentType::kText;
  std::optional<std::string> uri;
  xmlNode* date = nullptr;
  xmlNode* content = nullptr;
  ContentType content_type = ContentType::kHtml;
};

// Reads the text of an element, noting a skipped entity reference.
class ItemReader {
 public:
  explicit ItemReader(const ItemElements& elements) : elements_(elements) {}

  SourceDocument Read() &&;

 private:
  std::string Text(const xmlNode* element) {
    bool skipped = false;
    std::string text = NodeText(element, &skipped);
    skipped_entity_ = skipped_entity_ || skipped;
    return text;
  }
  // The plain text of a title written as `type`.
  std::string TitleText(xmlNode* title, ContentType type);
  void ReadContent();

  const ItemElements& elements_;
  SourceDocument document_;
  bool skipped_entity_ = false;
};

std::string ItemReader::TitleText(xmlNode* title, ContentType type) {
  if (type != ContentType::kHtml) return Text(title);
  absl::StatusOr<SourceDocument> html = ReadHtmlFragment(Text(title), 1);
  if (!html.ok()) return "";
  std::string text;
  for (const Block& block : html->blocks) {
    absl::StrAppend(&text, text.empty() ? "" : " ", block.text);
  }
  return text;
}

void ItemReader::ReadContent() {
  xmlNode* const content = elements_.content;
  const int line = LineOf(content);
  switch (elements_.content_type) {
    case ContentType::kHtml: {
      absl::StatusOr<SourceDocument> html =
          ReadHtmlFragment(Text(content), line);
      if (!html.ok()) {
        document_.warnings.emplace_back(html.status().message());
        return;
      }
      document_.blocks = std::move(html->blocks);
      for (std::string& warning : html->warnings) {
        document_.warnings.push_back(std::move(warning));
      }
      return;
    }
    case ContentType::kXhtml:
      document_.blocks = HtmlBlocks(content, 0);
      return;
    case ContentType::kText: {
      const NormalizedText text(Text(content));
      for (const Line& text_line : text.lines()) {
        Block block;
        block.text = std::string(text_line.text);
        block.number = line + text_line.number - 1;
        document_.blocks.push_back(std::move(block));
      }
      return;
    }
    case ContentType::kOther:
      document_.warnings.push_back(absl::StrCat(
          "line ", line, ": content of type \"",
          NormalizeWhitespace(
              AttributeText(content, "type").value_or("").substr(0, 64)),
          "\" is not read"));
      return;
  }
}

SourceDocument ItemReader::Read() && {
  if (elements_.title != nullptr) {
    document_.title =
        NormalizeWhitespace(TitleText(elements_.title, elements_.title_type));
    if (!document_.title.empty())
      document_.title_line = LineOf(elements_.title);
  }
  document_.uri = NormalizeWhitespace(elements_.uri.value_or(""));
  if (elements_.date != nullptr) {
    const std::string date = Text(elements_.date);
    document_.publish_time = ParsePublicationDate(date);
    if (!document_.publish_time.has_value()) {
      document_.warnings.push_back(
          UnrecognizedDateWarning(LineOf(elements_.date), date));
    }
  }
  const size_t warnings_before = document_.warnings.size();
  if (elements_.content != nullptr) ReadContent();
  if (document_.blocks.empty() &&
      document_.warnings.size() == warnings_before) {
    document_.warnings.push_back(
        absl::StrCat("line ", LineOf(elements_.item), ": item has no content"));
  }
  if (skipped_entity_) {
    document_.warnings.push_back(
        absl::StrCat("line ", LineOf(elements_.item),
                     ": entity references are not expanded"));
  }
  return std::move(document_);
}

ItemElements RssItem(xmlNode* item) {
  ItemElements elements;
  elements.item = item;
  elements.title = Child(item, "title", "");
  if (xmlNode* link = Child(item, "link", "")) elements.uri = NodeText(link);
  elements.date = Child(item, "pubDate", "");
  elements.content = Child(item, "encoded", kContentNamespace);
  if (elements.content == nullptr) {
    elements.content = Child(item, "description", "");
  }
  return elements;
}

ItemElements AtomEntry(xmlNode* entry) {
  ItemElements elements;
  elements.item = entry;
  elements.title = Child(entry, "title", kAtomNamespace);
  if (elements.title != nullptr) {
    elements.title_type = AtomContentType(elements.title);
  }
  for (xmlNode* link : Children(entry, "link", kAtomNamespace)) {
    const std::string rel = AttributeText(link, "rel").value_or("alternate");
    if (rel == "alternate") {
      elements.uri = AttributeText(link, "href");
      break;
    }
  }
  elements.date = Child(entry, "published", kAtomNamespace);
  if (elements.date == nullptr) {
    elements.date = Child(entry, "updated", kAtomNamespace);
  }
  elements.content = Child(entry, "content", kAtomNamespace);
  if (elements.content == nullptr) {
    elements.content = Child(entry, "summary", kAtomNamespace);
  }
  if (elements.content != nullptr) {
    elements.content_type = AtomContentType(elements.content);
    // Content given by address only (src=) is not in the feed.
    if (AttributeText(elements.content, "src").has_value()) {
      elements.content_type = ContentType::kOther;
    }
  }
  return elements;
}

// "<name>", or "<name> (namespace "...")", shortened: the names come from
// the input.
std::string Describe(const xmlNode* element) {
  constexpr size_t kMaxNameBytes = 64;
  const absl::string_view name = reinterpret_cast<const char*>(element->name);
  const absl::string_view ns = Namespace(element);
  return absl::StrCat(
      "<", NormalizeWhitespace(name.substr(0, kMaxNameBytes)), ">",
      ns.empty()
          ? ""
          : absl::StrCat(" (namespace \"",
                         NormalizeWhitespace(ns.substr(0, kMaxNameBytes)),
                         "\")"));
}

absl::Status Unreadable(const xmlNode* node, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("line ", std::max(LineOf(node), 1), ": ", what));
}

}  // namespace

absl::StatusOr<std::vector<SourceDocument>> ReadFeed(absl::string_view input) {
  IMPORTAI_ASSIGN_OR_RETURN(const XmlDocPtr doc,
                            ParseXmlDocument(input, "feed"));
  xmlNode* const root = xmlDocGetRootElement(doc.get());
  if (root == nullptr) {
    return absl::InvalidArgumentError("line 1: feed has no root element");
  }
  std::vector<ItemElements> items;
  if (IsElement(root, "rss") && Namespace(root).empty()) {
    xmlNode* const channel = Child(root, "channel", "");
    if (channel == nullptr) return Unreadable(root, "<rss> has no <channel>");
    for (xmlNode* item : Children(channel, "item", "")) {
      items.push_back(RssItem(item));
    }
  } else if (IsElement(root, "feed") && Namespace(root) == kAtomNamespace) {
    for (xmlNode* entry : Children(root, "entry", kAtomNamespace)) {
      items.push_back(AtomEntry(entry));
    }
  } else {
    return Unreadable(root, absl::StrCat("the root element ", Describe(root),
                                         " is neither RSS 2.0 <rss> nor Atom "
                                         "<feed>"));
  }
  if (items.empty()) return Unreadable(root, "the feed has no items");
  std::vector<SourceDocument> documents;
  documents.reserve(items.size());
  for (const ItemElements& item : items) {
    documents.push_back(ItemReader(item).Read());
  }
  return documents;
}

}  // namespace importai::newsletter
