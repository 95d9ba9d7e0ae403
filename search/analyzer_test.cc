#include "search/analyzer.h"

#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "search/random_text_for_test.h"
#include "search/utf8.h"
#include "utf8proc.h"

namespace importai::search {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::StartsWith;

std::string Utf8(char32_t code_point) {
  utf8proc_uint8_t bytes[4];
  const utf8proc_ssize_t size =
      utf8proc_encode_char(static_cast<utf8proc_int32_t>(code_point), bytes);
  return std::string(reinterpret_cast<const char*>(bytes), size);
}

TEST(TermsTest, LowercasesAndSplitsOnPunctuation) {
  EXPECT_THAT(Terms("Hello, World! Tiny models (v2) scale."),
              ElementsAre("hello", "world", "tiny", "models", "v2", "scale"));
  EXPECT_THAT(Terms(""), IsEmpty());
  EXPECT_THAT(Terms(" .,;:!? "), IsEmpty());
}

TEST(TermsTest, FoldsAccentedLatinLetters) {
  EXPECT_THAT(Terms("\xE2\x80\x9C"
                    "Caf\xC3\xA9 Z\xC3\xBCrich\xE2\x80\x9D"),
              ElementsAre("cafe", "zurich"));
  EXPECT_THAT(Terms("\xC3\x91"
                    "and\xC3\xBA fa\xC3\xA7"
                    "ade \xC3\x86SIR "
                    "S\xC3\xB8ren \xC5\x93uvre Stra\xC3\x9F"
                    "e \xC3\x9Eing"),
              ElementsAre("nandu", "facade", "aesir", "soren", "oeuvre",
                          "strasse", "thing"));
  EXPECT_THAT(Terms("\xC5\x81\xC3\xB3"
                    "d\xC5\xBA Dvo\xC5\x99\xC3\xA1k "
                    "\xC4\xB2ssel \xC4\xB0stanbul Bucure\xC8\x99ti"),
              ElementsAre("lodz", "dvorak", "ijssel", "istanbul", "bucuresti"));
}

TEST(TermsTest, FoldsEveryLatinLetterToAsciiLowercase) {
  for (char32_t cp = 0xC0; cp < 0x180; ++cp) {
    if (cp == 0xD7 || cp == 0xF7) continue;  // × and ÷ are symbols.
    const std::vector<std::string> terms = Terms(Utf8(cp));
    ASSERT_EQ(terms.size(), 1u) << "U+" << std::hex << cp;
    EXPECT_THAT(terms[0], ::testing::MatchesRegex("[a-z][a-z]?"))
        << "U+" << std::hex << cp;
  }
  EXPECT_THAT(Terms("a\xC3\x97"
                    "b\xC3\xB7"
                    "c"),
              ElementsAre("a", "b", "c"));
}

TEST(TermsTest, UpperAndLowerCaseFoldAlike) {
  for (char32_t upper = 0xC0; upper <= 0xDE; ++upper) {
    if (upper == 0xD7) continue;
    EXPECT_EQ(Terms(Utf8(upper)), Terms(Utf8(upper + 0x20)))
        << "U+" << std::hex << upper;
  }
  // Latin Extended-A pairs capital and small letters side by side.
  for (char32_t upper = 0x100; upper < 0x17F; upper += 2) {
    if (upper == 0x138) upper = 0x139;  // ĸ has no capital; pairs shift.
    if (upper == 0x149) upper = 0x14A;  // Nor has ŉ.
    if (upper == 0x178) upper = 0x179;  // Ÿ pairs with ÿ, tested above.
    EXPECT_EQ(Terms(Utf8(upper)), Terms(Utf8(upper + 1)))
        << "U+" << std::hex << upper;
  }
  EXPECT_EQ(Terms("\xC5\xB8"), Terms("\xC3\xBF"));  // Ÿ ÿ
}

TEST(TermsTest, ApostrophesJoinWords) {
  for (const char* text : {"don't", "don\xE2\x80\x99t", "don\xE2\x80\x98t",
                           "don\xCA\xBCt", "DON'T"}) {
    EXPECT_THAT(Terms(text), ElementsAre("dont")) << text;
  }
  EXPECT_THAT(Terms("O\xE2\x80\x99Reilly rock 'n' roll"),
              ElementsAre("oreilly", "rock", "n", "roll"));
  EXPECT_THAT(Terms("'quoted' students\xE2\x80\x99 work''"),
              ElementsAre("quoted", "students", "work"));
}

TEST(TermsTest, DropsPossessiveS) {
  for (const char* text : {"Google's", "Google\xE2\x80\x99s", "GOOGLE'S",
                           "Google\xCA\xBCs", "Google\xE2\x80\x98s"}) {
    EXPECT_THAT(Terms(text), ElementsAre("google")) << text;
  }
  EXPECT_THAT(Terms("its it's the 1990's Anthropic's, DeepMind's."),
              ElementsAre("its", "it", "the", "1990", "anthropic", "deepmind"));
  // Not a possessive when more letters follow the s.
  EXPECT_THAT(Terms("x'sy x's'y"), ElementsAre("xsy", "xsy"));
  EXPECT_THAT(Terms("'s s' 's'"), ElementsAre("s", "s", "s"));
}

TEST(TermsTest, HyphensDashesAndDigitsSeparate) {
  EXPECT_THAT(
      Terms("GPT-4o multi-agent state\xE2\x80\x93of\xE2\x80\x94the-art"),
      ElementsAre("gpt", "4o", "multi", "agent", "state", "of", "the", "art"));
  EXPECT_THAT(Terms("v3.5 cost $1,000 in 2024"),
              ElementsAre("v3", "5", "cost", "1", "000", "in", "2024"));
}

TEST(TermsTest, OtherSeparators) {
  EXPECT_THAT(Terms("deep\xC2\xA0learning"), ElementsAre("deep", "learning"));
  EXPECT_THAT(Terms("\xE2\x80\xA2"
                    "first item \xE2\x80\xA2second"),
              ElementsAre("first", "item", "second"));
  // 🤖 and ™ are symbols; ² is a number, folded to 2.
  EXPECT_THAT(Terms("AI\xF0\x9F\xA4\x96robots \xE2\x84\xA2x\xC2\xB2"),
              ElementsAre("ai", "robots", "x2"));
  // The zero-width space marks a word break.
  EXPECT_THAT(Terms("a\xE2\x80\x8B"
                    "b"),
              ElementsAre("a", "b"));
  EXPECT_THAT(Terms("a_b/c\\d@e#f\xE2\x80\xA6g\xE3\x80\x80h"),
              ElementsAre("a", "b", "c", "d", "e", "f", "g", "h"));
  EXPECT_THAT(Terms(std::string("a\x01"
                                "b\0c\x7F"
                                "d\tE\n",
                                10)),
              ElementsAre("a", "b", "c", "d", "e"));
}

TEST(TermsTest, DropsCombiningMarksAndSoftHyphens) {
  EXPECT_THAT(Terms("Cafe\xCC\x81 na\xC3\xAFve trans\xC2\xAD"
                    "former"),
              ElementsAre("cafe", "naive", "transformer"));
  EXPECT_THAT(Terms("\xCC\x81x"), ElementsAre("x"));
}

TEST(TermsTest, FoldsGreekAndCyrillic) {
  // Ελλάδα Модель: lowercased, the tonos dropped.
  EXPECT_THAT(Terms("\xCE\x95\xCE\xBB\xCE\xBB\xCE\xAC\xCE\xB4\xCE\xB1 "
                    "\xD0\x9C\xD0\xBE\xD0\xB4\xD0\xB5\xD0\xBB\xD1\x8C"),
              ElementsAre("\xCE\xB5\xCE\xBB\xCE\xBB\xCE\xB1\xCE\xB4\xCE\xB1",
                          "\xD0\xBC\xD0\xBE\xD0\xB4\xD0\xB5\xD0\xBB\xD1\x8C"));
  // Final sigma: ΛΟΓΟΣ, λόγος and λογοσ are one term.
  const std::vector<std::string> logos = {
      "\xCE\xBB\xCE\xBF\xCE\xB3\xCE\xBF\xCF\x83"};
  EXPECT_EQ(Terms("\xCE\x9B\xCE\x9F\xCE\x93\xCE\x9F\xCE\xA3"), logos);
  EXPECT_EQ(Terms("\xCE\xBB\xCF\x8C\xCE\xB3\xCE\xBF\xCF\x82"), logos);
  EXPECT_EQ(Terms("\xCE\xBB\xCE\xBF\xCE\xB3\xCE\xBF\xCF\x83"), logos);
  // Ё, ё and е; й loses its breve too.
  EXPECT_THAT(Terms("\xD0\x81 \xD1\x91 \xD0\xB5 \xD0\xB9"),
              ElementsAre("\xD0\xB5", "\xD0\xB5", "\xD0\xB5", "\xD0\xB8"));
}

TEST(TermsTest, FoldsCompatibilityForms) {
  EXPECT_THAT(Terms("\xEF\xAC\x81ne \xEF\xAC\x81"), ElementsAre("fine", "fi"));
  // Fullwidth Ａｉ and ＧＰＴ４; ª and º; µ as Greek μ.
  EXPECT_THAT(Terms("\xEF\xBC\xA1\xEF\xBD\x89 "
                    "\xEF\xBC\xA7\xEF\xBC\xB0\xEF\xBC\xB4\xEF\xBC\x94 "
                    "1\xC2\xAA 2\xC2\xBA 5\xC2\xB5m"),
              ElementsAre("ai", "gpt4", "1a", "2o", "5\xCE\xBCm"));
  // Punctuation a decomposition brings is dropped: ⑴ ½ Ŀ ŉ.
  EXPECT_THAT(Terms("\xE2\x91\xB4 \xC2\xBD \xC4\xBF \xC5\x89"),
              ElementsAre("1", "12", "l", "n"));
}

TEST(TermsTest, FullCaseFolding) {
  // ß and ẞ are "ss"; İ is i with a dot above, which goes.
  EXPECT_THAT(Terms("Stra\xC3\x9F"
                    "e STRA\xE1\xBA\x9E"
                    "E \xC4\xB0zmir"),
              ElementsAre("strasse", "strasse", "izmir"));
  // Case folding keeps æ, ø, ł as letters; they are then spelt in ASCII.
  EXPECT_THAT(Terms("\xC3\x86SIR \xC3\xA6sir S\xC3\xB8ren \xC5\x81ukasz "
                    "\xC7\xBF"),
              ElementsAre("aesir", "aesir", "soren", "lukasz", "o"));
}

TEST(TermsTest, DecomposedAndComposedAccentsAreOneTerm) {
  const std::vector<std::string> e = {"e"};
  EXPECT_EQ(Terms("e\xCC\x81"), e);
  EXPECT_EQ(Terms("\xC3\xA9"), e);
  EXPECT_EQ(Terms("E\xCC\x81"), e);
  EXPECT_EQ(Terms("e"), e);
  // A variation selector and a direction mark inside a word are dropped.
  EXPECT_THAT(Terms("ca\xEF\xB8\x8F"
                    "f\xE2\x80\x8E"
                    "e"),
              ElementsAre("cafe"));
}

TEST(TermsTest, KeepsTheMarksOfOtherScripts) {
  // हिन्दी: vowel signs and the virama are part of the word.
  const std::string hindi =
      "\xE0\xA4\xB9\xE0\xA4\xBF\xE0\xA4\xA8\xE0\xA5\x8D\xE0\xA4\xA6"
      "\xE0\xA5\x80";
  EXPECT_THAT(Terms(hindi), ElementsAre(hindi));
  // क़ (U+0958) and क + nukta are canonically equivalent.
  EXPECT_EQ(Terms("\xE0\xA5\x98"), Terms("\xE0\xA4\x95\xE0\xA4\xBC"));
  // 人工知能。研究 — the ideographic full stop separates.
  EXPECT_THAT(Terms("\xE4\xBA\xBA\xE5\xB7\xA5\xE7\x9F\xA5\xE8\x83\xBD"
                    "\xE3\x80\x82\xE7\xA0\x94\xE7\xA9\xB6"),
              ElementsAre("\xE4\xBA\xBA\xE5\xB7\xA5\xE7\x9F\xA5\xE8\x83\xBD",
                          "\xE7\xA0\x94\xE7\xA9\xB6"));
  // Halfwidth ｶﾞ is ガ; Hangul jamo compose to 가.
  EXPECT_THAT(Terms("\xEF\xBD\xB6\xEF\xBE\x9E \xE1\x84\x80\xE1\x85\xA1"),
              ElementsAre("\xE3\x82\xAC", "\xEA\xB0\x80"));
}

TEST(TermsTest, EveryCharacterFoldsToATermThatFoldsToItself) {
  // Typing an indexed term back must find it: folding is idempotent.
  for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (cp == 0xD800) cp = 0xE000;  // Surrogates are not characters.
    for (const std::string& term : Terms(Utf8(cp) + "x" + Utf8(cp))) {
      ASSERT_THAT(Terms(term), ElementsAre(term)) << "U+" << std::hex << cp;
    }
  }
}

