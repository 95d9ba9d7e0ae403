#include "newsletter/parser.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/types/span.h"
#include "common/status_macros.h"
#include "newsletter/content_hash.h"
#include "newsletter/markers.h"
#include "newsletter/parts.h"
#include "newsletter/readers/readers.h"
#include "newsletter/section.h"
#include "newsletter/tale.h"
#include "newsletter/text.h"
#include "absl/time/time.h"

namespace importai::newsletter {
namespace {

constexpr int64_t kMaxIssueNumber = std::numeric_limits<int32_t>::max();

absl::Status ValidateHeader(const Block& line, const IssueHeader& header) {
  if (header.negative || header.number == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "line ", line.number, ": issue number ", header.number_text,
        " is out of range (1 to ", kMaxIssueNumber, ")"));
  }
  if (header.number > kMaxIssueNumber) {
    return absl::InvalidArgumentError(absl::StrCat(
        "line ", line.number, ": issue number ", Excerpt(header.number_text),
        " is too big (at most ", kMaxIssueNumber, ")"));
  }
  if (header.title.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("line ", line.number, ": issue ", header.number,
                     " has no title after \"Import AI ", header.number, ":\""));
  }
  return absl::OkStatus();
}

void SetTopics(absl::string_view title, importai::v1::Issue* issue) {
  for (absl::string_view topic : absl::StrSplit(title, ';')) {
    topic = absl::StripAsciiWhitespace(topic);
    absl::ConsumePrefix(&topic, "and ");
    topic = absl::StripAsciiWhitespace(topic);
    if (!topic.empty()) issue->add_topics(std::string(topic));
  }
}

bool ConsumeByLine(absl::string_view line, std::string* author) {
  if (!absl::StartsWith(line, "by ") && !absl::StartsWith(line, "By ")) {
    return false;
  }
  *author = std::string(absl::StripAsciiWhitespace(line.substr(3)));
  return true;
}

// The editor's note without the welcome boilerplate; empty if that is all.
std::string BuildIntro(absl::Span<const Block> lines) {
  std::string intro;
  for (const Block& line : lines) {
    const absl::string_view text =
        IsWelcomeParagraph(line.text) ? StripWelcome(line.text) : line.text;
    if (text.empty()) continue;
    if (!intro.empty()) intro.append("\n\n");
    intro.append(text.data(), text.size());
  }
  return intro;
}

void SetSourceDetails(const SourceDocument& document,
                      importai::v1::Issue* issue) {
  issue->set_uri(document.uri);
  if (document.publish_time.has_value()) {
    const absl::Time time = *document.publish_time;
    issue->mutable_publish_time()->set_seconds(absl::ToUnixSeconds(time));
    issue->mutable_publish_time()->set_nanos(static_cast<int32_t>(
        absl::ToInt64Nanoseconds(time - absl::FromUnixSeconds(
                                            absl::ToUnixSeconds(time)))));
  }
}

// Parses one issue copy: `blocks` run from its header to the next header.
// `document` is set for the first copy of a document: what its source said
// about the issue.
absl::Status ParseIssue(absl::Span<const Block> blocks,
                        const SourceDocument* document, ParsedIssue* parsed) {
  const Block& header_block = blocks.front();
  parsed->line = header_block.number;
  IssueHeader header;
  ParseIssueHeader(header_block.text, &header);
  IMPORTAI_RETURN_IF_ERROR(ValidateHeader(header_block, header));
  const int number = static_cast<int>(header.number);
  importai::v1::Issue& issue = parsed->issue;
  issue.set_number(number);
  issue.set_title(std::string(header.title));
  SetTopics(header.title, &issue);
  if (document != nullptr) SetSourceDetails(*document, &issue);

  absl::Span<const Block> rest = blocks.subspan(1);
  if (!rest.empty() &&
      ConsumeByLine(rest.front().text, issue.mutable_author())) {
    rest.remove_prefix(1);
  } else {
    parsed->warnings.push_back(
        absl::StrCat("line ", header_block.number,
                     ": no \"by AUTHOR\" line under the header"));
  }

  const IssueParts parts = SplitIntoParts(rest, &parsed->warnings);
  issue.set_intro(BuildIntro(parts.intro));
  for (size_t k = 0; k < parts.parts.size(); ++k) {
    const absl::Span<const Block> part = parts.parts[k];
    if (!parts.is_tale[k]) {
      IMPORTAI_ASSIGN_OR_RETURN(
          *issue.add_sections(),
          ParseSection(part, number, issue.sections_size() + 1,
                       &parsed->warnings));
    } else if (issue.has_tale()) {
      parsed->warnings.push_back(absl::StrCat(
          "line ", part.front().number, ": second tale ignored"));
    } else {
      IMPORTAI_ASSIGN_OR_RETURN(*issue.mutable_tale(),
                                ParseTale(part, number, &parsed->warnings));
    }
  }
  if (issue.sections().empty() && !issue.has_tale()) {
    return absl::InvalidArgumentError(absl::StrCat("issue ", number,
                                                   ": no sections found (line ",
                                                   header_block.number, ")"));
  }

  // Hash before the derived fields are set: the issue is canonical as it is.
  const std::string hash = ContentHash(issue);
  issue.set_name(absl::StrCat("issues/", number));
  issue.set_section_count(issue.sections_size());
  issue.set_content_hash(hash);
  return absl::OkStatus();
}

