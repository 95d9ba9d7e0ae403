#ifndef IMPORTAI_NEWSLETTER_READERS_LIBXML_UTIL_H_
#define IMPORTAI_NEWSLETTER_READERS_LIBXML_UTIL_H_

// What the HTML and feed readers share about libxml2: ownership of its
// objects, error capture that keeps its messages off stderr, and a tree walk
// that never recurses.

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace importai::newsletter {

// libxml2 refuses to nest elements deeper than this without XML_PARSE_HUGE
// (xmlParserMaxDepth), in its HTML parser as in its XML parser. The readers
// never pass XML_PARSE_HUGE: the limit also bounds the parser's own
// per-end-tag scans of its element stack.
inline constexpr int kMaxNestingDepth = 256;

struct XmlDocDeleter {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using XmlDocPtr = std::unique_ptr<xmlDoc, XmlDocDeleter>;

// htmlFreeParserCtxt is the same function: one deleter serves both parsers.
struct XmlParserCtxtDeleter {
  void operator()(xmlParserCtxt* ctxt) const { xmlFreeParserCtxt(ctxt); }
};
using XmlParserCtxtPtr = std::unique_ptr<xmlParserCtxt, XmlParserCtxtDeleter>;

// Initializes libxml2 once per process (xmlInitParser is not safe to race).
void InitLibxml();

// `input.size()` as the int libxml2 takes, or INVALID_ARGUMENT past INT_MAX.
absl::StatusOr<int> LibxmlInputSize(absl::string_view input);

// While it lives, every error and warning libxml2 raises on this thread comes
// here instead of stderr. libxml2 (built with threads, as Debian's is) keeps
// its error handlers per thread, so readers on other gRPC threads are not
// affected; the handlers in place before are restored on destruction, so
// scopes nest. (A parser context's own sax->serror would do for the XML
// parser, but the HTML parser's SAX handler is not SAX2 and never calls it,
// and encoding errors are raised with no context at all.)
class ScopedXmlErrors {
 public:
  struct Report {
    int line = 0;
    std::string message;  // Trimmed, bounded, valid UTF-8.
  };

  ScopedXmlErrors();
  ~ScopedXmlErrors();

  ScopedXmlErrors(const ScopedXmlErrors&) = delete;
  ScopedXmlErrors& operator=(const ScopedXmlErrors&) = delete;

  // The first fatal error, else the first error (warnings are not kept).
  const std::optional<Report>& first_error() const {
    return first_fatal_.has_value() ? first_fatal_ : first_error_;
  }
  // Where the parser gave up on nesting past kMaxNestingDepth, if it did.
  std::optional<int> depth_exceeded_line() const {
    return depth_exceeded_line_;
  }

 private:
  static void OnError(void* self, xmlError* error);

  std::optional<Report> first_fatal_;
  std::optional<Report> first_error_;
  std::optional<int> depth_exceeded_line_;
  xmlStructuredErrorFunc saved_structured_;
  void* saved_structured_context_;
  xmlGenericErrorFunc saved_generic_;
  void* saved_generic_context_;
};

// "line N: nested deeper than 256 elements".
absl::Status NestingError(int line);

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