TEST(TermsTest, EveryLetterIsOneTermWithItsLowercaseAndUppercase) {
  for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (cp == 0xD800) cp = 0xE000;
    const auto c = static_cast<utf8proc_int32_t>(cp);
    const utf8proc_category_t category = utf8proc_category(c);
    if (category < UTF8PROC_CATEGORY_LU || category > UTF8PROC_CATEGORY_LO) {
      continue;  // Marks (U+0345 has a capital) and symbols are no words.
    }
    const std::vector<std::string> terms = Terms(Utf8(cp));
    EXPECT_EQ(Terms(Utf8(utf8proc_tolower(c))), terms)
        << "U+" << std::hex << cp;
    EXPECT_EQ(Terms(Utf8(utf8proc_toupper(c))), terms)
        << "U+" << std::hex << cp;
  }
}

TEST(TokenizeTest, AWordFoldedToNothingTakesNoPosition) {
  // A lone Hangul filler is a letter, but default-ignorable.
  const std::vector<Token> tokens = Tokenize("a \xE3\x85\xA4 b");
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].term, "a");
  EXPECT_EQ(tokens[1].term, "b");
  EXPECT_EQ(tokens[1].position, 1);
}

TEST(TermsTest, InvalidUtf8Separates) {
  EXPECT_THAT(Terms("ab\xFF"
                    "cd\xC3"),
              ElementsAre("ab", "cd"));
  EXPECT_THAT(Terms("x\xC0\xAFy\xED\xA0\x80z\xE2\x80"),
              ElementsAre("x", "y", "z"));
  EXPECT_THAT(Terms("\xC3\xA9"), ElementsAre("e"));
}

