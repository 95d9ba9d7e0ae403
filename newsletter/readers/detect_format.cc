#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/str_cat.h"
#include "common/limits.h"
#include "common/status_macros.h"
#include "newsletter/readers/readers.h"

namespace importai::newsletter {
namespace {

// How far into the input the markup that tells formats apart must appear.
constexpr size_t kSniffBytes = 4096;
constexpr int kSniffLines = 200;

// Markdown that no plain-text copy holds: an ATX heading, a link or image
// with an address, bold spans, front matter.
bool LooksLikeMarkdown(absl::string_view input) {
  if (absl::StartsWith(input, "---\n") || absl::StartsWith(input, "---\r\n")) {
    return true;
  }
  int lines = 0;
  for (absl::string_view line : absl::StrSplit(input, '\n')) {
    if (++lines > kSniffLines) break;
    line = absl::StripAsciiWhitespace(line);
    if (absl::StrContains(line, "](http") || absl::StrContains(line, "](/")) {
      return true;
    }
    if (absl::StartsWith(line, "# ") || absl::StartsWith(line, "## ")) {
      return true;
    }
    if (absl::StartsWith(line, "**") && line.size() > 4 &&
        line.find("**", 2) != absl::string_view::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace

v1::InputFormat DetectFormat(absl::string_view input) {
  absl::string_view head = input.substr(0, kSniffBytes);
  absl::ConsumePrefix(&head, "\xEF\xBB\xBF");  // a byte-order mark
  head = absl::StripLeadingAsciiWhitespace(head);
  const std::string lower = absl::AsciiStrToLower(head);
  if (absl::StartsWith(head, "<")) {
    if (absl::StrContains(lower, "<rss") || absl::StrContains(lower, "<feed") ||
        absl::StrContains(lower, "<rdf:rdf")) {
      return v1::INPUT_FORMAT_FEED;
    }
    return v1::INPUT_FORMAT_HTML;
  }
  if (absl::StrContains(lower, "<html") || absl::StrContains(lower, "<body") ||
      absl::StrContains(lower, "<p>")) {
    return v1::INPUT_FORMAT_HTML;
  }
  return LooksLikeMarkdown(head) ? v1::INPUT_FORMAT_MARKDOWN
                                 : v1::INPUT_FORMAT_TEXT;
}

absl::string_view FormatName(v1::InputFormat format) {
  switch (format) {
    case v1::INPUT_FORMAT_MARKDOWN:
      return "Markdown";
    case v1::INPUT_FORMAT_HTML:
      return "HTML";
    case v1::INPUT_FORMAT_FEED:
      return "RSS/Atom feed";
    default:
      return "text";
  }
}

namespace {

// RESOURCE_EXHAUSTED when `input` is over the cap of its format's reader
// (common/limits.h); the text reader takes whatever the ingest limit allows.
absl::Status CheckInputSize(absl::string_view input, v1::InputFormat format) {
  int64_t cap = 0;
  if (format == v1::INPUT_FORMAT_MARKDOWN) {
    cap = kMaxMarkdownInputBytes;
  } else if (format == v1::INPUT_FORMAT_HTML ||
             format == v1::INPUT_FORMAT_FEED) {
    cap = kMaxMarkupInputBytes;
  }
  if (cap == 0 || static_cast<int64_t>(input.size()) <= cap) {
    return absl::OkStatus();
  }
  return absl::ResourceExhaustedError(absl::StrCat(
      FormatName(format), " input of ", input.size(),
      " bytes is over the ", cap, "-byte limit for that format; send one "
      "issue (or one feed page) per request"));
}

}  // namespace

absl::StatusOr<std::vector<SourceDocument>> ReadDocuments(
    absl::string_view input, v1::InputFormat format) {
  if (format == v1::INPUT_FORMAT_UNSPECIFIED) format = DetectFormat(input);
  IMPORTAI_RETURN_IF_ERROR(CheckInputSize(input, format));
  switch (format) {
    case v1::INPUT_FORMAT_MARKDOWN:
      return ReadMarkdown(input);
    case v1::INPUT_FORMAT_HTML:
      return ReadHtml(input);
    case v1::INPUT_FORMAT_FEED:
      return ReadFeed(input);
    default:
      return ReadText(input);
  }
}

}  // namespace importai::newsletter
