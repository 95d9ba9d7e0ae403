#ifndef IMPORTAI_NEWSLETTER_READERS_LIBXML_UTIL_H_
#define IMPORTAI_NEWSLETTER_READERS_LIBXML_UTIL_H_

// What the HTML and feed readers share about libxml2: parsing with the safe
// options (errors kept off stderr, per thread), ownership of the documents,
// and reading trees without recursion.

#include <libxml/tree.h>

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace importai::newsletter {

// libxml2 refuses to nest elements deeper than this without XML_PARSE_HUGE
// (xmlParserMaxDepth), in its HTML parser as in its XML parser. The readers
// never pass XML_PARSE_HUGE: the limit also bounds the parser's own
// per-end-tag scans of its element stack.
inline constexpr int kMaxNestingDepth = 256;
// libxml2 2.9 checks each attribute of a tag against the tag's earlier ones,
// so one tag with tens of thousands of attributes takes quadratic time
// (40 000: seconds). Inputs are scanned for such a tag first and refused; no
// page the newsletter serves comes near it.
inline constexpr int kMaxAttributesPerTag = 256;

struct XmlDocDeleter {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using XmlDocPtr = std::unique_ptr<xmlDoc, XmlDocDeleter>;

// Parses `html` with libxml2's HTML parser, as UTF-8 whatever a <meta
// charset> says. Null for input holding nothing. INVALID_ARGUMENT "line N:
// nested deeper than 256 elements" (N plus `line_offset`) where the parser
// stopped at kMaxNestingDepth: it keeps what came before, so a cut-short
// page would pass for a whole one. INVALID_ARGUMENT "line N: a tag with more
// than 256 attributes" for the quadratic case above (also for XML).
absl::StatusOr<XmlDocPtr> ParseHtmlDocument(absl::string_view html,
                                            int line_offset);

// Parses `xml` with libxml2's XML parser, in the encoding its declaration or
// byte-order mark gives (UTF-8 otherwise), never loading a DTD or an
// external entity and never substituting entities. INVALID_ARGUMENT "line N:
// <what> is not well-formed XML: <libxml2's message>", or "line N: nested
// deeper than 256 elements".
absl::StatusOr<XmlDocPtr> ParseXmlDocument(absl::string_view xml,
                                           absl::string_view what);

// The line libxml2 recorded for `node`, or 0 when it has none.
int LineOf(const xmlNode* node);

// True for an element named `name` (its local name, case-sensitive).
bool IsElement(const xmlNode* node, absl::string_view name);

// The text of `node`'s attribute `name` (no namespace), or nullopt. Only the
// attribute's text is read: entity references in it are never expanded.
std::optional<std::string> AttributeText(const xmlNode* node,
                                         absl::string_view name);

// The text and CDATA under `node` in document order. Entity references are
// not expanded (their expansion is what "billion laughs" inputs inflate);
// `*skipped_entity` (if given) says whether there was one.
std::string NodeText(const xmlNode* node, bool* skipped_entity = nullptr);

// What WalkTree does after visiting a node.
enum class Walk {
  kChildren,      // Visit its children, then call `leave` on it.
  kSkipChildren,  // Go on to its next sibling; no `leave` call.
  kStop,          // End the walk.
};

// Visits `root` and its descendants in document order: `enter(node)` before
// a node's children, `leave(node)` after them. Iterative (it follows parent
// links), so any depth is safe. Only elements and documents are descended
// into: an entity reference's "children" are its declaration.
template <typename Enter, typename Leave>
void WalkTree(xmlNode* root, Enter&& enter, Leave&& leave) {
  xmlNode* node = root;
  while (node != nullptr) {
    const Walk walk = enter(node);
    if (walk == Walk::kStop) return;
    const bool has_children =
        node->children != nullptr &&
        (node->type == XML_ELEMENT_NODE || node->type == XML_DOCUMENT_NODE ||
         node->type == XML_HTML_DOCUMENT_NODE);
    if (walk == Walk::kChildren && has_children) {
      node = node->children;
      continue;
    }
    if (walk == Walk::kChildren) leave(node);
    // Up to the first ancestor-or-self with a next sibling, leaving each.
    while (node != root && node->next == nullptr) {
      node = node->parent;
      leave(node);
    }
    if (node == root) return;
    node = node->next;
  }
}

template <typename Enter>
void WalkTree(xmlNode* root, Enter&& enter) {
  WalkTree(root, enter, [](xmlNode*) {});
}

// The first element in `root`'s subtree (itself included) named `name`.
xmlNode* FindElement(xmlNode* root, absl::string_view name);

}  // namespace importai::newsletter

#endif  // IMPORTAI_NEWSLETTER_READERS_LIBXML_UTIL_H_
