#include "search/analyzer.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "search/utf8.h"

namespace importai::search {
namespace {

enum class CharClass {
  kSeparator,   // Ends the current word.
  kWord,        // A letter or digit; contributes `normalized`.
  kApostrophe,  // Joins two letters, otherwise separates.
  kIgnorable,   // Dropped inside a word without ending it.
};

struct CharInfo {
  CharClass cls = CharClass::kSeparator;
  int length = 1;  // Bytes in the input.
  // For kWord: the normalized form (at most one 4-byte character or two
  // ASCII letters).
  char normalized[4] = {};
  int normalized_size = 0;
};

struct Range {
  char32_t first;
  char32_t last;
};

// Base letters for U+00C0..U+017F, 16 per row. '-' marks the two symbols
// (× ÷); '*' marks the letters that fold to two letters (see TwoLetterFold).
constexpr absl::string_view kLatinFold =
    "aaaaaa*ceeeeiiii"  // U+00C0 À Á Â Ã Ä Å Æ Ç È É Ê Ë Ì Í Î Ï
    "dnooooo-ouuuuy**"  // U+00D0 Ð Ñ Ò Ó Ô Õ Ö × Ø Ù Ú Û Ü Ý Þ ß
    "aaaaaa*ceeeeiiii"  // U+00E0 à á â ã ä å æ ç è é ê ë ì í î ï
    "dnooooo-ouuuuy*y"  // U+00F0 ð ñ ò ó ô õ ö ÷ ø ù ú û ü ý þ ÿ
    "aaaaaaccccccccdd"  // U+0100 Ā ā Ă ă Ą ą Ć ć Ĉ ĉ Ċ ċ Č č Ď ď
    "ddeeeeeeeeeegggg"  // U+0110 Đ đ Ē ē Ĕ ĕ Ė ė Ę ę Ě ě Ĝ ĝ Ğ ğ
    "gggghhhhiiiiiiii"  // U+0120 Ġ ġ Ģ ģ Ĥ ĥ Ħ ħ Ĩ ĩ Ī ī Ĭ ĭ Į į
    "ii**jjkkklllllll"  // U+0130 İ ı Ĳ ĳ Ĵ ĵ Ķ ķ ĸ Ĺ ĺ Ļ ļ Ľ ľ Ŀ
    "lllnnnnnnnnnoooo"  // U+0140 ŀ Ł ł Ń ń Ņ ņ Ň ň ŉ Ŋ ŋ Ō ō Ŏ ŏ
    "oo**rrrrrrssssss"  // U+0150 Ő ő Œ œ Ŕ ŕ Ŗ ŗ Ř ř Ś ś Ŝ ŝ Ş ş
    "ssttttttuuuuuuuu"  // U+0160 Š š Ţ ţ Ť ť Ŧ ŧ Ũ ũ Ū ū Ŭ ŭ Ů ů
    "uuuuwwyyyzzzzzzs";  // U+0170 Ű ű Ų ų Ŵ ŵ Ŷ ŷ Ÿ Ź ź Ż ż Ž ž ſ
constexpr char32_t kLatinFoldFirst = 0xC0;
static_assert(kLatinFold.size() == 0x180 - kLatinFoldFirst);

absl::string_view TwoLetterFold(char32_t cp) {
  switch (cp) {
    case 0xC6:
    case 0xE6:
      return "ae";
    case 0xDE:
    case 0xFE:
      return "th";
    case 0xDF:
      return "ss";
    case 0x132:
    case 0x133:
      return "ij";
    default:  // Œ œ
      return "oe";
  }
}

// Dropped inside words: combining marks, joiners, variation selectors.
constexpr Range kIgnorable[] = {
    {0x00AD, 0x00AD}, {0x0300, 0x036F},   {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF},
    {0x200C, 0x200D}, {0x2060, 0x2060},   {0x20D0, 0x20FF}, {0xFE00, 0xFE0F},
    {0xFE20, 0xFE2F}, {0xE0100, 0xE01EF},
};

// Non-letters above U+017F: modifier symbols, common punctuation of other
// scripts, the General Punctuation through Miscellaneous Symbols and Arrows
// blocks, CJK punctuation, private use, fullwidth punctuation, specials,
// emoji, tags and the private use planes.
constexpr Range kSeparators[] = {
    {0x02B0, 0x02FF},    {0x0374, 0x0375}, {0x037E, 0x037E}, {0x0384, 0x0385},
    {0x0387, 0x0387},    {0x055A, 0x055F}, {0x0589, 0x058A}, {0x05BE, 0x05BE},
    {0x05C0, 0x05C0},    {0x05C3, 0x05C3}, {0x05C6, 0x05C6}, {0x05F3, 0x05F4},
    {0x0600, 0x060F},    {0x061B, 0x061F}, {0x066A, 0x066D}, {0x06D4, 0x06D4},
    {0x0964, 0x0965},    {0x0E3F, 0x0E3F}, {0x0E4F, 0x0E4F}, {0x0E5A, 0x0E5B},
    {0x1680, 0x1680},    {0x2000, 0x2BFF}, {0x2E00, 0x2E7F}, {0x2FF0, 0x3004},
    {0x3008, 0x3020},    {0x3030, 0x3030}, {0x303D, 0x303F}, {0x30FB, 0x30FB},
    {0xE000, 0xF8FF},    {0xFD3E, 0xFD3F}, {0xFDD0, 0xFDEF}, {0xFE10, 0xFE1F},
    {0xFE30, 0xFE6F},    {0xFEFF, 0xFEFF}, {0xFF00, 0xFF0F}, {0xFF1A, 0xFF20},
    {0xFF3B, 0xFF40},    {0xFF5B, 0xFF65}, {0xFFE0, 0xFFFF}, {0x1F000, 0x1FBFF},
    {0xE0000, 0x10FFFF},
};

template <size_t N>
bool InRanges(const Range (&ranges)[N], char32_t cp) {
  const Range* it =
      std::upper_bound(std::begin(ranges), std::end(ranges), cp,
                       [](char32_t c, const Range& r) { return c < r.first; });
  return it != std::begin(ranges) && cp <= std::prev(it)->last;
}

bool IsApostrophe(char32_t cp) {
  return cp == '\'' || cp == 0x2018 || cp == 0x2019 || cp == 0x02BC;
}

CharInfo Word(absl::string_view normalized, int length) {
  CharInfo info;
  info.cls = CharClass::kWord;
  info.length = length;
  std::copy(normalized.begin(), normalized.end(), info.normalized);
  info.normalized_size = static_cast<int>(normalized.size());
  return info;
}

CharInfo WordCodePoint(char32_t cp, int length) {
  std::string utf8;
  AppendUtf8(cp, &utf8);
  return Word(utf8, length);
}

// The lowercase form of letters whose case mapping is a fixed offset.
char32_t SimpleLowercase(char32_t cp) {
  if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2) return cp + 0x20;  // Greek
  if (cp >= 0x410 && cp <= 0x42F) return cp + 0x20;  // Cyrillic А..Я
  if (cp >= 0x400 && cp <= 0x40F) return cp + 0x50;  // Cyrillic Ѐ..Џ
  return cp;
}

CharInfo Classify(absl::string_view text, size_t pos) {
  const Utf8Char c = DecodeUtf8(text, pos);
  CharInfo info;
  info.length = c.length;
  if (!c.valid) return info;
  const char32_t cp = c.code_point;
  if (cp < 0x80) {
    const char ascii = static_cast<char>(cp);
    if (absl::ascii_isalnum(ascii)) {
      const char lower = absl::ascii_tolower(ascii);
      return Word(absl::string_view(&lower, 1), 1);
    }
    if (ascii == '\'') info.cls = CharClass::kApostrophe;
    return info;
  }
  if (cp < kLatinFoldFirst) {
    switch (cp) {
      case 0xAA:  // ª
        return Word("a", c.length);
      case 0xBA:  // º
        return Word("o", c.length);
      case 0xB5:  // µ (micro sign) is Greek mu.
        return Word("\xCE\xBC", c.length);
      case 0xAD:  // Soft hyphen.
        info.cls = CharClass::kIgnorable;
        return info;
      default:
        return info;
    }
  }
  if (cp < 0x180) {
    const char base = kLatinFold[cp - kLatinFoldFirst];
    if (base == '-') return info;
    if (base == '*') return Word(TwoLetterFold(cp), c.length);
    return Word(absl::string_view(&base, 1), c.length);
  }
  if (cp >= 0x218 && cp <= 0x21B) {  // Romanian Ș ș Ț ț.
    return Word(cp < 0x21A ? "s" : "t", c.length);
  }
  if (IsApostrophe(cp)) {
    info.cls = CharClass::kApostrophe;
    return info;
  }
  if (InRanges(kIgnorable, cp)) {
    info.cls = CharClass::kIgnorable;
    return info;
  }
  if (cp >= 0xFF10 && cp <= 0xFF19) {  // Fullwidth digits.
    const char digit = static_cast<char>('0' + (cp - 0xFF10));
    return Word(absl::string_view(&digit, 1), c.length);
  }
  if ((cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A)) {
    const char letter = static_cast<char>('a' + (cp - 0xFF01) % 0x20);
    return Word(absl::string_view(&letter, 1), c.length);
  }
  if (InRanges(kSeparators, cp)) return info;
  return WordCodePoint(SimpleLowercase(cp), c.length);
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
  bool in_word = false;
  auto finish_word = [&] {
    if (!in_word) return;
    current.position = first_position + static_cast<int>(tokens.size());
    tokens.push_back(std::move(current));
    current = Token();
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
        current.term.append(c.normalized, c.normalized_size);
        current.end = pos + c.length;
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

std::string NormalizeSource(absl::string_view source) {
  return absl::StrJoin(Terms(source), " ");
}

}  // namespace importai::search
