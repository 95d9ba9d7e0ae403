#include "newsletter/markers.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "newsletter/text.h"

namespace importai::newsletter {
namespace {

constexpr absl::string_view kEllipsis = "\xE2\x80\xA6";  // "…"
constexpr absl::string_view kImportAiSpace = "Import AI ";
// "Thanks for reading!" may carry a short Substack tail, never a paragraph.
constexpr int kMaxThanksWords = 20;
constexpr size_t kMaxExcerptBytes = 60;
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

}  // namespace

bool IsSectionSeparator(absl::string_view line) {
  int stars = 0;
  for (char c : line) {
    if (c == '*') {
      ++stars;
    } else if (c != ' ') {
      return false;
    }
  }
  return stars >= 3;
}

bool IsBoilerplateLine(absl::string_view line) {
  if (line == "Import AI" || absl::EqualsIgnoreCase(line, "Subscribe now")) {
    return true;
  }
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
  return absl::EndsWith(line, ":") || absl::EndsWith(line, "?");
}

bool IsDek(absl::string_view line) {
  return absl::StartsWith(line, kEllipsis) || absl::StartsWith(line, "...");
}

absl::string_view StripEllipses(absl::string_view dek) {
  dek.remove_prefix(EllipsisRunLength(dek, /*at_end=*/false));
  dek.remove_suffix(EllipsisRunLength(dek, /*at_end=*/true));
  return absl::StripAsciiWhitespace(dek);
}

bool IsWhyThisMatters(absl::string_view line) {
  return absl::StartsWith(line, "Why this matters");
}

bool IsTechTalesHeading(absl::string_view line) {
  return absl::StartsWith(line, "Tech Tales:") || line == "Tech Tales";
}

bool IsInspirationsLine(absl::string_view line) {
  return absl::StartsWith(line, "Things that inspired this story");
}

bool IsBracketed(absl::string_view line) {
  return line.size() >= 2 && line.front() == '[' && line.back() == ']';
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

std::string Excerpt(absl::string_view text) {
  if (text.size() <= kMaxExcerptBytes) return std::string(text);
  size_t end = text.rfind(' ', kMaxExcerptBytes);
  if (end == absl::string_view::npos || end == 0) {
    // No word boundary: cut before a character, never inside one.
    end = kMaxExcerptBytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
      --end;
    }
  }
  return absl::StrCat(text.substr(0, end), "...");
}

}  // namespace importai::newsletter
