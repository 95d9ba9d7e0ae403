#include "search/analyzer.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "search/utf8.h"
#include "search/word_fold.h"
#include "utf8proc.h"

namespace importai::search {
namespace {

// Bump with every change to what Tokenize makes of a text. 1: hand-written
// folding tables; 2: utf8proc.
constexpr int kRulesVersion = 2;

enum class CharClass {
  kSeparator,   // Ends the current word.
  kWord,        // A letter or digit: starts or continues a word.
  kMark,        // A combining mark: continues a word, else dropped.
  kApostrophe,  // Joins two letters, otherwise separates.
  kIgnorable,   // Dropped inside a word without ending it.
};

struct CharInfo {
  CharClass cls = CharClass::kSeparator;
  int length = 1;  // Bytes in the input.
};

bool IsApostrophe(char32_t cp) {
  return cp == '\'' || cp == 0x2018 || cp == 0x2019 || cp == 0x02BC;
}

CharClass ClassOf(char32_t cp) {
  // The zero-width space marks a word break in scripts written without
  // spaces (Thai, Khmer).
  if (IsSpaceOrControl(cp) || cp == 0x200B) return CharClass::kSeparator;
  if (IsApostrophe(cp)) return CharClass::kApostrophe;
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return CharClass::kWord;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
      return CharClass::kMark;
    case UTF8PROC_CATEGORY_CF:
      return CharClass::kIgnorable;
    default:
      return CharClass::kSeparator;
  }
}

CharInfo Classify(absl::string_view text, size_t pos) {
  const Utf8Char c = DecodeUtf8(text, pos);
  CharInfo info;
  info.length = c.length;
  if (c.valid) info.cls = ClassOf(c.code_point);
  return info;
}

// True if the 's' or 'S' at `pos` ends the word, making "'s" a possessive.
bool EndsWord(absl::string_view text, size_t pos) {
  const size_t after = pos + 1;
  if (after >= text.size()) return true;
  const CharInfo next = Classify(text, after);
  if (next.cls == CharClass::kSeparator) return true;
  if (next.cls != CharClass::kApostrophe) return false;
  const size_t after_apostrophe = after + next.length;
  return after_apostrophe >= text.size() ||
         Classify(text, after_apostrophe).cls != CharClass::kWord;
}

}  // namespace

std::vector<Token> Tokenize(absl::string_view text, int first_position) {
  std::vector<Token> tokens;
  Token current;
  // The word's letters, digits and marks: what FoldWord normalizes.
  std::string word;
  bool in_word = false;
  auto finish_word = [&] {
    if (!in_word) return;
    current.term = FoldWord(word);
    if (!current.term.empty()) {
      current.position = first_position + static_cast<int>(tokens.size());
      tokens.push_back(std::move(current));
    }
    current = Token();
    word.clear();
    in_word = false;
  };

  size_t pos = 0;
  while (pos < text.size()) {
    const CharInfo c = Classify(text, pos);
    switch (c.cls) {
      case CharClass::kWord:
        if (!in_word) {
          in_word = true;
          current.begin = pos;
        }
        word.append(text.data() + pos, c.length);
        current.end = pos + c.length;
        break;
      case CharClass::kMark:
        if (in_word) {
          word.append(text.data() + pos, c.length);
          current.end = pos + c.length;
        }
        break;
      case CharClass::kIgnorable:
        if (in_word) current.end = pos + c.length;
        break;
      case CharClass::kApostrophe: {
        if (!in_word) break;
        const size_t next_pos = pos + c.length;
        if (next_pos >= text.size() ||
            Classify(text, next_pos).cls != CharClass::kWord) {
          finish_word();
          break;
        }
        const char next = text[next_pos];
        if ((next == 's' || next == 'S') && EndsWord(text, next_pos)) {
          current.end = next_pos + 1;
          finish_word();
          pos = next_pos + 1;
          continue;
        }
        break;  // Joins: the apostrophe is dropped.
      }
      case CharClass::kSeparator:
        finish_word();
        break;
    }
    pos += c.length;
  }
  finish_word();
  return tokens;
}

std::vector<std::string> Terms(absl::string_view text) {
  std::vector<Token> tokens = Tokenize(text);
  std::vector<std::string> terms;
  terms.reserve(tokens.size());
  for (Token& token : tokens) terms.push_back(std::move(token.term));
  return terms;
}

std::string AnalyzerVersion() {
  return absl::StrCat(kRulesVersion, "/unicode-", utf8proc_unicode_version());
}

std::string NormalizeSource(absl::string_view source) {
  return absl::StrJoin(Terms(source), " ");
}

}  // namespace importai::search