// Where each issue copy of `document` starts; the source's own title stands
// in for a header when no block holds one. Drops the boilerplate blocks
// first: they mean nothing wherever they stand.
std::vector<size_t> FindHeaders(SourceDocument& document) {
  std::vector<Block>& blocks = document.blocks;
  blocks.erase(std::remove_if(blocks.begin(), blocks.end(),
                              [](const Block& block) {
                                return IsBoilerplateLine(block.text);
                              }),
               blocks.end());
  std::vector<size_t> headers;
  for (size_t i = 0; i < document.blocks.size(); ++i) {
    if (ParseIssueHeader(document.blocks[i].text)) headers.push_back(i);
  }
  if (headers.empty() && ParseIssueHeader(document.title)) {
    Block title;
    title.kind = BlockKind::kHeading;
    title.text = document.title;
    title.number = document.title_line;
    document.blocks.insert(document.blocks.begin(), std::move(title));
    headers.push_back(0);
  }
  return headers;
}

void WarnAboutTextBeforeHeader(const SourceDocument& document, size_t header,
                               ParsedIssue* first) {
  for (size_t i = 0; i < header; ++i) {
    const Block& block = document.blocks[i];
    if (block.kind != BlockKind::kRule) {
      first->warnings.insert(
          first->warnings.begin(),
          absl::StrCat("line ", block.number,
                       ": text before the first issue header ignored"));
      return;
    }
  }
}

// Parses every issue copy of `document`, appending them to `issues`. A
// document holding none (a feed item that is not an issue) is one rejected
// copy when it is one of several, so that it is not lost silently.
void ParseDocument(SourceDocument& document, bool one_of_several,
                   std::vector<ParsedIssue>* issues) {
  const std::vector<size_t> headers = FindHeaders(document);
  if (headers.empty()) {
    if (!one_of_several) return;
    ParsedIssue& rejected = issues->emplace_back();
    rejected.line = document.title_line;
    rejected.status = absl::InvalidArgumentError(absl::StrCat(
        "line ", document.title_line, ": \"", Excerpt(document.title),
        "\" holds no issue header (\"Import AI N: title\")"));
    return;
  }
  const absl::Span<const Block> blocks(document.blocks);
  for (size_t k = 0; k < headers.size(); ++k) {
    const size_t end =
        k + 1 < headers.size() ? headers[k + 1] : document.blocks.size();
    ParsedIssue& parsed = issues->emplace_back();
    if (k == 0) {
      parsed.warnings = document.warnings;
      WarnAboutTextBeforeHeader(document, headers[0], &parsed);
    }
    parsed.status =
        ParseIssue(blocks.subspan(headers[k], end - headers[k]),
                   k == 0 ? &document : nullptr, &parsed);
    if (!parsed.status.ok()) {
      const int number = parsed.issue.number();
      parsed.issue.Clear();
      parsed.issue.set_number(number);
    }
  }
}

}  // namespace

absl::StatusOr<std::vector<ParsedIssue>> ParseNewsletter(
    absl::string_view text, v1::InputFormat format) {
  const v1::InputFormat read_as = format == v1::INPUT_FORMAT_UNSPECIFIED
                                      ? DetectFormat(text)
                                      : format;
  IMPORTAI_ASSIGN_OR_RETURN(std::vector<SourceDocument> documents,
                            ReadDocuments(text, read_as));
  std::vector<ParsedIssue> issues;
  for (SourceDocument& document : documents) {
    ParseDocument(document, documents.size() > 1, &issues);
  }
  if (issues.empty()) {
    return absl::InvalidArgumentError(
        "line 1: no issue header (\"Import AI N: title\") found");
  }
  if (format == v1::INPUT_FORMAT_UNSPECIFIED) {
    const std::string detected = absl::StrCat(
        "line 1: read as ", FormatName(read_as), " (detected from the content)");
    for (ParsedIssue& issue : issues) {
      issue.warnings.insert(issue.warnings.begin(), detected);
    }
  }
  return issues;
}

}  // namespace importai::newsletter
