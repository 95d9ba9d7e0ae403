#include "newsletter/section.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "newsletter/citations.h"
#include "newsletter/links.h"
#include "newsletter/markers.h"
#include "newsletter/parts.h"

namespace importai::newsletter {
namespace {

std::string SectionTitle(absl::string_view heading) {
  absl::ConsumeSuffix(&heading, ":");
  return std::string(absl::StripAsciiWhitespace(heading));
}

std::vector<int> CitedIssues(const importai::v1::Section& section) {
  std::vector<int> numbers;
  CollectCitedIssues(section.title(), &numbers);
  CollectCitedIssues(section.summary(), &numbers);
  CollectCitedIssues(section.body(), &numbers);
  for (const importai::v1::Link& link : section.links()) {
    CollectCitedIssues(link.text(), &numbers);
  }
  SortUnique(&numbers);
  return numbers;
}

}  // namespace

std::string JoinParagraphs(absl::Span<const Block> lines) {
  size_t size = 0;
  for (const Block& line : lines) size += line.text.size() + 2;
  std::string joined;
  joined.reserve(size);
  for (const Block& line : lines) {
    if (!joined.empty()) joined.append("\n\n");
    joined.append(line.text.data(), line.text.size());
  }
  return joined;
}

absl::StatusOr<importai::v1::Section> ParseSection(
    absl::Span<const Block> lines, int issue_number, int ordinal,
    std::vector<std::string>* warnings) {
  const Block& heading = lines.front();
  if (lines.size() == 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("issue ", issue_number, ": section ", ordinal,
                     ": heading \"", Excerpt(heading.text),
                     "\" is followed by no text (line ", heading.number, ")"));
  }
  const bool has_dek = IsDekBlock(lines[1], heading);
  if (!has_dek && !IsMarkedHeading(heading) && !EndsLikeHeading(heading.text)) {
    warnings->push_back(absl::StrCat(
        "line ", heading.number, ": section heading \"", Excerpt(heading.text),
        "\" inferred: no dek under it and no \":\", \"?\" or \"!\" at its "
        "end"));
  }

  importai::v1::Section section;
  section.set_name(
      absl::StrCat("issues/", issue_number, "/sections/", ordinal));
  section.set_issue_number(issue_number);
  section.set_ordinal(ordinal);
  section.set_title(SectionTitle(heading.text));

  absl::Span<const Block> rest = lines.subspan(1);
  // A dek that runs on into the body after its closing ellipsis gives the
  // body its first paragraph.
  absl::string_view run_on;
  if (has_dek) {
    const SplitDek dek = SplitDekLine(rest.front().text);
    section.set_summary(std::string(dek.summary));
    run_on = dek.run_on;
    if (!run_on.empty()) {
      warnings->push_back(absl::StrCat("line ", rest.front().number,
                                       ": text after the dek's closing "
                                       "ellipsis starts the body"));
    }
    rest.remove_prefix(1);
  }
  TrailingLinks links = ExtractTrailingLinks(rest, warnings);
  const absl::Span<const Block> body = rest.first(links.first_line);
  if (body.empty() && run_on.empty()) {
    warnings->push_back(absl::StrCat("line ", heading.number, ": section \"",
                                     Excerpt(section.title()),
                                     "\" has no body"));
  }
  std::string* body_text = section.mutable_body();
  body_text->assign(run_on.data(), run_on.size());
  if (!run_on.empty() && !body.empty()) body_text->append("\n\n");
  body_text->append(JoinParagraphs(body));
  for (const Block& line : body) {
    if (IsWhyThisMatters(line.text)) {
      section.set_why_it_matters(line.text);
      break;
    }
  }
  for (importai::v1::Link& link : links.links) {
    *section.add_links() = std::move(link);
  }
  for (int number : CitedIssues(section)) section.add_cited_issues(number);
  return section;
}

}  // namespace importai::newsletter
