#include "newsletter/readers/libxml_util.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>

#include <algorithm>
#include <climits>
#include <memory>
#include <mutex>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "newsletter/text.h"

namespace importai::newsletter {
namespace {

// Never HTML_PARSE_HUGE: see kMaxNestingDepth. The service takes text, so
// the page is UTF-8 whatever its <meta charset> claims (IGNORE_ENC).
constexpr int kHtmlOptions = HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                             HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER |
                             HTML_PARSE_IGNORE_ENC;

// Never XML_PARSE_NOENT or XML_PARSE_DTDLOAD: external entities and DTDs are
// not loaded and entities are not substituted (NodeText skips references),
// so neither a local file nor an entity bomb can reach the output. Never
// XML_PARSE_HUGE: nesting stays within kMaxNestingDepth. BIG_LINES: line
// numbers past 65535 for text.
constexpr int kXmlOptions = XML_PARSE_NONET | XML_PARSE_BIG_LINES;

// libxml2 quotes input in some messages ("Opening and ending tag mismatch:
// <name>"); a name can be megabytes long.
constexpr size_t kMaxMessageBytes = 200;

absl::string_view AsView(const xmlChar* text) {
  return text == nullptr
             ? absl::string_view()
             : absl::string_view(reinterpret_cast<const char*>(text));
}

// htmlFreeParserCtxt is the same function: one deleter serves both parsers.
struct XmlParserCtxtDeleter {
  void operator()(xmlParserCtxt* ctxt) const { xmlFreeParserCtxt(ctxt); }
};
using XmlParserCtxtPtr = std::unique_ptr<xmlParserCtxt, XmlParserCtxtDeleter>;

// xmlInitParser must not race with itself.
void InitLibxml() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
}

void IgnoreGenericError(void* /*context*/, const char* /*format*/, ...) {}

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

  ScopedXmlErrors()
      : saved_structured_(xmlStructuredError),
        saved_structured_context_(xmlStructuredErrorContext),
        saved_generic_(xmlGenericError),
        saved_generic_context_(xmlGenericErrorContext) {
    xmlSetStructuredErrorFunc(this, &ScopedXmlErrors::OnError);
    xmlSetGenericErrorFunc(this, &IgnoreGenericError);
  }
  ~ScopedXmlErrors() {
    xmlSetStructuredErrorFunc(saved_structured_context_, saved_structured_);
    xmlSetGenericErrorFunc(saved_generic_context_, saved_generic_);
  }

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
  const xmlStructuredErrorFunc saved_structured_;
  void* const saved_structured_context_;
  const xmlGenericErrorFunc saved_generic_;
  void* const saved_generic_context_;
};

void ScopedXmlErrors::OnError(void* self, xmlError* error) {
  auto* errors = static_cast<ScopedXmlErrors*>(self);
  if (error == nullptr || error->level < XML_ERR_ERROR) return;
  const absl::string_view message =
      error->message == nullptr ? "unknown error" : error->message;
  // Both parsers report nesting past xmlParserMaxDepth as an internal error
  // "Excessive depth in document: 256 use XML_PARSE_HUGE option".
  if (error->code == XML_ERR_INTERNAL_ERROR &&
      absl::StrContains(message, "Excessive depth") &&
      !errors->depth_exceeded_line_.has_value()) {
    errors->depth_exceeded_line_ = error->line;
  }
  std::optional<Report>& first = error->level == XML_ERR_FATAL
                                     ? errors->first_fatal_
                                     : errors->first_error_;
  if (first.has_value()) return;
  first = Report{error->line,
                 NormalizeWhitespace(message.substr(0, kMaxMessageBytes))};
}

// What one parse left: the document (possibly null) and what went wrong.
struct Parse {
  XmlDocPtr doc;
  bool well_formed = false;
  std::optional<ScopedXmlErrors::Report> error;
};

