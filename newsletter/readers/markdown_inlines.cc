#include "newsletter/readers/markdown_inlines.h"

#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "newsletter/text.h"

namespace importai::newsletter {
namespace {

// ---------------------------------------------------------------------------
// Stray delimiter repair.
//
// HTML-to-Markdown converters write "<strong>Heading:<br></strong>" as
// "**Heading:  \n**", the closing "**" after the hard break. CommonMark cannot
// close a span there (a closer must not follow whitespace), so cmark leaves
// both "**" as literal text. When a line opens with such a literal delimiter
// and the next line opens with the same one (its closer), the first line was
// emphasized throughout: the two delimiters are stripped and the line gets
// that emphasis. The same holds for a line opening and ending with a literal
// delimiter when whitespace before the closer kept it literal ("**Heading:
// **").
// ---------------------------------------------------------------------------

// A literal run of one emphasis delimiter character in a line.
struct Delimiter {
  char c = 0;
  size_t length = 0;  // 1-3.
  size_t run = 0;     // Index of the InlineRun holding it.
  size_t offset = 0;  // Where it starts in that run's text.
};

bool IsDelimiterChar(char c) { return c == '*' || c == '_'; }

// Strong for "**"/"__"; emph for one, and for three (CommonMark nests
// "***a***" as emph around strong, and the outer span counts).
Emphasis DelimiterEmphasis(const Delimiter& delimiter) {
  return delimiter.length == 2 ? Emphasis::kStrong : Emphasis::kItalic;
}

// Index of the first (or last) run of `line` with non-blank text.
std::optional<size_t> FirstTextRun(const InlineLine& line) {
  for (size_t i = 0; i < line.runs.size(); ++i) {
    if (!absl::StripAsciiWhitespace(line.runs[i].text).empty()) return i;
  }
  return std::nullopt;
}

std::optional<size_t> LastTextRun(const InlineLine& line) {
  for (size_t i = line.runs.size(); i > 0; --i) {
    if (!absl::StripAsciiWhitespace(line.runs[i - 1].text).empty()) {
      return i - 1;
    }
  }
  return std::nullopt;
}

// The literal delimiter a line opens with: up to three '*' or '_' starting
// its text, outside every emphasis span (inside one, cmark matched it).
std::optional<Delimiter> LeadingDelimiter(const InlineLine& line) {
  const std::optional<size_t> run = FirstTextRun(line);
  if (!run.has_value() || line.runs[*run].span != nullptr) return std::nullopt;
  const absl::string_view text = line.runs[*run].text;
  const size_t begin =
      text.size() - absl::StripLeadingAsciiWhitespace(text).size();
  const char c = text[begin];
  if (!IsDelimiterChar(c)) return std::nullopt;
  size_t end = begin;
  while (end < text.size() && text[end] == c) ++end;
  if (end - begin > 3) return std::nullopt;
  return Delimiter{c, end - begin, *run, begin};
}

// The literal delimiter a line ends with, when whitespace before it is what
// kept CommonMark from closing a span with it ("**Heading: **").
std::optional<Delimiter> TrailingDelimiter(const InlineLine& line) {
  const std::optional<size_t> run = LastTextRun(line);
  if (!run.has_value() || line.runs[*run].span != nullptr) return std::nullopt;
  const absl::string_view text =
      absl::StripTrailingAsciiWhitespace(line.runs[*run].text);
  const char c = text.back();
  if (!IsDelimiterChar(c)) return std::nullopt;
  size_t begin = text.size();
  while (begin > 0 && text[begin - 1] == c) --begin;
  if (text.size() - begin > 3 || begin == 0 ||
      !absl::ascii_isspace(static_cast<unsigned char>(text[begin - 1]))) {
    return std::nullopt;
  }
  return Delimiter{c, text.size() - begin, *run, begin};
}

// True if literal text of `line` after `opener` holds another run of the
// opener's delimiter that CommonMark could have used: then the opener may be
// meant literally ("**kwargs and **options"), not left over from a broken
// span. An '_' inside a word ("snake_case") never delimits, so it does not
// count.
bool HoldsAnotherDelimiter(const InlineLine& line, const Delimiter& opener) {
  const std::string run_of(opener.length, opener.c);
  for (size_t r = opener.run; r < line.runs.size(); ++r) {
    if (line.runs[r].span != nullptr) continue;
    absl::string_view text = line.runs[r].text;
    if (r == opener.run) text.remove_prefix(opener.offset + opener.length);
    for (size_t at = text.find(run_of); at != absl::string_view::npos;
         at = text.find(run_of, at + opener.length)) {
      const size_t after = at + opener.length;
      const bool in_word =
          opener.c == '_' && at > 0 && after < text.size() &&
          absl::ascii_isalnum(static_cast<unsigned char>(text[at - 1])) &&
          absl::ascii_isalnum(static_cast<unsigned char>(text[after]));
      if (!in_word) return true;
    }
  }
  return false;
}

// Removes `length` delimiter characters at `delimiter` from `line`, and the
// whitespace before them (only whitespace can precede a leading one).
void StripLeading(const Delimiter& delimiter, size_t length, InlineLine* line) {
  absl::string_view& text = line->runs[delimiter.run].text;
  text.remove_prefix(delimiter.offset + length);
}

void StripTrailing(const Delimiter& delimiter, InlineLine* line) {
  absl::string_view& text = line->runs[delimiter.run].text;
  text = text.substr(0, delimiter.offset);
}

// Repairs the lines in order, so that a line whose opening closer was just
// stripped ("**_…dek…" after "**Heading:") is looked at for its own opener.
// Returns each line's emphasis as repaired (kNone: not repaired).
std::vector<Emphasis> RepairStrayDelimiters(std::vector<InlineLine>* lines) {
  std::vector<Emphasis> repaired(lines->size(), Emphasis::kNone);
  for (size_t i = 0; i < lines->size(); ++i) {
    InlineLine& line = (*lines)[i];
    const std::optional<Delimiter> opener = LeadingDelimiter(line);
    if (!opener.has_value()) continue;
    if (i + 1 < lines->size()) {
      const std::optional<Delimiter> closer = LeadingDelimiter((*lines)[i + 1]);
      if (closer.has_value() && closer->c == opener->c &&
          closer->length >= opener->length &&
          !HoldsAnotherDelimiter(line, *opener)) {
        StripLeading(*opener, opener->length, &line);
        StripLeading(*closer, opener->length, &(*lines)[i + 1]);
        repaired[i] = DelimiterEmphasis(*opener);
        continue;
      }
    }
    const std::optional<Delimiter> closer = TrailingDelimiter(line);
    if (closer.has_value() && closer->c == opener->c &&
        closer->length == opener->length &&
        (closer->run > opener->run ||
         closer->offset >= opener->offset + opener->length)) {
      StripTrailing(*closer, &line);  // First: it may share the opener's run.
      StripLeading(*opener, opener->length, &line);
      repaired[i] = DelimiterEmphasis(*opener);
    }
  }
  return repaired;
}

// ---------------------------------------------------------------------------
// Normalization and block building.
// ---------------------------------------------------------------------------

// A run normalized on its own, with whether whitespace stood at its ends
// (which decides if a space separates it from its neighbours).
struct Piece {
  std::string text;
  bool space_before = false;
  bool space_after = false;
  int link = -1;
  const void* span = nullptr;
  Emphasis emphasis = Emphasis::kNone;
};

Piece NormalizeRun(const InlineRun& run) {
  // Framed between two letters, the whitespace at the run's ends survives
  // NormalizeWhitespace's trimming as one space each.
  const std::string framed =
      NormalizeWhitespace(absl::StrCat("x", run.text, "x"));
  Piece piece;
  piece.link = run.link;
  piece.span = run.span;
  piece.emphasis = run.emphasis;
  piece.space_before = framed[1] == ' ';
  piece.space_after = framed.size() > 2 && framed[framed.size() - 2] == ' ';
  if (framed.size() > 3 || !piece.space_before) {
    const size_t begin = 1 + piece.space_before;
    piece.text =
        framed.substr(begin, framed.size() - 1 - piece.space_after - begin);
  }
  return piece;
}

struct NormalizedLine {
  std::vector<Piece> pieces;
  int number = 0;
  bool hard_break = false;
  bool blank = true;
  Emphasis emphasis = Emphasis::kNone;  // Over all of its text.
};

// The one emphasis all of a line's text is in: the outermost span's kind of
// every non-blank piece, when they agree.
Emphasis SpanEmphasis(const std::vector<Piece>& pieces) {
  std::optional<Emphasis> common;
  for (const Piece& piece : pieces) {
    if (piece.text.empty()) continue;
    if (common.has_value() && *common != piece.emphasis) return Emphasis::kNone;
    common = piece.emphasis;
  }
  return common.value_or(Emphasis::kNone);
}

// Repairs and normalizes `text`'s lines, consuming them.
std::vector<NormalizedLine> NormalizeLines(std::vector<InlineLine> lines) {
  const std::vector<Emphasis> repaired = RepairStrayDelimiters(&lines);
  std::vector<NormalizedLine> normalized(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    NormalizedLine& line = normalized[i];
    line.number = lines[i].number;
    line.hard_break = lines[i].hard_break;
    line.pieces.reserve(lines[i].runs.size());
    for (const InlineRun& run : lines[i].runs) {
      line.pieces.push_back(NormalizeRun(run));
      if (!line.pieces.back().text.empty()) line.blank = false;
    }
    lines[i].runs = {};  // Frees the runs as the pieces take their place.
    if (!line.blank) {
      line.emphasis = repaired[i] != Emphasis::kNone
                          ? repaired[i]
                          : SpanEmphasis(line.pieces);
    }
  }
  return normalized;
}

// Builds one block's text piece by piece, folding the whitespace between
// pieces to one space, and records link ranges on the text as built: each
// piece is already normalized, so the offsets are final.
class BlockBuilder {
 public:
  explicit BlockBuilder(const std::vector<std::string>* uris) : uris_(uris) {}

