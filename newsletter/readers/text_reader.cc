// The plain-text front end: a copy of the web page (a paragraph a line) or an
// email hard-wrapped at a fixed width (paragraphs across lines, a blank line
// between them).

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "newsletter/links.h"
#include "newsletter/markers.h"
#include "newsletter/readers/readers.h"
#include "newsletter/text.h"

namespace importai::newsletter {
namespace {

// A text counts as hard-wrapped when its lines are no wider than mail
// clients wrap (a page copy's paragraphs are longer), bar a few long link
// lines...
constexpr int kMaxWrapWidth = 80;
constexpr int kMinWrapWidth = 60;
constexpr double kMaxShareOverWidth = 0.02;
// ...and many of its lines run on into the next: full to within this many
// characters of the width, followed by a line that continues the paragraph.
constexpr int kFullLineSlack = 12;
constexpr double kMinShareRunningOn = 0.2;

int CountCharacters(absl::string_view text) {
  int count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

absl::string_view FirstWord(absl::string_view text) {
  return text.substr(0, std::min(text.find(' '), text.size()));
}

// Lines that start a block of their own even inside a wrapped paragraph:
// the newsletter's markers never continue the line before them.
bool StartsBlock(absl::string_view line) {
  return IsDek(line) || IsBullet(line) || IsWhyThisMatters(line) ||
         IsTechTalesHeading(line) || IsInspirationsLine(line) ||
         ParseIssueHeader(line) || IsBracketed(line) ||
         ParseLinkLine(line).has_value();
}

struct RawLine {
  absl::string_view text;  // normalized; empty for a blank line
  int number = 0;
  bool rule = false;
};

// The wrap width of a hard-wrapped text, or 0 when its lines are paragraphs.
int WrapWidth(const std::vector<RawLine>& lines) {
  int widest = 0;
  int over = 0;
  int text_lines = 0;
  for (const RawLine& line : lines) {
    if (line.text.empty() || line.rule) continue;
    const int width = CountCharacters(line.text);
    ++text_lines;
    if (width > kMaxWrapWidth) {
      ++over;
    } else {
      widest = std::max(widest, width);
    }
  }
  if (widest < kMinWrapWidth || over > kMaxShareOverWidth * text_lines) {
    return 0;
  }
  int running_on = 0;
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    const RawLine& line = lines[i];
    const RawLine& next = lines[i + 1];
    if (!line.text.empty() && !line.rule && !next.text.empty() && !next.rule &&
        CountCharacters(line.text) >= widest - kFullLineSlack &&
        !StartsBlock(next.text)) {
      ++running_on;
    }
  }
  return running_on >= kMinShareRunningOn * text_lines ? widest : 0;
}

// In a wrapped text, a line break inside a paragraph was the author's when
// the next line's first word would have fitted on the line before it, with
// room to spare (wrappers leave a ragged edge), or when the next line starts
// a block of its own. A one-line paragraph that ends like a heading is one.
bool IsDeliberateBreak(absl::string_view paragraph, absl::string_view before,
                       absl::string_view next, int width) {
  const int needed =
      CountCharacters(before) + 1 + CountCharacters(FirstWord(next));
  return needed <= width - kFullLineSlack || StartsBlock(next) ||
         (paragraph.size() == before.size() && EndsLikeHeading(before));
}

void AddParagraph(std::string text, int number, SourceDocument* document) {
  Block& block = document->blocks.emplace_back();
  block.text = std::move(text);
  block.number = number;
  if (IsBullet(block.text)) block.kind = BlockKind::kListItem;
}

}  // namespace

absl::StatusOr<std::vector<SourceDocument>> ReadText(absl::string_view input) {
  const NormalizedText normalized(input, /*keep_blank_lines=*/true);
  std::vector<RawLine> lines;
  lines.reserve(normalized.lines().size());
  for (const Line& line : normalized.lines()) {
    lines.push_back({line.text, line.number, IsSeparatorLine(line.text)});
  }
  const int width = WrapWidth(lines);

  std::vector<SourceDocument> documents(1);
  SourceDocument& document = documents.front();
  document.blocks.reserve(lines.size());
  std::string paragraph;
  int paragraph_line = 0;
  absl::string_view previous_line;  // the paragraph's last line
  auto flush = [&] {
    if (!paragraph.empty()) {
      AddParagraph(std::move(paragraph), paragraph_line, &document);
    }
    paragraph.clear();
  };
  for (const RawLine& line : lines) {
    if (line.text.empty()) {
      flush();
      continue;
    }
    if (line.rule) {
      flush();
      Block& rule = document.blocks.emplace_back();
      rule.kind = BlockKind::kRule;
      rule.number = line.number;
      continue;
    }
    if (!paragraph.empty() &&
        (width == 0 ||
         IsDeliberateBreak(paragraph, previous_line, line.text, width))) {
      flush();
    }
    if (paragraph.empty()) {
      paragraph_line = line.number;
    } else {
      paragraph.push_back(' ');
    }
    paragraph.append(line.text.data(), line.text.size());
    previous_line = line.text;
  }
  flush();
  return documents;
}

}  // namespace importai::newsletter