TEST(TokenizeTest, OffsetsPointAtTheOriginalBytes) {
  const std::string text =
      "  Caf\xC3\xA9\xE2\x80\x99s\xC2\xA0"
      "na\xC3\xAFve\xE2\x80\x94GPT-4!";
  const std::vector<Token> tokens = Tokenize(text, 10);
  ASSERT_EQ(tokens.size(), 4u);
  const char* const terms[] = {"cafe", "naive", "gpt", "4"};
  const char* const words[] = {"Caf\xC3\xA9\xE2\x80\x99s", "na\xC3\xAFve",
                               "GPT", "4"};
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(tokens[i].term, terms[i]);
    EXPECT_EQ(tokens[i].position, 10 + i);
    EXPECT_EQ(text.substr(tokens[i].begin, tokens[i].end - tokens[i].begin),
              words[i]);
  }
  EXPECT_EQ(tokens[0].begin, 2u);
  EXPECT_EQ(tokens[0].end, 11u);
  EXPECT_EQ(tokens[3].end, text.size() - 1);
}

TEST(TokenizeTest, PositionsStartAtZero) {
  const std::vector<Token> tokens = Tokenize("one two");
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].position, 0);
  EXPECT_EQ(tokens[1].position, 1);
}

TEST(TokenizeTest, CombiningMarkIsPartOfTheWord) {
  const std::string text = "Cafe\xCC\x81!";
  const std::vector<Token> tokens = Tokenize(text);
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0].begin, 0u);
  EXPECT_EQ(tokens[0].end, text.size() - 1);
}

