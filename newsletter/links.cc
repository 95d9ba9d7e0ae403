#include "newsletter/links.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace importai::newsletter {
namespace {

// Longest lead seen in practice is 13 words ("Try out a web demo to get
// a feel for how this works"); body sentences that end in a parenthesis are
// much longer, which is what keeps them out.
constexpr int kMaxLeadWords = 16;
constexpr int kMaxTitleWords = 40;
constexpr absl::string_view kBullet = "\xE2\x80\xA2";

// Index of the "(" matching the ")" that ends `text`, or npos.
size_t FindFinalParenthesisOpen(absl::string_view text) {
  int depth = 0;
  for (size_t i = text.size(); i > 0; --i) {
    const char c = text[i - 1];
    if (c == ')') {
      ++depth;
    } else if (c == '(' && --depth == 0) {
      return i - 1;
    }
  }
  return absl::string_view::npos;
}

// A glued title starts with a capital, a digit or a non-ASCII character such
// as a curly quote; a lowercase letter means the word merely goes on.
bool CanStartGluedTitle(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return absl::ascii_isupper(byte) || absl::ascii_isdigit(byte) ||
         byte >= 0x80 || c == '"' || c == '\'';
}

// Where a title glued to "more" or "here" starts inside `lead_region`
// ("Read moreEmu3", "Get the models hereIntroducing"), or npos.
size_t FindGluedTitle(absl::string_view lead_region) {
  size_t best = absl::string_view::npos;
  for (absl::string_view word :
       {absl::string_view("more"), absl::string_view("here")}) {
    for (size_t pos = lead_region.find(word); pos != absl::string_view::npos;
         pos = lead_region.find(word, pos + 1)) {
      const size_t title_start = pos + word.size();
      if (pos > 0 && lead_region[pos - 1] == ' ' &&
          title_start < lead_region.size() &&
          CanStartGluedTitle(lead_region[title_start])) {
        best = std::min(best, title_start);
        break;
      }
    }
  }
  return best;
}

bool HasSentenceBreak(absl::string_view text) {
  return absl::StrContains(text, ". ") || absl::StrContains(text, "? ") ||
         absl::StrContains(text, "! ");
}

bool StartsWithLowercase(absl::string_view text) {
  return !text.empty() &&
         absl::ascii_islower(static_cast<unsigned char>(text[0]));
}

// A line that a link line may have wrapped from: a short phrase that does not
// end a sentence or a clause.
bool CanBeWrappedLinkStart(absl::string_view text) {
  if (text.empty() || CountWords(text) > kMaxLeadWords) return false;
  constexpr absl::string_view kClauseEnds[] = {
      ".", "!", "?", ":", ";", ")", "\"", "\xE2\x80\x9D", "\xE2\x80\xA6"};
  for (absl::string_view end : kClauseEnds) {
    if (absl::EndsWith(text, end)) return false;
  }
  return !ParseLinkLine(text).has_value();
}

}  // namespace

std::optional<importai::v1::Link> ParseLinkLine(absl::string_view line,
                                                bool* glued) {
  if (line.empty() || absl::StartsWith(line, "Why this matters") ||
      absl::StartsWith(line, kBullet)) {
    return std::nullopt;
  }
  // A "." after the closing parenthesis is not part of anything.
  absl::string_view core = line;
  if (absl::EndsWith(core, ").")) core.remove_suffix(1);

  absl::string_view before = core;
  absl::string_view source;
  if (absl::EndsWith(core, ")")) {
    const size_t open = FindFinalParenthesisOpen(core);
    if (open != absl::string_view::npos) {
      source = absl::StripAsciiWhitespace(
          core.substr(open + 1, core.size() - open - 2));
      before = absl::StripAsciiWhitespace(core.substr(0, open));
    }
  } else {
    absl::ConsumeSuffix(&before, ".");
  }

  // The lead ends at the first ": " (or a final ":"), unless a title is glued
  // to it before that.
  size_t colon = before.find(": ");
  size_t title_start =
      colon == absl::string_view::npos ? before.size() : colon + 2;
  if (colon == absl::string_view::npos && absl::EndsWith(before, ":")) {
    colon = before.size() - 1;
    title_start = before.size();
  }
  const absl::string_view lead_region =
      colon == absl::string_view::npos ? before : before.substr(0, colon);
  const size_t glue = FindGluedTitle(lead_region);
  absl::string_view lead = lead_region;
  absl::string_view title = before.substr(title_start);
  if (glue != absl::string_view::npos) {
    lead = before.substr(0, glue);
    title = before.substr(glue);
  }
  lead = absl::StripAsciiWhitespace(lead);
  title = absl::StripAsciiWhitespace(title);

  if (lead.empty() || CountWords(lead) > kMaxLeadWords ||
      HasSentenceBreak(lead) || CountWords(title) > kMaxTitleWords) {
    return std::nullopt;
  }
  if (source.empty() && !absl::StartsWith(lead, "Read") &&
      !ContainsWord(lead, "here")) {
    return std::nullopt;
  }

  importai::v1::Link link;
  if (glue != absl::string_view::npos) {
    // `before` starts where `line` does, so `glue` indexes both.
    link.set_text(absl::StrCat(line.substr(0, glue), ": ", line.substr(glue)));
  } else {
    link.set_text(std::string(line));
  }
  link.set_lead(std::string(lead));
  link.set_title(std::string(title));
  link.set_source(std::string(source));
  if (glued != nullptr) *glued = glue != absl::string_view::npos;
  return link;
}

TrailingLinks ExtractTrailingLinks(absl::Span<const Line> lines,
                                   std::vector<std::string>* warnings) {
  TrailingLinks result;
  // Collected backwards like the links, then reported in reading order.
  std::vector<std::string> notes;
  size_t end = lines.size();
  std::string joined;
  while (end > 0) {
    const Line& last = lines[end - 1];
    bool glued = false;
    std::optional<importai::v1::Link> link;
    size_t consumed = 1;
    if (end >= 2 && StartsWithLowercase(last.text) &&
        CanBeWrappedLinkStart(lines[end - 2].text)) {
      joined = absl::StrCat(lines[end - 2].text, " ", last.text);
      link = ParseLinkLine(joined, &glued);
      if (link.has_value()) {
        consumed = 2;
        notes.push_back(absl::StrCat("line ", lines[end - 2].number,
                                     ": link line wrapped onto line ",
                                     last.number, "; joined"));
      }
    }
    if (!link.has_value()) link = ParseLinkLine(last.text, &glued);
    if (!link.has_value()) break;
    if (glued) {
      notes.push_back(absl::StrCat("line ", lines[end - consumed].number,
                                   ": link title glued to its lead \"",
                                   link->lead(), "\"; split"));
    }
    result.links.push_back(*std::move(link));
    end -= consumed;
  }
  std::reverse(result.links.begin(), result.links.end());
  warnings->insert(warnings->end(), notes.rbegin(), notes.rend());
  result.first_line = end;
  return result;
}

}  // namespace importai::newsletter