// Parses `input` on a fresh context, with libxml2's HTML parser or its XML
// parser. The only error is nesting past kMaxNestingDepth, at its line plus
// `line_offset`.
// Refuses a tag with more than kMaxAttributesPerTag attributes before
// libxml2 sees it (see the header). Not a tokenizer: it only counts the
// gaps between attributes from a "<" that opens a tag to its ">", stepping
// over quoted values.
absl::Status CheckAttributeCounts(absl::string_view input, int line_offset) {
  int line = 1;
  for (size_t i = 0; i < input.size(); ++i) {
    if (input[i] == '\n') ++line;
    if (input[i] != '<' || i + 1 == input.size() ||
        !absl::ascii_isalpha(static_cast<unsigned char>(input[i + 1]))) {
      continue;
    }
    const int tag_line = line;
    int attributes = 0;
    char quote = 0;
    bool in_gap = false;
    for (++i; i < input.size() && (quote != 0 || input[i] != '>'); ++i) {
      const char c = input[i];
      if (c == '\n') ++line;
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
        in_gap = true;
      } else if (in_gap) {
        in_gap = false;
        if (++attributes > kMaxAttributesPerTag) {
          return absl::InvalidArgumentError(absl::StrCat(
              "line ", tag_line + line_offset, ": a tag with more than ",
              kMaxAttributesPerTag, " attributes"));
        }
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Parse> ParseWithLibxml(absl::string_view input, bool html,
                                      int line_offset) {
  if (input.size() > static_cast<size_t>(INT_MAX)) {
    return absl::InvalidArgumentError(
        absl::StrCat("input of ", input.size(), " bytes is too large to read"));
  }
  if (absl::Status status = CheckAttributeCounts(input, line_offset);
      !status.ok()) {
    return status;
  }
  const int size = static_cast<int>(input.size());
  InitLibxml();
  ScopedXmlErrors errors;
  XmlParserCtxtPtr ctxt(html ? htmlNewParserCtxt() : xmlNewParserCtxt());
  if (ctxt == nullptr) {
    return absl::ResourceExhaustedError("cannot allocate a libxml2 parser");
  }
  XmlDocPtr doc(html
                    ? htmlCtxtReadMemory(ctxt.get(), input.data(), size,
                                         /*URL=*/nullptr, "UTF-8", kHtmlOptions)
                    : xmlCtxtReadMemory(ctxt.get(), input.data(), size,
                                        /*URL=*/nullptr, /*encoding=*/nullptr,
                                        kXmlOptions));
  if (const std::optional<int> line = errors.depth_exceeded_line()) {
    return absl::InvalidArgumentError(
        absl::StrCat("line ", *line + line_offset, ": nested deeper than ",
                     kMaxNestingDepth, " elements"));
  }
  return Parse{std::move(doc), ctxt->wellFormed != 0, errors.first_error()};
}

}  // namespace

absl::StatusOr<XmlDocPtr> ParseHtmlDocument(absl::string_view html,
                                            int line_offset) {
  absl::StatusOr<Parse> parse =
      ParseWithLibxml(html, /*html=*/true, line_offset);
  if (!parse.ok()) return parse.status();
  return std::move(parse->doc);
}

absl::StatusOr<XmlDocPtr> ParseXmlDocument(absl::string_view xml,
                                           absl::string_view what) {
  absl::StatusOr<Parse> parse = ParseWithLibxml(xml, /*html=*/false, 0);
  if (!parse.ok()) return parse.status();
  if (parse->doc != nullptr && parse->well_formed) return std::move(parse->doc);
  const int line =
      parse->error.has_value() ? std::max(parse->error->line, 1) : 1;
  return absl::InvalidArgumentError(absl::StrCat(
      "line ", line, ": ", what, " is not well-formed XML: ",
      parse->error.has_value() ? parse->error->message : "no document"));
}

int LineOf(const xmlNode* node) {
  const long line = xmlGetLineNo(node);
  return line > 0 && line < INT_MAX ? static_cast<int>(line) : 0;
}

bool IsElement(const xmlNode* node, absl::string_view name) {
  return node->type == XML_ELEMENT_NODE && AsView(node->name) == name;
}

std::optional<std::string> AttributeText(const xmlNode* node,
                                         absl::string_view name) {
  if (node->type != XML_ELEMENT_NODE) return std::nullopt;
  for (const xmlAttr* attribute = node->properties; attribute != nullptr;
       attribute = attribute->next) {
    if (attribute->ns != nullptr || AsView(attribute->name) != name) continue;
    std::string value;
    for (const xmlNode* child = attribute->children; child != nullptr;
         child = child->next) {
      if (child->type == XML_TEXT_NODE)
        absl::StrAppend(&value, AsView(child->content));
    }
    return value;
  }
  return std::nullopt;
}

std::string NodeText(const xmlNode* node, bool* skipped_entity) {
  std::string text;
  WalkTree(const_cast<xmlNode*>(node), [&](xmlNode* visited) {
    switch (visited->type) {
      case XML_TEXT_NODE:
      case XML_CDATA_SECTION_NODE:
        absl::StrAppend(&text, AsView(visited->content));
        return Walk::kSkipChildren;
      case XML_ENTITY_REF_NODE:
        if (skipped_entity != nullptr) *skipped_entity = true;
        return Walk::kSkipChildren;
      default:
        return Walk::kChildren;
    }
  });
  return text;
}

xmlNode* FindElement(xmlNode* root, absl::string_view name) {
  xmlNode* found = nullptr;
  WalkTree(root, [&](xmlNode* node) {
    if (!IsElement(node, name)) return Walk::kChildren;
    found = node;
    return Walk::kStop;
  });
  return found;
}

}  // namespace importai::newsletter
