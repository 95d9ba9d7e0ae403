#ifndef IMPORTAI_NEWSLETTER_PATHOLOGICAL_INPUTS_H_
#define IMPORTAI_NEWSLETTER_PATHOLOGICAL_INPUTS_H_

// Pathological newsletter texts of a chosen size, shared by
// pathological_input_test.cc (which checks the parser and the search analyzer
// return on them) and pathological_benchmark.cc (bytes per second at 100 KB
// and 1 MB, so time that is not linear in the size shows).

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace importai::newsletter::pathological {

inline constexpr absl::string_view kBullet = "\xE2\x80\xA2";           // •
inline constexpr absl::string_view kNoBreakSpace = "\xC2\xA0";         // U+00A0
inline constexpr absl::string_view kZeroWidthSpace = "\xE2\x80\x8B";   // U+200B
inline constexpr absl::string_view kZeroWidthJoiner = "\xE2\x80\x8D";  // U+200D
inline constexpr absl::string_view kByteOrderMark = "\xEF\xBB\xBF";    // U+FEFF
inline constexpr absl::string_view kEllipsis = "\xE2\x80\xA6";         // …

inline constexpr size_t kSmall = 100 << 10;  // 100 KB
inline constexpr size_t kLarge = 1 << 20;    // 1 MB

// A valid start of an issue, so what follows reaches the section parser.
inline std::string IssueStart(int number = 1) {
  return absl::StrCat("Import AI ", number,
                      ": Pathological input; for the parser\n\nby Test\n\n"
                      "Welcome to Import AI.\n\nA section heading:\n");
}

// Appends `piece` to `text` until it holds at least `bytes` bytes.
inline void FillTo(std::string* text, size_t bytes, absl::string_view piece) {
  while (text->size() < bytes) text->append(piece.data(), piece.size());
}

// One line of `bytes` bytes without a newline: words, colons, parentheses
// and ellipses, the characters the link and marker parsers look for, after
// an issue header, and ending in ")".
inline std::string HugeLine(size_t bytes) {
  std::string text = IssueStart();
  text.append("Read more: ");
  FillTo(&text, bytes - 1,
         absl::StrCat("word (x: y) ", kEllipsis, " more. (here: ((a) "));
  text.append(")");
  return text;
}

// The same with no header at all: a million-byte line of one letter.
inline std::string HugeLineNoHeader(size_t bytes) {
  return std::string(bytes, 'a');
}

// "***" separator lines: some 230 000 of them in 1 MB.
inline std::string Separators(size_t bytes) {
  std::string text = IssueStart();
  FillTo(&text, bytes, "***\n\n***\n");
  return text;
}

// Bullet lines, each indented one space more than the last (cycling every
// 32 so 1 MB holds some 40 000 of them), under a section heading.
inline std::string NestedBullets(size_t bytes) {
  std::string text = IssueStart();
  text.append("Some body text.\n");
  for (int i = 0; text.size() < bytes; ++i) {
    text.append(i % 32, ' ');
    absl::StrAppend(&text, kBullet, " item ", i % 10, "\n");
  }
  return text;
}

// "Import AI N: ..." headers, each its own issue copy: some 11 800 in 1 MB.
inline std::string IssueHeaders(size_t bytes) {
  std::string text;
  for (int n = 1; text.size() < bytes; ++n) {
    absl::StrAppend(&text, "Import AI ", n,
                    ": A title; another topic; and a third one that is long "
                    "enough\n\nby Someone\n\n");
  }
  return text;
}

// "Tech Tales:" headers inside one issue: some 21 000 in 1 MB.
inline std::string TaleHeaders(size_t bytes) {
  std::string text = IssueStart();
  text.append("Body.\n\n***\n\n");
  while (text.size() < bytes) {
    text.append("Tech Tales:\n\nThe Title\n[Somewhere, 2040]\nA line.\n\n");
  }
  return text;
}

// Long runs of no-break spaces, zero-width spaces and joiners and byte-order
// marks: whole lines of them, and words glued by them.
inline std::string InvisibleRuns(size_t bytes) {
  std::string text = IssueStart();
  const size_t quarter = bytes / 4;
  const size_t start = text.size();
  FillTo(&text, start + quarter, kNoBreakSpace);
  text.append("\n");
  const size_t second = text.size();
  FillTo(&text, second + quarter, kZeroWidthSpace);
  text.append("\n");
  const size_t third = text.size();
  FillTo(&text, third + quarter,
         absl::StrCat(kZeroWidthJoiner, kByteOrderMark));
  text.append("\n");
  FillTo(&text, bytes, absl::StrCat("w", kNoBreakSpace, kZeroWidthSpace));
  return text;
}

struct Case {
  const char* name;
  std::string (*make)(size_t bytes);
};

inline std::vector<Case> AllCases() {
  return {{"HugeLine", HugeLine},           {"HugeLineNoHeader", HugeLineNoHeader},
          {"Separators", Separators},       {"NestedBullets", NestedBullets},
          {"IssueHeaders", IssueHeaders},   {"TaleHeaders", TaleHeaders},
          {"InvisibleRuns", InvisibleRuns}};
}

}  // namespace importai::newsletter::pathological

#endif  // IMPORTAI_NEWSLETTER_PATHOLOGICAL_INPUTS_H_
