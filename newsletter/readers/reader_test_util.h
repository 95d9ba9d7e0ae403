#ifndef IMPORTAI_NEWSLETTER_READERS_READER_TEST_UTIL_H_
#define IMPORTAI_NEWSLETTER_READERS_READER_TEST_UTIL_H_

// Test helpers for the HTML and feed readers: blocks as one-line strings for
// ElementsAre, and the invariants every block must keep.

#include <chrono>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "newsletter/blocks.h"
#include "newsletter/text.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define IMPORTAI_READER_TEST_SLOW_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define IMPORTAI_READER_TEST_SLOW_BUILD 1
#endif
#endif
#if !defined(NDEBUG)
#define IMPORTAI_READER_TEST_SLOW_BUILD 1
#endif

namespace importai::newsletter {

// Fails unless the time since `start` fits reading a hostile input (1-10 MB)
// in linear time: seconds in an optimized build, a minute under sanitizers
// or without optimization. A quadratic path would take hours.
inline void ExpectLinearTime(std::chrono::steady_clock::time_point start,
                             absl::string_view what = "") {
#ifdef IMPORTAI_READER_TEST_SLOW_BUILD
  constexpr std::chrono::seconds kBudget(60);
#else
  constexpr std::chrono::seconds kBudget(5);
#endif
  EXPECT_LT(std::chrono::steady_clock::now() - start, kBudget) << what;
}

inline std::string Repeat(absl::string_view unit, size_t times) {
  std::string out;
  out.reserve(unit.size() * times);
  for (size_t i = 0; i < times; ++i) out.append(unit.data(), unit.size());
  return out;
}

// "12 H** text": line, kind (Paragraph, Heading, Rule, List item), emphasis
// ("*" italic, "**" strong), text.
inline std::vector<std::string> Show(const std::vector<Block>& blocks) {
  std::vector<std::string> shown;
  for (const Block& block : blocks) {
    const char* kind = block.kind == BlockKind::kHeading    ? "H"
                       : block.kind == BlockKind::kRule     ? "R"
                       : block.kind == BlockKind::kListItem ? "L"
                                                            : "P";
    const char* emphasis = block.emphasis == Emphasis::kStrong   ? "**"
                           : block.emphasis == Emphasis::kItalic ? "*"
                                                                 : "";
    shown.push_back(
        absl::StrCat(block.number, " ", kind, emphasis, " ", block.text));
  }
  return shown;
}

// "3:[4,9) uri": block index, byte range, address.
inline std::vector<std::string> ShowLinks(const std::vector<Block>& blocks) {
  std::vector<std::string> shown;
  for (size_t i = 0; i < blocks.size(); ++i) {
    for (const InlineLink& link : blocks[i].links) {
      shown.push_back(
          absl::StrCat(i, ":[", link.begin, ",", link.end, ") ", link.uri));
    }
  }
  return shown;
}

// What blocks.h promises of every block, whatever the input.
inline void ExpectWellFormed(const std::vector<SourceDocument>& documents) {
  for (const SourceDocument& document : documents) {
    EXPECT_EQ(NormalizeWhitespace(document.title), document.title);
    EXPECT_EQ(NormalizeWhitespace(document.uri), document.uri);
    int line = 1;
    for (const Block& block : document.blocks) {
      // Normalized text is valid UTF-8 with no newline or outer space.
      ASSERT_EQ(NormalizeWhitespace(block.text), block.text);
      ASSERT_EQ(block.text.empty(), block.kind == BlockKind::kRule);
      ASSERT_GE(block.number, line);
      line = block.number;
      size_t end = 0;
      for (const InlineLink& link : block.links) {
        ASSERT_LE(end, link.begin);
        ASSERT_LT(link.begin, link.end);
        ASSERT_LE(link.end, block.text.size());
        ASSERT_EQ(NormalizeWhitespace(link.uri), link.uri);
        end = link.end;
      }
    }
  }
}

}  // namespace importai::newsletter

#endif  // IMPORTAI_NEWSLETTER_READERS_READER_TEST_UTIL_H_
