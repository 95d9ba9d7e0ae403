#include "search/utf8.h"

#include <string>

#include "gtest/gtest.h"

namespace importai::search {
namespace {

TEST(DecodeUtf8Test, DecodesWellFormedSequences) {
  const std::string text = "a\xC3\xA9\xE2\x80\x99\xF0\x9F\xA4\x96";
  Utf8Char c = DecodeUtf8(text, 0);
  EXPECT_TRUE(c.valid);
  EXPECT_EQ(c.code_point, U'a');
  EXPECT_EQ(c.length, 1);
  c = DecodeUtf8(text, 1);
  EXPECT_EQ(c.code_point, U'\u00E9');
  EXPECT_EQ(c.length, 2);
  c = DecodeUtf8(text, 3);
  EXPECT_EQ(c.code_point, U'\u2019');
  EXPECT_EQ(c.length, 3);
  c = DecodeUtf8(text, 6);
  EXPECT_EQ(c.code_point, U'\U0001F916');
  EXPECT_EQ(c.length, 4);
}

TEST(DecodeUtf8Test, RejectsMalformedBytesOneAtATime) {
  for (const char* bad :
       {"\x80", "\xC0\xAF", "\xC3", "\xE2\x80", "\xED\xA0\x80", "\xE0\x80\x80",
        "\xF0\x80\x80\x80", "\xF4\x90\x80\x80", "\xFF"}) {
    const Utf8Char c = DecodeUtf8(bad, 0);
    EXPECT_FALSE(c.valid) << bad;
    EXPECT_EQ(c.length, 1) << bad;
  }
}

TEST(IsSpaceOrControlTest, Classifies) {
  for (const char32_t cp : {U' ', U'\n', U'\0', U'\x7F', U'\u00A0', U'\u2003',
                            U'\u202F', U'\u3000', U'\uFEFF'}) {
    EXPECT_TRUE(IsSpaceOrControl(cp)) << static_cast<int>(cp);
  }
  for (const char32_t cp : {U'a', U'-', U'\u00E9', U'\u2022', U'\u200B'}) {
    EXPECT_FALSE(IsSpaceOrControl(cp)) << static_cast<int>(cp);
  }
}

TEST(CharPositionTest, CountsCharactersFromOne) {
  const std::string text = "Z\xC3\xBCrich x";
  EXPECT_EQ(CharPosition(text, 0), 1u);
  EXPECT_EQ(CharPosition(text, 3), 3u);
  EXPECT_EQ(CharPosition(text, 8), 8u);
  EXPECT_EQ(CharPosition(text, text.size()), 9u);
  EXPECT_EQ(CharPosition("\xFF\xFF"
                         "a",
                         2),
            3u);
}

TEST(QuoteForMessageTest, EscapesWhatCouldConfuseAReader) {
  EXPECT_EQ(QuoteForMessage("say \"hi\" \\ Z\xC3\xBCrich"),
            "\"say \\\"hi\\\" \\\\ Z\xC3\xBCrich\"");
  EXPECT_EQ(QuoteForMessage(std::string("a\0b\n\xFF", 5)),
            "\"a\\x00b\\x0A\\xFF\"");
}

TEST(QuoteForMessageTest, QuotesOnlyTheStartOfALongText) {
  const std::string quoted = QuoteForMessage(std::string(1 << 20, 'x'));
  EXPECT_LT(quoted.size(), 100u);
  EXPECT_EQ(quoted.substr(0, 4), "\"xxx");
  EXPECT_EQ(quoted.substr(quoted.size() - 4), "...\"");
}

}  // namespace
}  // namespace importai::search
