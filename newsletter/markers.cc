#include "newsletter/markers.h"

#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "newsletter/text.h"

namespace importai::newsletter {
namespace {

constexpr absl::string_view kEllipsis = "\xE2\x80\xA6";  // "…"
constexpr absl::string_view kBullet = "\xE2\x80\xA2";    // "•"
// Lines of the web page's furniture that a copy of it picks up.
constexpr absl::string_view kWebChrome[] = {
    "Import AI",        "Subscribe now",  "Subscribe",
    "Share",            "Share this post", "Leave a comment",
    "Upgrade to paid",  "Like",           "Comment",
    "Restack",          "Discussion about this post",
    "Ready for more?",  "Type your email...",
    "Type your email\xE2\x80\xA6"};
constexpr size_t kMaxFootnoteDigits = 3;
constexpr absl::string_view kImportAiSpace = "Import AI ";
// "Thanks for reading!" may carry a short Substack tail, never a paragraph.
constexpr int kMaxThanksWords = 20;
// Far above any int32, low enough never to overflow while reading digits.
constexpr int64_t kSaturatedIssueNumber = int64_t{1} << 40;

// Length of the run of "…" and "." at the start (or end) of `text`, provided
// it holds an actual ellipsis; 0 otherwise, so "etc." keeps its period.
size_t EllipsisRunLength(absl::string_view text, bool at_end) {
  size_t length = 0;
  size_t dots = 0;
  bool has_ellipsis_character = false;
  while (length < text.size()) {
    const absl::string_view rest =
        at_end ? text.substr(0, text.size() - length) : text.substr(length);
    if (at_end ? absl::EndsWith(rest, kEllipsis)
               : absl::StartsWith(rest, kEllipsis)) {
      length += kEllipsis.size();
      has_ellipsis_character = true;
    } else if ((at_end ? rest.back() : rest.front()) == '.') {
      ++length;
      ++dots;
    } else {
      break;
    }
  }
  return has_ellipsis_character || dots >= 3 ? length : 0;
}

// "[1]", "2" or "(3)" alone on a line: a footnote marker the copy split off.
bool IsFootnoteMarker(absl::string_view line) {
  if (line.size() >= 2 && ((line.front() == '[' && line.back() == ']') ||
                           (line.front() == '(' && line.back() == ')'))) {
    line = line.substr(1, line.size() - 2);
  }
  if (line.empty() || line.size() > kMaxFootnoteDigits) return false;
  for (char c : line) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

bool IsSeparatorLine(absl::string_view line) {
  char mark = 0;
  int count = 0;
  for (char c : line) {
    if (c == ' ') continue;
    if (mark == 0 && absl::string_view("*#-_=~").find(c) != absl::string_view::npos) {
      mark = c;
    }
    if (c != mark) return false;
    ++count;
  }
  // A lone "**" is a "***" that lost a star; "--" or "==" could be anything.
  return count >= 3 || (mark == '*' && count == 2);
}

bool IsBullet(absl::string_view line) {
  return absl::StartsWith(line, kBullet);
}

bool IsBoilerplateLine(absl::string_view line) {
  for (absl::string_view chrome : kWebChrome) {
    if (absl::EqualsIgnoreCase(line, chrome)) return true;
  }
  if (IsFootnoteMarker(line)) return true;
  if (absl::StartsWith(line, "Import AI publishes first on Substack")) {
    return true;
  }
  return absl::StartsWith(line, "Thanks for reading") &&
         CountWords(line) <= kMaxThanksWords;
}

bool IsWelcomeParagraph(absl::string_view line) {
  return absl::StartsWith(line, "Welcome to Import AI");
}

absl::string_view StripWelcome(absl::string_view line) {
  for (absl::string_view end : {"subscribe.", "subscribe!"}) {
    const size_t pos = line.find(end);
    if (pos != absl::string_view::npos) {
      return absl::StripAsciiWhitespace(line.substr(pos + end.size()));
    }
  }
  return absl::string_view();
}

bool EndsLikeHeading(absl::string_view line) {
  return absl::EndsWith(line, ":") || absl::EndsWith(line, "?") ||
         absl::EndsWith(line, "!");
}

bool IsDek(absl::string_view line) {
  return absl::StartsWith(line, kEllipsis) || absl::StartsWith(line, "...");
}

absl::string_view StripEllipses(absl::string_view dek) {
  dek.remove_prefix(EllipsisRunLength(dek, /*at_end=*/false));
  dek.remove_suffix(EllipsisRunLength(dek, /*at_end=*/true));
  return absl::StripAsciiWhitespace(dek);
}

SplitDek SplitDekLine(absl::string_view dek) {
  dek.remove_prefix(EllipsisRunLength(dek, /*at_end=*/false));
  // The closing ellipsis is the first one followed by a new sentence.
  for (size_t pos = 0; pos < dek.size(); ++pos) {
    const absl::string_view rest = dek.substr(pos);
    size_t mark = 0;
    if (absl::StartsWith(rest, kEllipsis)) {
      mark = kEllipsis.size();
    } else if (absl::StartsWith(rest, "...")) {
      mark = 3;
    } else {
      continue;
    }
    const absl::string_view after = rest.substr(mark);
    if (after.size() >= 2 && after[0] == ' ' &&
        !absl::ascii_islower(static_cast<unsigned char>(after[1]))) {
      return {StripEllipses(dek.substr(0, pos + mark)),
              absl::StripAsciiWhitespace(after)};
    }
    pos += mark - 1;
  }
  absl::string_view summary = StripEllipses(dek);
  if (absl::ConsumeSuffix(&summary, ":")) {
    summary = absl::StripAsciiWhitespace(summary);
  }
  return {summary, absl::string_view()};
}

bool IsWhyThisMatters(absl::string_view line) {
  return absl::StartsWith(line, "Why this matters");
}

// What follows "Tech Tales" when `line` is a Tech Tales heading: "" for the
// bare heading, else the text after its ":" or dash (maybe empty).
std::optional<absl::string_view> AfterTechTales(absl::string_view line) {
  constexpr absl::string_view kTechTales = "tech tales";
  if (line.size() < kTechTales.size() ||
      !absl::EqualsIgnoreCase(line.substr(0, kTechTales.size()), kTechTales)) {
    return std::nullopt;
  }
  absl::string_view rest =
      absl::StripLeadingAsciiWhitespace(line.substr(kTechTales.size()));
  if (rest.empty()) return rest;
  for (absl::string_view mark : {":", "-", "\xE2\x80\x93", "\xE2\x80\x94"}) {
    if (absl::ConsumePrefix(&rest, mark)) {
      return absl::StripAsciiWhitespace(rest);
    }
  }
  return std::nullopt;
}

bool IsTechTalesHeading(absl::string_view line) {
  return AfterTechTales(line).has_value();
}

absl::string_view TechTalesInlineTitle(absl::string_view line) {
  return AfterTechTales(line).value_or(absl::string_view());
}

bool IsInspirationsLine(absl::string_view line) {
  for (absl::string_view opening :
       {"things that inspired this ", "what inspired this "}) {
    if (line.size() > opening.size() &&
        absl::EqualsIgnoreCase(line.substr(0, opening.size()), opening)) {
      // "... this story:", "... this poem:": one word, then the colon.
      const absl::string_view rest = line.substr(opening.size());
      const size_t colon = rest.find(':');
      return colon != absl::string_view::npos &&
             rest.substr(0, colon).find(' ') == absl::string_view::npos;
    }
  }
  return false;
}

bool IsBracketed(absl::string_view line) {
  return line.size() >= 2 && line.front() == '[';
}

absl::string_view ParseSetting(absl::string_view line, bool* closed) {
  *closed = true;
  int depth = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '[') {
      // A second "[" that ends the line closes the first.
      if (depth == 1 && i + 1 == line.size()) {
        return absl::StripAsciiWhitespace(line.substr(1, i - 1));
      }
      ++depth;
    } else if (line[i] == ']' && --depth == 0) {
      return absl::StripAsciiWhitespace(line.substr(1, i - 1));
    }
  }
  *closed = false;
  return absl::StripAsciiWhitespace(line.substr(1));
}

bool ParseIssueHeader(absl::string_view line, IssueHeader* header) {
  if (!absl::ConsumePrefix(&line, kImportAiSpace)) return false;
  IssueHeader parsed;
  size_t i = 0;
  if (!line.empty() && (line[0] == '-' || line[0] == '+')) {
    parsed.negative = line[0] == '-';
    ++i;
  }
  const size_t digits_start = i;
  while (i < line.size() &&
         absl::ascii_isdigit(static_cast<unsigned char>(line[i]))) {
    if (parsed.number < kSaturatedIssueNumber) {
      parsed.number = parsed.number * 10 + (line[i] - '0');
    }
    ++i;
  }
  if (i == digits_start || i >= line.size() || line[i] != ':') return false;
  parsed.number_text = line.substr(0, i);
  parsed.title = absl::StripAsciiWhitespace(line.substr(i + 1));
  if (header != nullptr) *header = parsed;
  return true;
}

}  // namespace importai::newsletter
