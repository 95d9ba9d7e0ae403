#include "gtest/gtest.h"
#include "newsletter/readers/readers.h"

namespace importai::newsletter {
namespace {

TEST(DetectFormatTest, TellsTheFourFormatsApart) {
  EXPECT_EQ(DetectFormat("Import AI 5: Bees\nby A\nHeading:\nBody.\n"),
            v1::INPUT_FORMAT_TEXT);
  EXPECT_EQ(DetectFormat("Import AI 5: Bees\n***\n**\nA lone rule above.\n"),
            v1::INPUT_FORMAT_TEXT);
  EXPECT_EQ(DetectFormat("---\ntitle: \"Import AI 5: Bees\"\n---\nBody\n"),
            v1::INPUT_FORMAT_MARKDOWN);
  EXPECT_EQ(DetectFormat("# Import AI 5: Bees\n\n**Heading:**\n"),
            v1::INPUT_FORMAT_MARKDOWN);
  EXPECT_EQ(DetectFormat("Intro\n\nRead more: [A paper](https://example.com)\n"),
            v1::INPUT_FORMAT_MARKDOWN);
  EXPECT_EQ(DetectFormat("<!DOCTYPE html><html><body><p>x</p></body></html>"),
            v1::INPUT_FORMAT_HTML);
  EXPECT_EQ(DetectFormat("\xEF\xBB\xBF  <p>Import AI 5: Bees</p>"),
            v1::INPUT_FORMAT_HTML);
  EXPECT_EQ(DetectFormat("<?xml version=\"1.0\"?>\n<rss version=\"2.0\">"),
            v1::INPUT_FORMAT_FEED);
  EXPECT_EQ(DetectFormat("<feed xmlns=\"http://www.w3.org/2005/Atom\">"),
            v1::INPUT_FORMAT_FEED);
  EXPECT_EQ(DetectFormat(""), v1::INPUT_FORMAT_TEXT);
}

TEST(DetectFormatTest, NamesEachFormatForMessages) {
  EXPECT_EQ(FormatName(v1::INPUT_FORMAT_TEXT), "text");
  EXPECT_EQ(FormatName(v1::INPUT_FORMAT_MARKDOWN), "Markdown");
  EXPECT_EQ(FormatName(v1::INPUT_FORMAT_HTML), "HTML");
  EXPECT_EQ(FormatName(v1::INPUT_FORMAT_FEED), "RSS/Atom feed");
}

}  // namespace
}  // namespace importai::newsletter
