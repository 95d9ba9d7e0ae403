// ReadHtml and ReadHtmlFragment: libxml2's HTML parser builds the tree,
// HtmlBlocks (html_blocks.h) maps it to blocks.

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "common/status_macros.h"
#include "newsletter/readers/dates.h"
#include "newsletter/readers/html_blocks.h"
#include "newsletter/readers/libxml_util.h"
#include "absl/strings/str_cat.h"
#include "newsletter/readers/readers.h"
#include "newsletter/text.h"

namespace importai::newsletter {
namespace {

bool HasToken(absl::string_view list, absl::string_view token) {
  for (absl::string_view item :
       absl::StrSplit(list, absl::ByAnyChar(" \t\r\n\f"), absl::SkipEmpty())) {
    if (absl::EqualsIgnoreCase(item, token)) return true;
  }
  return false;
}

// What <head> says about the page (meta and link elements are taken from
// anywhere: some pages put them in the body).
struct PageMetadata {
  std::optional<std::string> canonical;
  std::optional<std::string> og_url;
  std::optional<std::string> og_title;
  int og_title_line = 0;
  std::optional<std::string> published;
  int published_line = 0;
};

PageMetadata ReadMetadata(xmlNode* root) {
  PageMetadata metadata;
  WalkTree(root, [&](xmlNode* node) {
    if (IsElement(node, "link") && !metadata.canonical.has_value() &&
        HasToken(AttributeText(node, "rel").value_or(""), "canonical")) {
      metadata.canonical = AttributeText(node, "href");
    } else if (IsElement(node, "meta")) {
      std::optional<std::string> key = AttributeText(node, "property");
      if (!key.has_value()) key = AttributeText(node, "name");
      const std::optional<std::string> content = AttributeText(node, "content");
      if (!key.has_value() || !content.has_value()) return Walk::kChildren;
      const std::string property = absl::AsciiStrToLower(*key);
      if (property == "og:url" && !metadata.og_url.has_value()) {
        metadata.og_url = content;
      } else if (property == "og:title" && !metadata.og_title.has_value()) {
        metadata.og_title = content;
        metadata.og_title_line = LineOf(node);
      } else if (property == "article:published_time" &&
                 !metadata.published.has_value()) {
        metadata.published = content;
        metadata.published_line = LineOf(node);
      }
    }
    return Walk::kChildren;
  });
  return metadata;
}

void SetTitle(absl::string_view title, int line, SourceDocument* document) {
  document->title = NormalizeWhitespace(title);
  document->title_line = document->title.empty() ? 0 : line;
}

// The page's title, address and date into `document`; `content` is the
// element the blocks come from (the first <time datetime> in it dates the
// page when no meta element does).
void AddMetadata(xmlNode* root, xmlNode* content, SourceDocument* document) {
  const PageMetadata metadata = ReadMetadata(root);
  document->uri = NormalizeWhitespace(
      metadata.canonical.value_or(metadata.og_url.value_or("")));
  if (metadata.og_title.has_value()) {
    SetTitle(*metadata.og_title, metadata.og_title_line, document);
  }
  xmlNode* const head = FindElement(root, "head");
  xmlNode* const title = head == nullptr ? nullptr : FindElement(head, "title");
  if (document->title.empty() && title != nullptr) {
    SetTitle(NodeText(title), LineOf(title), document);
  }
  if (metadata.published.has_value()) {
    document->publish_time = ParsePublicationDate(*metadata.published);
    if (!document->publish_time.has_value()) {
      document->warnings.push_back(UnrecognizedDateWarning(
          metadata.published_line, *metadata.published));
    }
  }
  if (document->publish_time.has_value() || content == nullptr) return;
  WalkTree(content, [&](xmlNode* node) {
    if (!IsElement(node, "time")) return Walk::kChildren;
    const std::optional<std::string> datetime = AttributeText(node, "datetime");
    if (!datetime.has_value()) return Walk::kChildren;
    document->publish_time = ParsePublicationDate(*datetime);
    if (!document->publish_time.has_value()) {
      document->warnings.push_back(
          UnrecognizedDateWarning(LineOf(node), *datetime));
    }
    return Walk::kStop;
  });
}

// A page is one issue: what stands in <article>s after the first is not
// read, and the reader says so rather than drop it silently.
void WarnAboutMoreArticles(xmlNode* root, const xmlNode* first,
                           SourceDocument* document) {
  int more = 0;
  int line = 0;
  WalkTree(root, [&](xmlNode* node) {
    if (node != first && IsElement(node, "article")) {
      if (more++ == 0) line = LineOf(node);
      return Walk::kSkipChildren;
    }
    return Walk::kChildren;
  });
  if (more > 0) {
    document->warnings.push_back(absl::StrCat(
        "line ", line, ": ", more, " more <article> element",
        more == 1 ? "" : "s", " on the page not read (a page is one issue; "
        "send others as pages of their own)"));
  }
}

}  // namespace

absl::StatusOr<std::vector<SourceDocument>> ReadHtml(absl::string_view input) {
  IMPORTAI_ASSIGN_OR_RETURN(const XmlDocPtr doc, ParseHtmlDocument(input, 0));
  SourceDocument document;
  xmlNode* const root =
      doc == nullptr ? nullptr : xmlDocGetRootElement(doc.get());
  if (root != nullptr) {
    xmlNode* content = FindElement(root, "article");
    if (content != nullptr) WarnAboutMoreArticles(root, content, &document);
    if (content == nullptr) content = FindElement(root, "body");
    AddMetadata(root, content, &document);
    if (content != nullptr) document.blocks = HtmlBlocks(content, 0);
  }
  std::vector<SourceDocument> documents;
  documents.push_back(std::move(document));
  return documents;
}

absl::StatusOr<SourceDocument> ReadHtmlFragment(absl::string_view html,
                                                int first_line) {
  const int line_offset = first_line > 1 ? first_line - 1 : 0;
  IMPORTAI_ASSIGN_OR_RETURN(const XmlDocPtr doc,
                            ParseHtmlDocument(html, line_offset));
  SourceDocument document;
  xmlNode* const root =
      doc == nullptr ? nullptr : xmlDocGetRootElement(doc.get());
  xmlNode* const body = root == nullptr ? nullptr : FindElement(root, "body");
  if (body != nullptr) document.blocks = HtmlBlocks(body, line_offset);
  return document;
}

}  // namespace importai::newsletter
