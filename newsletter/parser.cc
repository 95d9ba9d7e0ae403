#include "newsletter/parser.h"

#include <cstdint>
#include <limits>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/types/span.h"
#include "newsletter/content_hash.h"
#include "newsletter/markers.h"
#include "newsletter/section.h"
#include "newsletter/tale.h"
#include "newsletter/text.h"

namespace importai::newsletter {
namespace {

constexpr int64_t kMaxIssueNumber = std::numeric_limits<int32_t>::max();
// Headings are one short line; intro paragraphs that happen to end in ":" or
// "?" are much longer, which keeps them out of the intro/heading split.
constexpr int kMaxHeadingWords = 30;

// The lines between two "***" separators.
struct Chunk {
  absl::Span<const Line> lines;
  int separator_line = 0;  // The "***" line before it (header for the first).
};

absl::Status ValidateHeader(const Line& line, const IssueHeader& header) {
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

std::vector<Chunk> SplitOnSeparators(absl::Span<const Line> lines,
                                     int header_line) {
  std::vector<Chunk> chunks;
  size_t start = 0;
  int separator_line = header_line;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!IsSectionSeparator(lines[i].text)) continue;
    chunks.push_back({lines.subspan(start, i - start), separator_line});
    start = i + 1;
    separator_line = lines[i].number;
  }
  chunks.push_back({lines.subspan(start), separator_line});
  return chunks;
}

// Index of the first section's heading in the lines that follow the by-line,
// or npos when they are all intro. A heading with a dek under it is the
// surest sign; failing that, the first short line ending in ":" or "?".
size_t FindFirstHeading(absl::Span<const Line> lines) {
  for (size_t i = 1; i < lines.size(); ++i) {
    if (IsTechTalesHeading(lines[i - 1].text)) break;
    if (IsDek(lines[i].text) && EndsLikeHeading(lines[i - 1].text) &&
        !IsWelcomeParagraph(lines[i - 1].text)) {
      return i - 1;
    }
  }
  for (size_t i = 0; i < lines.size(); ++i) {
    const absl::string_view text = lines[i].text;
    if (IsTechTalesHeading(text)) return i;
    if (EndsLikeHeading(text) && !IsWelcomeParagraph(text) &&
        CountWords(text) <= kMaxHeadingWords) {
      return i;
    }
  }
  return absl::string_view::npos;
}

// The editor's note without the welcome boilerplate; empty if that is all.
std::string BuildIntro(absl::Span<const Line> lines) {
  std::string intro;
  for (const Line& line : lines) {
    const absl::string_view text =
        IsWelcomeParagraph(line.text) ? StripWelcome(line.text) : line.text;
    if (text.empty()) continue;
    if (!intro.empty()) intro.append("\n\n");
    intro.append(text.data(), text.size());
  }
  return intro;
}

// Parses one issue copy: `lines` runs from its header to the next header.
absl::StatusOr<ParsedIssue> ParseIssue(absl::Span<const Line> lines) {
  const Line& header_line = lines.front();
  IssueHeader header;
  ParseIssueHeader(header_line.text, &header);
  if (absl::Status status = ValidateHeader(header_line, header); !status.ok()) {
    return status;
  }
  const int number = static_cast<int>(header.number);

  ParsedIssue parsed;
  parsed.line = header_line.number;
  importai::v1::Issue& issue = parsed.issue;
  issue.set_number(number);
  issue.set_title(std::string(header.title));
  SetTopics(header.title, &issue);

  std::vector<Line> content;
  content.reserve(lines.size());
  for (const Line& line : lines.subspan(1)) {
    if (!IsBoilerplateLine(line.text)) content.push_back(line);
  }
  absl::Span<const Line> rest(content);
  if (!rest.empty() &&
      ConsumeByLine(rest.front().text, issue.mutable_author())) {
    rest.remove_prefix(1);
  } else {
    parsed.warnings.push_back(
        absl::StrCat("line ", header_line.number,
                     ": no \"by AUTHOR\" line under the header"));
  }

  std::vector<Chunk> chunks = SplitOnSeparators(rest, header_line.number);
  const absl::Span<const Line> first = chunks.front().lines;
  const size_t heading = FindFirstHeading(first);
  const size_t intro_size =
      heading == absl::string_view::npos ? first.size() : heading;
  issue.set_intro(BuildIntro(first.first(intro_size)));
  chunks.front().lines = first.subspan(intro_size);

  for (size_t k = 0; k < chunks.size(); ++k) {
    const Chunk& chunk = chunks[k];
    if (chunk.lines.empty()) {
      if (k > 0) {
        parsed.warnings.push_back(absl::StrCat("line ", chunk.separator_line,
                                               ": empty section skipped"));
      }
      continue;
    }
    if (IsTaleChunk(chunk.lines)) {
      if (issue.has_tale()) {
        parsed.warnings.push_back(absl::StrCat(
            "line ", chunk.lines.front().number, ": second tale ignored"));
        continue;
      }
      absl::StatusOr<importai::v1::Tale> tale =
          ParseTale(chunk.lines, number, &parsed.warnings);
      if (!tale.ok()) return tale.status();
      *issue.mutable_tale() = *std::move(tale);
      continue;
    }
    absl::StatusOr<importai::v1::Section> section = ParseSection(
        chunk.lines, number, issue.sections_size() + 1, &parsed.warnings);
    if (!section.ok()) return section.status();
    *issue.add_sections() = *std::move(section);
  }
  if (issue.sections().empty() && !issue.has_tale()) {
    return absl::InvalidArgumentError(absl::StrCat("issue ", number,
                                                   ": no sections found (line ",
                                                   header_line.number, ")"));
  }

  // Hash before the derived fields are set: the issue is canonical as it is.
  const std::string hash = ContentHash(issue);
  issue.set_name(absl::StrCat("issues/", number));
  issue.set_section_count(issue.sections_size());
  issue.set_content_hash(hash);
  return parsed;
}

}  // namespace

absl::StatusOr<std::vector<ParsedIssue>> ParseNewsletter(
    absl::string_view text) {
  const NormalizedText normalized(text);
  const std::vector<Line>& lines = normalized.lines();

  std::vector<size_t> headers;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (ParseIssueHeader(lines[i].text)) headers.push_back(i);
  }
  if (headers.empty()) {
    return absl::InvalidArgumentError(
        "line 1: no issue header (\"Import AI N: title\") found");
  }

  std::vector<ParsedIssue> issues;
  issues.reserve(headers.size());
  for (size_t k = 0; k < headers.size(); ++k) {
    const size_t end = k + 1 < headers.size() ? headers[k + 1] : lines.size();
    absl::StatusOr<ParsedIssue> issue = ParseIssue(
        absl::MakeConstSpan(lines).subspan(headers[k], end - headers[k]));
    if (!issue.ok()) return issue.status();
    issues.push_back(*std::move(issue));
  }
  for (size_t i = 0; i < headers.front(); ++i) {
    if (!IsBoilerplateLine(lines[i].text)) {
      issues.front().warnings.insert(
          issues.front().warnings.begin(),
          absl::StrCat("line ", lines[i].number,
                       ": text before the first issue header ignored"));
      break;
    }
  }
  return issues;
}

}  // namespace importai::newsletter
