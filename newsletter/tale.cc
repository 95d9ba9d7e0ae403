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

// A title as the tale gives it, without the quotes or emphasis marks around
// it or a final ":".
absl::string_view CleanTitle(absl::string_view title) {
  title = absl::StripAsciiWhitespace(title);
  absl::ConsumeSuffix(&title, ":");
  constexpr std::pair<absl::string_view, absl::string_view> kPairs[] = {
      {"\"", "\""}, {"\xE2\x80\x9C", "\xE2\x80\x9D"},
      {"\xE2\x80\x98", "\xE2\x80\x99"}, {"'", "'"}, {"*", "*"}, {"_", "_"}};
  for (const auto& [open, close] : kPairs) {
    if (title.size() > open.size() + close.size() &&
        absl::StartsWith(title, open) && absl::EndsWith(title, close)) {
      title = title.substr(open.size(),
                           title.size() - open.size() - close.size());
      break;
    }
  }
  return absl::StripAsciiWhitespace(title);
}

}  // namespace

absl::StatusOr<importai::v1::Tale> ParseTale(
    absl::Span<const Block> lines, int issue_number,
    std::vector<std::string>* warnings) {
  importai::v1::Tale tale;
  tale.set_name(absl::StrCat("issues/", issue_number, "/tale"));
  tale.set_issue_number(issue_number);

  const int first_line = lines.front().number;
  absl::Span<const Block> rest = lines;
  if (IsTechTalesHeading(rest.front().text)) {
    tale.set_title(std::string(CleanTitle(TechTalesInlineTitle(rest.front().text))));
    rest.remove_prefix(1);
  }
  if (tale.title().empty()) {
    if (rest.empty() || IsInspirationsLine(rest.front().text) ||
        IsBracketed(rest.front().text)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "issue ", issue_number, ": tale: no title (line ", first_line, ")"));
    }
    tale.set_title(std::string(CleanTitle(rest.front().text)));
    rest.remove_prefix(1);
  }
  if (!rest.empty() && IsBracketed(rest.front().text)) {
    bool closed = true;
    tale.set_setting(std::string(ParseSetting(rest.front().text, &closed)));
    if (!closed) {
      warnings->push_back(absl::StrCat("line ", rest.front().number,
                                       ": the setting's \"[\" is never "
                                       "closed; the whole line taken"));
    }
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
