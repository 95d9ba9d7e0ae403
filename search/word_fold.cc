#include "search/word_fold.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <vector>

#include "absl/strings/ascii.h"
#include "search/utf8.h"
#include "utf8proc.h"

namespace importai::search {
namespace {

// Step 1: NFKD with full case folding, default ignorables removed.
constexpr utf8proc_option_t kDecompose = static_cast<utf8proc_option_t>(
    UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
// Step 5: canonical composition.
constexpr utf8proc_option_t kCompose =
    static_cast<utf8proc_option_t>(UTF8PROC_COMPOSE | UTF8PROC_STABLE);

// Unicode's longest decomposition of one character (U+FDFA) is 18.
constexpr int kMaxDecomposition = 32;
// UAX #15's stream-safe limit on consecutive non-starters. It bounds the
// canonical reordering, which is quadratic in the length of a run.
constexpr size_t kMaxNonStarters = 30;

struct Range {
  char32_t first;
  char32_t last;
};

// The Unicode blocks of the Latin, Greek and Cyrillic scripts (utf8proc has
// no script property). Below U+0300 only letters and digits reach the check.
constexpr Range kMarkStrippingBlocks[] = {
    {0x0000, 0x02AF},    // Basic Latin to IPA Extensions
    {0x0370, 0x052F},    // Greek and Coptic, Cyrillic, Cyrillic Supplement
    {0x1C80, 0x1C8F},    // Cyrillic Extended-C
    {0x1D00, 0x1DBF},    // Phonetic Extensions and Supplement
    {0x1E00, 0x1FFF},    // Latin Extended Additional, Greek Extended
    {0x2C60, 0x2C7F},    // Latin Extended-C
    {0x2DE0, 0x2DFF},    // Cyrillic Extended-A
    {0xA640, 0xA69F},    // Cyrillic Extended-B
    {0xA720, 0xA7FF},    // Latin Extended-D
    {0xAB30, 0xAB6F},    // Latin Extended-E
    {0x10780, 0x107BF},  // Latin Extended-F
    {0x1DF00, 0x1DFFF},  // Latin Extended-G
    {0x1E030, 0x1E08F},  // Cyrillic Extended-D
};

bool InMarkStrippingBlock(char32_t cp) {
  const Range* it = std::upper_bound(
      std::begin(kMarkStrippingBlocks), std::end(kMarkStrippingBlocks), cp,
      [](char32_t c, const Range& r) { return c < r.first; });
  return it != std::begin(kMarkStrippingBlocks) && cp <= std::prev(it)->last;
}

bool IsLetter(utf8proc_category_t category) {
  return category >= UTF8PROC_CATEGORY_LU && category <= UTF8PROC_CATEGORY_LO;
}
bool IsNumber(utf8proc_category_t category) {
  return category >= UTF8PROC_CATEGORY_ND && category <= UTF8PROC_CATEGORY_NO;
}
bool IsMark(utf8proc_category_t category) {
  return category >= UTF8PROC_CATEGORY_MN && category <= UTF8PROC_CATEGORY_ME;
}

// Step 4: the case-folded Latin letters of Latin-1 and Latin Extended-A that
// have no decomposition, and their ASCII spellings.
struct Spelling {
  char32_t letter;
  absl::string_view ascii;
};
constexpr Spelling kAsciiSpellings[] = {
    {U'æ', "ae"}, {U'ð', "d"}, {U'ø', "o"},  {U'þ', "th"},
    {U'đ', "d"},  {U'ħ', "h"}, {U'ı', "i"},  {U'ĸ', "k"},
    {U'ł', "l"},  {U'ŋ', "n"}, {U'œ', "oe"}, {U'ŧ', "t"},
};

// Empty for a letter without an ASCII spelling.
absl::string_view AsciiSpelling(char32_t cp) {
  if (cp < U'æ' || cp > U'ŧ') return "";
  for (const Spelling& spelling : kAsciiSpellings) {
    if (spelling.letter == cp) return spelling.ascii;
  }
  return "";
}

int CombiningClass(utf8proc_int32_t cp) {
  return utf8proc_get_property(cp)->combining_class;
}

// Canonical ordering: each run of non-starters sorted by combining class.
void ReorderMarks(std::vector<utf8proc_int32_t>& code_points) {
  auto by_class = [](utf8proc_int32_t a, utf8proc_int32_t b) {
    return CombiningClass(a) < CombiningClass(b);
  };
  for (auto it = code_points.begin(); it != code_points.end();) {
    auto run_end = std::find_if(it, code_points.end(), [](utf8proc_int32_t cp) {
      return CombiningClass(cp) == 0;
    });
    std::stable_sort(it, run_end, by_class);
    it = run_end == code_points.end() ? run_end : run_end + 1;
  }
}

}  // namespace

std::string FoldWord(absl::string_view word) {
  if (std::all_of(word.begin(), word.end(), absl::ascii_isascii)) {
    return absl::AsciiStrToLower(word);
  }
  std::vector<utf8proc_int32_t> folded;
  // Whether a mark goes on the last letter or digit kept; none before it.
  bool keep_marks = false;
  size_t non_starters = 0;  // consecutive, at the end of `folded`
  bool composable = false;  // anything beyond ASCII kept
  utf8proc_int32_t decomposed[kMaxDecomposition];
  for (size_t pos = 0; pos < word.size();) {
    const Utf8Char c = DecodeUtf8(word, pos);
    pos += c.length;
    if (!c.valid) continue;
    const utf8proc_ssize_t n = utf8proc_decompose_char(
        static_cast<utf8proc_int32_t>(c.code_point), decomposed,
        kMaxDecomposition, kDecompose, nullptr);
    if (n < 0 || n > kMaxDecomposition) continue;
    for (utf8proc_ssize_t i = 0; i < n; ++i) {
      const utf8proc_int32_t cp = decomposed[i];
      const utf8proc_category_t category = utf8proc_category(cp);
      if (IsMark(category)) {
        if (!keep_marks) continue;
        if (CombiningClass(cp) == 0) {
          non_starters = 0;
        } else if (++non_starters > kMaxNonStarters) {
          continue;
        }
        folded.push_back(cp);
        composable = true;
        continue;
      }
      // Step 3: punctuation and symbols of compatibility forms ("⑴", "ŀ"),
      // and the apostrophe of "ŉ".
      if (!(IsLetter(category) || IsNumber(category)) || cp == 0x02BC) continue;
      keep_marks = !IsNumber(category) && !InMarkStrippingBlock(cp);
      non_starters = 0;
      if (const absl::string_view ascii = AsciiSpelling(cp); !ascii.empty()) {
        folded.insert(folded.end(), ascii.begin(), ascii.end());
      } else {
        folded.push_back(cp);
        composable |= cp >= 0x80;
      }
    }
  }
  if (composable) {
    ReorderMarks(folded);
    const utf8proc_ssize_t size =
        utf8proc_normalize_utf32(folded.data(), folded.size(), kCompose);
    folded.resize(size < 0 ? 0 : static_cast<size_t>(size));
  }
  std::string term;
  term.reserve(folded.size());
  for (const utf8proc_int32_t cp : folded) {
    utf8proc_uint8_t bytes[4];
    term.append(reinterpret_cast<const char*>(bytes),
                utf8proc_encode_char(cp, bytes));
  }
  return term;
}

}  // namespace importai::search
