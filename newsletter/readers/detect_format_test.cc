#include <string>

#include "absl/status/status.h"
#include "common/limits.h"
#include "gmock/gmock.h"
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

// The readers' trees cost many times their input (common/limits.h): past its
// format's cap an input is refused before any tree is built.
TEST(ReadDocumentsTest, RefusesInputOverItsFormatsCap) {
  const std::string markdown(kMaxMarkdownInputBytes + 1, '*');
  absl::StatusOr<std::vector<SourceDocument>> read =
      ReadDocuments(markdown, v1::INPUT_FORMAT_MARKDOWN);
  EXPECT_EQ(read.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(read.status().message()),
              testing::StartsWith("Markdown input of 1048577 bytes is over"));
  const std::string html = "<p>" + std::string(kMaxMarkupInputBytes, 'a');
  for (v1::InputFormat format :
       {v1::INPUT_FORMAT_HTML, v1::INPUT_FORMAT_FEED,
        v1::INPUT_FORMAT_UNSPECIFIED}) {
    EXPECT_EQ(ReadDocuments(html, format).status().code(),
              absl::StatusCode::kResourceExhausted);
  }
  EXPECT_TRUE(ReadDocuments(std::string(kMaxMarkdownInputBytes, 'a'),
                            v1::INPUT_FORMAT_MARKDOWN)
                  .ok());
  // Plain text has no tree to inflate: the ingest limit alone bounds it.
  EXPECT_TRUE(ReadDocuments(html, v1::INPUT_FORMAT_TEXT).ok());
}

// libxml2 checks each attribute against the tag's earlier ones (quadratic):
// a tag with too many is refused up front, naming its line.
TEST(ReadDocumentsTest, RefusesATagWithTooManyAttributes) {
  auto tag = [](int attributes) {
    std::string html = "<html><body>\n<p>Import AI 1: x</p>\n<p";
    for (int i = 0; i < attributes; ++i) html += " a" + std::to_string(i);
    return html + ">text</p></body></html>";
  };
  EXPECT_TRUE(ReadDocuments(tag(256), v1::INPUT_FORMAT_HTML).ok());
  const absl::Status refused =
      ReadDocuments(tag(257), v1::INPUT_FORMAT_HTML).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.message(), "line 3: a tag with more than 256 attributes");
  // A hostile megabyte of attributes is refused at once, in a feed too.
  std::string feed = "<rss><channel><item";
  while (feed.size() < (1 << 20)) feed += " x=\"1\"";
  EXPECT_EQ(ReadDocuments(feed + "/></channel></rss>", v1::INPUT_FORMAT_FEED)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  // Spaces inside quoted values are not attributes.
  const std::string quoted = "<p title=\"" + std::string(1000, ' ') + "\">x</p>";
  EXPECT_TRUE(ReadDocuments(quoted, v1::INPUT_FORMAT_HTML).ok());
}

}  // namespace
}  // namespace importai::newsletter
