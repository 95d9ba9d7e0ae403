#include "newsletter/readers/libxml_util.h"

#include <climits>
#include <mutex>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "newsletter/text.h"

namespace importai::newsletter {
namespace {

// libxml2 quotes input in some messages ("Opening and ending tag mismatch:
// <name>"); a name can be megabytes long.
constexpr size_t kMaxMessageBytes = 200;

absl::string_view AsView(const xmlChar* text) {
  return text == nullptr ? absl::string_view()
                         : absl::string_view(reinterpret_cast<const char*>(text));
}

void IgnoreGenericError(void* /*context*/, const char* /*format*/, ...) {}

}  // namespace

void InitLibxml() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
}

absl::StatusOr<int> LibxmlInputSize(absl::string_view input) {
  if (input.size() > static_cast<size_t>(INT_MAX)) {
    return absl::InvalidArgumentError(
        absl::StrCat("input of ", input.size(), " bytes is too large to read"));
  }
  return static_cast<int>(input.size());
}

ScopedXmlErrors::ScopedXmlErrors()
    : saved_structured_(xmlStructuredError),
      saved_structured_context_(xmlStructuredErrorContext),
      saved_generic_(xmlGenericError),
      saved_generic_context_(xmlGenericErrorContext) {
  xmlSetStructuredErrorFunc(this, &ScopedXmlErrors::OnError);
  xmlSetGenericErrorFunc(this, &IgnoreGenericError);
}

ScopedXmlErrors::~ScopedXmlErrors() {
  xmlSetStructuredErrorFunc(saved_structured_context_, saved_structured_);
  xmlSetGenericErrorFunc(saved_generic_context_, saved_generic_);
}

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

absl::Status NestingError(int line) {
  return absl::InvalidArgumentError(absl::StrCat(
      "line ", line, ": nested deeper than ", kMaxNestingDepth, " elements"));
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
      if (child->type == XML_TEXT_NODE) absl::StrAppend(&value, AsView(child->content));
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