  void Append(const Piece& piece) {
    pending_space_ |= piece.space_before;
    if (!piece.text.empty()) {
      if (pending_space_ && !text_.empty()) text_.push_back(' ');
      pending_space_ = false;
      if (piece.link != link_) {
        CloseLink();
        link_ = piece.link;
        link_begin_ = text_.size();
      }
      text_ += piece.text;
      link_end_ = text_.size();
    }
    pending_space_ |= piece.space_after;
  }

  // A line break joined into the block.
  void Space() { pending_space_ = true; }

  bool empty() const { return text_.empty(); }

  // The block, its text prefixed with `prefix`.
  Block Finish(absl::string_view prefix) && {
    CloseLink();
    Block block;
    block.text = absl::StrCat(prefix, text_);
    block.links = std::move(links_);
    for (InlineLink& link : block.links) {
      link.begin += prefix.size();
      link.end += prefix.size();
    }
    SpaceLeadingBullet(&block);
    return block;
  }

 private:
  void CloseLink() {
    if (link_ >= 0) links_.push_back({link_begin_, link_end_, (*uris_)[link_]});
    link_ = -1;
  }

  // NormalizeWhitespace's bullet rule ("•Item" -> "• Item"), which the
  // pieces, normalized apart from the block's start, did not get.
  static void SpaceLeadingBullet(Block* block) {
    constexpr absl::string_view kBullet = "\xE2\x80\xA2";
    const size_t at = kBullet.size();
    if (block->text.size() <= at || !absl::StartsWith(block->text, kBullet) ||
        block->text[at] == ' ') {
      return;
    }
    block->text.insert(at, 1, ' ');
    for (InlineLink& link : block->links) {
      if (link.begin >= at) ++link.begin;
      if (link.end > at) ++link.end;
    }
  }

