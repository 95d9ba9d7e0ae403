#include "newsletter/parts.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "newsletter/markers.h"
#include "newsletter/text.h"

namespace importai::newsletter {
namespace {

// Headings are one short line; intro paragraphs that happen to end in ":" or
// "?" are much longer, which keeps them out of the intro/heading split.
constexpr int kMaxHeadingWords = 30;

using Blocks = absl::Span<const Block>;

// A block that may head a section found without a separator before it (it
// has a dek under it): anything but a sentence, which ends in "." or the
// like; a heading ends in a word or ":", "?" or "!".
bool CanHeadInferredSection(const Block& block) {
  if (IsMarkedHeading(block) || EndsLikeHeading(block.text)) return true;
  const char last = block.text.empty() ? '.' : block.text.back();
  return absl::ascii_isalnum(static_cast<unsigned char>(last));
}

bool IsHeadingWithDek(Blocks blocks, size_t i) {
  return i + 1 < blocks.size() && !IsDek(blocks[i].text) &&
         IsDekBlock(blocks[i + 1], blocks[i]) &&
         !IsWelcomeParagraph(blocks[i].text);
}

// Index of the first section's heading in the first part, or its size when
// it is all intro. A heading with a dek under it is the surest sign; then a
// heading the source marked; failing those, the first short line ending in
// ":" or "?".
size_t FindFirstHeading(Blocks blocks) {
  for (size_t i = 0; i < blocks.size(); ++i) {
    if (IsTechTalesHeading(blocks[i].text)) break;
    if (IsHeadingWithDek(blocks, i)) return i;
  }
  for (size_t i = 0; i < blocks.size(); ++i) {
    const Block& block = blocks[i];
    if (IsTechTalesHeading(block.text) || block.kind == BlockKind::kHeading) {
      return i;
    }
    const bool ends_like_heading = absl::EndsWith(block.text, ":") ||
                                   absl::EndsWith(block.text, "?");
    if ((ends_like_heading || IsMarkedHeading(block)) &&
        !IsWelcomeParagraph(block.text) &&
        CountWords(block.text) <= kMaxHeadingWords) {
      return i;
    }
  }
  return blocks.size();
}

// The parts of one stretch between separators: a new part starts at a Tech
// Tales heading and, outside the tale, at a heading element or a heading with
// its dek, each reported as a missing separator.
void SplitChunk(Blocks chunk, IssueParts* parts,
                std::vector<std::string>* warnings) {
  size_t start = 0;
  bool in_tale = !chunk.empty() && IsTechTalesHeading(chunk.front().text);
  for (size_t i = 1; i < chunk.size(); ++i) {
    const Block& block = chunk[i];
    if (in_tale) break;
    if (IsTechTalesHeading(block.text)) {
      warnings->push_back(absl::StrCat("line ", block.number,
                                       ": no separator before \"",
                                       Excerpt(block.text),
                                       "\"; the tale starts here"));
      in_tale = true;
    } else if (block.kind == BlockKind::kHeading ||
               (IsHeadingWithDek(chunk, i) && CanHeadInferredSection(block))) {
      warnings->push_back(absl::StrCat(
          "line ", block.number, ": no separator before section heading \"",
          Excerpt(block.text), "\"; a new section starts here"));
    } else {
      continue;
    }
    parts->parts.push_back(chunk.subspan(start, i - start));
    start = i;
  }
  parts->parts.push_back(chunk.subspan(start));
}

bool HasInspirationsLine(Blocks part) {
  for (const Block& block : part) {
    if (IsInspirationsLine(block.text)) return true;
  }
  return false;
}

// Whether `part` is the tale, warning when that was inferred (no heading).
bool ClassifyTale(Blocks part, bool is_last,
                  std::vector<std::string>* warnings) {
  if (IsTechTalesHeading(part.front().text)) return true;
  const char* evidence = nullptr;
  if (HasInspirationsLine(part)) {
    evidence = "its \"Things that inspired this story\" line";
  } else if (is_last && part.size() > 2 && IsBracketed(part[1].text)) {
    evidence = "its bracketed setting line";
  } else {
    return false;
  }
  warnings->push_back(absl::StrCat("line ", part.front().number,
                                   ": tale \"", Excerpt(part.front().text),
                                   "\" has no \"Tech Tales\" heading; found by ",
                                   evidence));
  return true;
}

}  // namespace

bool IsMarkedHeading(const Block& block) {
  return block.kind == BlockKind::kHeading ||
         (block.kind == BlockKind::kParagraph &&
          block.emphasis == Emphasis::kStrong);
}

bool IsDekBlock(const Block& block, const Block& after) {
  if (block.kind != BlockKind::kParagraph) return false;
  return IsDek(block.text) ||
         (block.emphasis == Emphasis::kItalic && IsMarkedHeading(after));
}

IssueParts SplitIntoParts(absl::Span<const Block> blocks,
                          std::vector<std::string>* warnings) {
  IssueParts parts;
  std::vector<Blocks> chunks;
  std::vector<int> separator_lines;  // the rule before each chunk
  size_t start = 0;
  int separator_line = 0;
  for (size_t i = 0; i <= blocks.size(); ++i) {
    if (i < blocks.size() && blocks[i].kind != BlockKind::kRule) continue;
    chunks.push_back(blocks.subspan(start, i - start));
    separator_lines.push_back(separator_line);
    if (i < blocks.size()) separator_line = blocks[i].number;
    start = i + 1;
  }

  const size_t heading = FindFirstHeading(chunks.front());
  parts.intro = chunks.front().first(heading);
  chunks.front().remove_prefix(heading);

  for (size_t k = 0; k < chunks.size(); ++k) {
    if (chunks[k].empty()) {
      if (k > 0) {
        warnings->push_back(absl::StrCat("line ", separator_lines[k],
                                         ": empty section skipped"));
      }
      continue;
    }
    SplitChunk(chunks[k], &parts, warnings);
  }
  for (size_t k = 0; k < parts.parts.size(); ++k) {
    parts.is_tale.push_back(ClassifyTale(
        parts.parts[k], k + 1 == parts.parts.size(), warnings));
  }
  return parts;
}

}  // namespace importai::newsletter