bool IsValidUtf8(absl::string_view text) {
  for (size_t pos = 0; pos < text.size();) {
    const Utf8Char c = DecodeUtf8(text, pos);
    if (!c.valid) return false;
    pos += c.length;
  }
  return true;
}

TEST(TokenizeTest, ArbitraryBytesGiveWellFormedTokens) {
  for (const std::string& text :
       RandomTexts(20240611, 80, "abs'S \xC3\xE2\x80\x99", 64)) {
    const std::vector<Token> tokens = Tokenize(text, 5);
    size_t previous_end = 0;
    for (size_t t = 0; t < tokens.size(); ++t) {
      const Token& token = tokens[t];
      EXPECT_FALSE(token.term.empty());
      EXPECT_TRUE(IsValidUtf8(token.term)) << token.term;
      for (const char c : token.term) {
        EXPECT_GE(static_cast<unsigned char>(c), 0x20);
      }
      EXPECT_EQ(token.position, 5 + static_cast<int>(t));
      EXPECT_LE(previous_end, token.begin);
      EXPECT_LT(token.begin, token.end);
      EXPECT_LE(token.end, text.size());
      previous_end = token.end;
    }
  }
}

TEST(TokenizeTest, LongInputsAreHandledInOnePass) {
  std::string apostrophes;
  for (int i = 0; i < 200000; ++i) apostrophes += "a's'";
  EXPECT_EQ(Tokenize(apostrophes).size(), 1u);
  EXPECT_EQ(Tokenize(std::string(1 << 20, 'x')).size(), 1u);
  EXPECT_EQ(Tokenize(std::string(1 << 20, '\x80')).size(), 0u);
  // Marks of alternating combining classes would need a quadratic reordering;
  // only the first 30 after a letter are kept.
  std::string marks = "\xE0\xA4\x95";  // क
  for (int i = 0; i < 100000; ++i) marks += "\xCC\x81\xCC\x96";
  const std::vector<Token> tokens = Tokenize(marks);
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0].term.size(), 3u + 30 * 2);
  EXPECT_EQ(tokens[0].end, marks.size());
}

TEST(AnalyzerVersionTest, NamesTheRulesAndTheUnicodeVersion) {
  EXPECT_THAT(AnalyzerVersion(), StartsWith("2/unicode-"));
  EXPECT_GT(AnalyzerVersion().size(), std::string("2/unicode-").size());
}

TEST(NormalizeSourceTest, JoinsTermsWithSingleSpaces) {
  EXPECT_EQ(NormalizeSource("arXiv"), "arxiv");
  EXPECT_EQ(NormalizeSource("  Import   AI "), "import ai");
  EXPECT_EQ(NormalizeSource("Import-AI"), "import ai");
  EXPECT_EQ(NormalizeSource("Z\xC3\xBCrich Times"), "zurich times");
  EXPECT_EQ(NormalizeSource(""), "");
  EXPECT_EQ(NormalizeSource("!!!"), "");
}

}  // namespace
}  // namespace importai::search