  const std::vector<std::string>* uris_;
  std::string text_;
  bool pending_space_ = false;
  int link_ = -1;  // The link of the last piece with text.
  size_t link_begin_ = 0;
  size_t link_end_ = 0;
  std::vector<InlineLink> links_;
};

// Builds lines [begin, end) into a block of `kind`, appended unless blank.
void AppendBlock(const std::vector<NormalizedLine>& lines, size_t begin,
                 size_t end, BlockKind kind, absl::string_view prefix,
                 const std::vector<std::string>& uris,
                 std::vector<Block>* blocks) {
  BlockBuilder builder(&uris);
  int number = 0;
  std::optional<Emphasis> emphasis;
  for (size_t i = begin; i < end; ++i) {
    const NormalizedLine& line = lines[i];
    builder.Space();
    for (const Piece& piece : line.pieces) builder.Append(piece);
    if (line.blank) continue;
    if (number == 0) number = line.number;
    if (emphasis.has_value() && *emphasis != line.emphasis) {
      emphasis = Emphasis::kNone;
    } else {
      emphasis = line.emphasis;
    }
  }
  if (builder.empty()) return;
  Block block = std::move(builder).Finish(prefix);
  block.kind = kind;
  block.number = number;
  block.emphasis = emphasis.value_or(Emphasis::kNone);
  blocks->push_back(std::move(block));
}

// True if `before` ends and `after` starts inside the same emphasis span:
// a span the source wrapped over two lines.
bool SpanContinues(const NormalizedLine& before, const NormalizedLine& after) {
  const void* end_span = nullptr;
  for (const Piece& piece : before.pieces) {
    if (!piece.text.empty()) end_span = piece.span;
  }
  for (const Piece& piece : after.pieces) {
    if (!piece.text.empty()) {
      return end_span != nullptr && piece.span == end_span;
    }
  }
  return false;
}

bool SplitsBefore(const NormalizedLine& before, const NormalizedLine& after) {
  if (after.hard_break) return true;
  const bool emphasis_only =
      before.emphasis != Emphasis::kNone || after.emphasis != Emphasis::kNone;
  return emphasis_only && !SpanContinues(before, after);
}

}  // namespace

void AppendParagraphBlocks(InlineText text, std::vector<Block>* blocks) {
  const std::vector<NormalizedLine> lines =
      NormalizeLines(std::move(text.lines));
  size_t begin = 0;
  for (size_t i = 1; i <= lines.size(); ++i) {
    if (i == lines.size() || SplitsBefore(lines[i - 1], lines[i])) {
      AppendBlock(lines, begin, i, BlockKind::kParagraph, "", text.uris,
                  blocks);
      begin = i;
    }
  }
}

void AppendJoinedBlock(InlineText text, BlockKind kind,
                       absl::string_view prefix, std::vector<Block>* blocks) {
  const std::vector<NormalizedLine> lines =
      NormalizeLines(std::move(text.lines));
  AppendBlock(lines, 0, lines.size(), kind, prefix, text.uris, blocks);
}

}  // namespace importai::newsletter
