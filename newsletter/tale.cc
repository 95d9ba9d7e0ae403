#include "newsletter/tale.h"

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "newsletter/markers.h"
#include "newsletter/section.h"

namespace importai::newsletter {
namespace {

void AddInspirations(absl::string_view line, importai::v1::Tale* tale) {
  const size_t colon = line.find(':');
  const absl::string_view list = colon == absl::string_view::npos
                                     ? absl::string_view()
                                     : line.substr(colon + 1);
  for (absl::string_view item : absl::StrSplit(list, ';')) {
    item = absl::StripAsciiWhitespace(item);
    absl::ConsumeSuffix(&item, ".");
    item = absl::StripAsciiWhitespace(item);
    if (!item.empty()) tale->add_inspirations(std::string(item));
  }
}

}  // namespace

bool IsTaleChunk(absl::Span<const Line> lines) {
  if (lines.empty()) return false;
  if (IsTechTalesHeading(lines.front().text)) return true;
  for (const Line& line : lines) {
    if (IsInspirationsLine(line.text)) return true;
  }
  return false;
}

absl::StatusOr<importai::v1::Tale> ParseTale(
    absl::Span<const Line> lines, int issue_number,
    std::vector<std::string>* warnings) {
  importai::v1::Tale tale;
  tale.set_name(absl::StrCat("issues/", issue_number, "/tale"));
  tale.set_issue_number(issue_number);

  const int first_line = lines.front().number;
  absl::Span<const Line> rest = lines;
  if (IsTechTalesHeading(rest.front().text)) {
    // The title may share the heading's line: "Tech Tales: The Title".
    absl::string_view inline_title = rest.front().text;
    absl::ConsumePrefix(&inline_title, "Tech Tales");
    absl::ConsumePrefix(&inline_title, ":");
    inline_title = absl::StripAsciiWhitespace(inline_title);
    if (!inline_title.empty()) tale.set_title(std::string(inline_title));
    rest.remove_prefix(1);
  }
  if (tale.title().empty()) {
    if (rest.empty() || IsInspirationsLine(rest.front().text)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "issue ", issue_number, ": tale: no title (line ", first_line, ")"));
    }
    tale.set_title(std::string(rest.front().text));
    rest.remove_prefix(1);
  }
  if (!rest.empty() && IsBracketed(rest.front().text)) {
    const absl::string_view setting = rest.front().text;
    tale.set_setting(std::string(
        absl::StripAsciiWhitespace(setting.substr(1, setting.size() - 2))));
    rest.remove_prefix(1);
  }

  size_t body_end = 0;
  while (body_end < rest.size() && !IsInspirationsLine(rest[body_end].text)) {
    ++body_end;
  }
  tale.set_body(JoinParagraphs(rest.first(body_end)));
  if (body_end == rest.size()) {
    warnings->push_back(absl::StrCat("line ", first_line, ": tale \"",
                                     Excerpt(tale.title()),
                                     "\" has no \"Things that inspired this "
                                     "story:\" line"));
    return tale;
  }
  AddInspirations(rest[body_end].text, &tale);
  if (body_end + 1 < rest.size()) {
    warnings->push_back(absl::StrCat("line ", rest[body_end + 1].number,
                                     ": text after the tale's inspirations "
                                     "ignored"));
  }
  return tale;
}

}  // namespace importai::newsletter
