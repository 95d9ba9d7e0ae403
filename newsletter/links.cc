#include "newsletter/links.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "newsletter/text.h"

namespace importai::newsletter {
namespace {

constexpr absl::string_view kBullet = "\xE2\x80\xA2";
// Words a link line's lead opens with: what the reader is invited to do.
constexpr absl::string_view kLinkVerbs[] = {
    "Read",  "Check",  "Get",    "Find",   "Watch",  "Access", "Download",
    "Try",   "See",    "View",   "Explore", "Listen", "Play",  "Visit",
    "Learn", "Sign",   "Apply",  "Join",   "Register", "Grab", "Browse", "More"};
// Words a sentence opens with that a link's lead never does.
constexpr absl::string_view kSubjectPronouns[] = {
    "I", "We", "You", "It", "It's", "It\xE2\x80\x99s", "They", "He", "She",
    "This", "That", "These", "Those", "There", "My", "Our"};

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

absl::string_view FirstWordOf(absl::string_view text) {
  return text.substr(0, std::min(text.find(' '), text.size()));
}

bool OpensWithOneOf(absl::string_view text,
                    absl::Span<const absl::string_view> words) {
  const absl::string_view first = FirstWordOf(text);
  return std::find(words.begin(), words.end(), first) != words.end();
}

// "(arXiv)", "(Meta, PDF)": a name, not an aside such as "(mostly)" or a
// citation such as "(Import AI #349)".
bool IsSourceName(absl::string_view source) {
  if (source.empty() || absl::StartsWith(source, "Import AI") ||
      absl::StartsWith(source, "#")) {
    return false;
  }
  for (char c : FirstWordOf(source)) {
    const auto byte = static_cast<unsigned char>(c);
    if (absl::ascii_isupper(byte) || absl::ascii_isdigit(byte) || byte >= 0x80) {
      return true;
    }
  }
  return false;
}

bool StartsWithLowercase(absl::string_view text) {
  return !text.empty() &&
         absl::ascii_islower(static_cast<unsigned char>(text[0]));
}

// A line that a link line may have wrapped from: a short phrase that does not
// end a sentence or a clause.
bool CanBeWrappedLinkStart(absl::string_view text) {
  if (text.empty() || HasSentenceBreak(text)) return false;
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

  if (lead.empty() || HasSentenceBreak(lead) ||
      OpensWithOneOf(lead, kSubjectPronouns)) {
    return std::nullopt;
  }
  const bool titled = glue != absl::string_view::npos ||
                      (colon != absl::string_view::npos && !title.empty());
  const bool points_here = ContainsWord(lead, "here");
  const bool invites =
      OpensWithOneOf(lead, kLinkVerbs) && (titled || !source.empty());
  if (!points_here && !invites && !(titled && IsSourceName(source))) {
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

// The address the block gives for the link's title, else its first one.
std::string FindUri(const Block& block, const importai::v1::Link& link) {
  if (block.links.empty()) return std::string();
  const size_t title = link.title().empty()
                           ? absl::string_view::npos
                           : block.text.find(link.title());
  for (const InlineLink& inline_link : block.links) {
    if (title != absl::string_view::npos && inline_link.begin < title + link.title().size() &&
        inline_link.end > title) {
      return inline_link.uri;
    }
  }
  return block.links.front().uri;
}

TrailingLinks ExtractTrailingLinks(absl::Span<const Block> lines,
                                   std::vector<std::string>* warnings) {
  TrailingLinks result;
  // Collected backwards like the links, then reported in reading order.
  std::vector<std::string> notes;
  size_t end = lines.size();
  std::string joined;
  while (end > 0) {
    const Block& last = lines[end - 1];
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
    std::string uri = FindUri(last, *link);
    if (uri.empty() && consumed == 2) uri = FindUri(lines[end - 2], *link);
    link->set_uri(std::move(uri));
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
