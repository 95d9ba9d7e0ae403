#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "newsletter/readers/reader_test_util.h"
#include "newsletter/readers/readers.h"

namespace importai::newsletter {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;

absl::Time Utc(int year, int month, int day, int hour, int minute) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, 0),
                         absl::UTCTimeZone());
}

// An invented RSS 2.0 feed: one issue with content:encoded, one with only a
// description, one with neither.
constexpr char kRssFeed[] = R"(<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
<title>Example Letters</title>
<link>https://example.com</link>
<item>
<title>Import AI 903: Moss computers; the quiet benchmark; and a clockwork fox</title>
<link>https://example.com/p/import-ai-903</link>
<pubDate>Mon, 17 Mar 2031 12:30:00 GMT</pubDate>
<description>A short summary that content:encoded replaces.</description>
<content:encoded><![CDATA[<p>Welcome to Import AI.</p>
<h3><strong>Moss computers:</strong></h3>
<p><em>&#8230;Green circuits, slowly&#8230;</em></p>
<p>Read more: <a href="https://example.org/moss">Moss Logic (arXiv)</a>.</p>
<hr>]]></content:encoded>
</item>
<item>
<title>Import AI 902: Kelp farms</title>
<link> https://example.com/p/import-ai-902 </link>
<description>&lt;p&gt;Kelp grows &amp;amp; grows.&lt;/p&gt;</description>
</item>
<item>
<title>A note with no body</title>
<pubDate>next Tuesday</pubDate>
</item>
</channel>
</rss>
)";

std::vector<SourceDocument> ReadOk(absl::string_view input) {
  absl::StatusOr<std::vector<SourceDocument>> documents = ReadFeed(input);
  EXPECT_TRUE(documents.ok()) << documents.status();
  if (!documents.ok()) return {};
  ExpectWellFormed(*documents);
  return *std::move(documents);
}

TEST(FeedReaderTest, ReadsRssItems) {
  const std::vector<SourceDocument> items = ReadOk(kRssFeed);
  ASSERT_THAT(items, SizeIs(3));

  EXPECT_EQ(items[0].title,
            "Import AI 903: Moss computers; the quiet benchmark; and a "
            "clockwork fox");
  EXPECT_EQ(items[0].title_line, 7);
  EXPECT_EQ(items[0].uri, "https://example.com/p/import-ai-903");
  EXPECT_EQ(items[0].publish_time, Utc(2031, 3, 17, 12, 30));
  EXPECT_THAT(
      Show(items[0].blocks),
      ElementsAre("11 P Welcome to Import AI.", "12 H** Moss computers:",
                  "13 P* \xE2\x80\xA6Green circuits, slowly\xE2\x80\xA6",
                  "14 P Read more: Moss Logic (arXiv).", "15 R "));
  EXPECT_THAT(ShowLinks(items[0].blocks),
              ElementsAre("3:[11,29) https://example.org/moss"));
  EXPECT_THAT(items[0].warnings, IsEmpty());

  EXPECT_EQ(items[1].title, "Import AI 902: Kelp farms");
  EXPECT_EQ(items[1].uri, "https://example.com/p/import-ai-902");
  EXPECT_EQ(items[1].publish_time, std::nullopt);
  EXPECT_THAT(Show(items[1].blocks), ElementsAre("20 P Kelp grows & grows."));
  EXPECT_THAT(items[1].warnings, IsEmpty());

  EXPECT_EQ(items[2].title, "A note with no body");
  EXPECT_THAT(items[2].blocks, IsEmpty());
  EXPECT_THAT(items[2].warnings,
              ElementsAre("line 24: unrecognized date \"next Tuesday\"",
                          "line 22: item has no content"));
}

// An invented Atom feed: HTML content, XHTML content, a text summary.
constexpr char kAtomFeed[] = R"(<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Example Letters</title>
<entry>
<title type="html">Import AI 904: Sand &amp;amp; silicon</title>
<link rel="self" href="https://example.com/feed/904"/>
<link rel="alternate" type="text/html" href="https://example.com/p/import-ai-904"/>
<published>2031-03-24T08:00:00-04:00</published>
<updated>2031-03-25T08:00:00Z</updated>
<content type="html">&lt;h3&gt;Sand computers:&lt;/h3&gt;
&lt;p&gt;Grains &lt;a href="https://example.org/sand"&gt;sorted&lt;/a&gt;.&lt;/p&gt;</content>
</entry>
<entry>
<title>Import AI 905: Glass bees</title>
<link href="https://example.com/p/import-ai-905"/>
<updated>2031-03-31T08:00:00Z</updated>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">
<p><strong>Glass bees:</strong></p>
<p>They <a href="https://example.org/bees">hum</a>.<br/>Quietly.</p>
<div class="share-widget"><p>Share</p></div>
</div></content>
</entry>
<entry>
<title>Import AI 906: Tide clocks</title>
<summary>Tides keep time.
A second line.</summary>
</entry>
</feed>
)";

TEST(FeedReaderTest, ReadsAtomEntries) {
  const std::vector<SourceDocument> entries = ReadOk(kAtomFeed);
  ASSERT_THAT(entries, SizeIs(3));

  EXPECT_EQ(entries[0].title, "Import AI 904: Sand & silicon");
  EXPECT_EQ(entries[0].title_line, 5);
  EXPECT_EQ(entries[0].uri, "https://example.com/p/import-ai-904");
  EXPECT_EQ(entries[0].publish_time, Utc(2031, 3, 24, 12, 0));
  EXPECT_THAT(Show(entries[0].blocks),
              ElementsAre("10 H Sand computers:", "11 P Grains sorted."));
  EXPECT_THAT(ShowLinks(entries[0].blocks),
              ElementsAre("1:[7,13) https://example.org/sand"));

  EXPECT_EQ(entries[1].uri, "https://example.com/p/import-ai-905");
  EXPECT_EQ(entries[1].publish_time, Utc(2031, 3, 31, 8, 0));
  EXPECT_THAT(
      Show(entries[1].blocks),
      ElementsAre("18 P** Glass bees:", "19 P They hum.", "19 P Quietly."));
  EXPECT_THAT(ShowLinks(entries[1].blocks),
              ElementsAre("1:[5,8) https://example.org/bees"));

  EXPECT_EQ(entries[2].uri, "");
  EXPECT_THAT(Show(entries[2].blocks),
              ElementsAre("25 P Tides keep time.", "26 P A second line."));
  for (const SourceDocument& entry : entries) {
    EXPECT_THAT(entry.warnings, IsEmpty());
  }
}

TEST(FeedReaderTest, WarnsAboutContentItCannotRead) {
  const std::vector<SourceDocument> entries = ReadOk(
      "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
      "<entry><content type=\"image/png\">iVBOR</content></entry>\n"
      "<entry><content src=\"https://example.org/x\" type=\"html\"/></entry>\n"
      "<entry><content type=\"html\">" +
      Repeat("&lt;div&gt;", 300) + "</content></entry>\n</feed>");
  ASSERT_THAT(entries, SizeIs(3));
  EXPECT_THAT(entries[0].warnings,
              ElementsAre("line 2: content of type \"image/png\" is not read"));
  EXPECT_THAT(entries[1].warnings,
              ElementsAre("line 3: content of type \"html\" is not read"));
  EXPECT_THAT(entries[2].warnings,
              ElementsAre("line 4: nested deeper than 256 elements"));
}

TEST(FeedReaderTest, RefusesMalformedXml) {
  EXPECT_EQ(ReadFeed("<rss>\n<channel>\n<item></channel></rss>").status(),
            absl::InvalidArgumentError(
                "line 3: feed is not well-formed XML: Opening and ending tag "
                "mismatch: item line 3 and channel"));
  EXPECT_THAT(std::string(ReadFeed("").status().message()),
              StartsWith("line 1: feed is not well-formed XML: "));
  EXPECT_THAT(std::string(ReadFeed("<rss><channel><item><title>a &nbsp; "
                                   "b</title></item></channel></rss>")
                              .status()
                              .message()),
              HasSubstr("Entity 'nbsp' not defined"));
}

TEST(FeedReaderTest, RefusesOtherRootsNamingThem) {
  EXPECT_EQ(ReadFeed("<?xml version=\"1.0\"?>\n<html><body/></html>").status(),
            absl::InvalidArgumentError(
                "line 2: the root element <html> is neither RSS 2.0 <rss> "
                "nor Atom <feed>"));
  EXPECT_EQ(
      ReadFeed("<feed xmlns=\"https://example.org/not-atom\"/>").status(),
      absl::InvalidArgumentError(
          "line 1: the root element <feed> (namespace "
          "\"https://example.org/not-atom\") is neither RSS 2.0 <rss> nor "
          "Atom <feed>"));
  EXPECT_EQ(ReadFeed("<rss version=\"2.0\"/>").status(),
            absl::InvalidArgumentError("line 1: <rss> has no <channel>"));
}

TEST(FeedReaderTest, RefusesFeedsWithoutItems) {
  EXPECT_EQ(
      ReadFeed("<rss>\n<channel><title>Empty</title></channel></rss>").status(),
      absl::InvalidArgumentError("line 1: the feed has no items"));
  EXPECT_EQ(
      ReadFeed("<feed xmlns=\"http://www.w3.org/2005/Atom\"><title/></feed>")
          .status(),
      absl::InvalidArgumentError("line 1: the feed has no items"));
}

TEST(FeedReaderTest, ReportsErrorsPerThread) {
  // Error capture is per thread: concurrent readers keep their own messages.
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t] {
      const std::string tag = absl::StrCat("tag", t);
      const std::string input = absl::StrCat("<rss><", tag, "></wrong></rss>");
      for (int i = 0; i < 200; ++i) {
        EXPECT_THAT(std::string(ReadFeed(input).status().message()),
                    HasSubstr(absl::StrCat("mismatch: ", tag, " line 1")));
        EXPECT_TRUE(ReadHtml("<p>ok</b>").ok());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
}

TEST(FeedReaderTest, KeepsLibxmlOffStderr) {
  ::testing::internal::CaptureStderr();
  EXPECT_FALSE(ReadFeed("<rss><channel>\xFF</rss>").ok());
  EXPECT_FALSE(
      ReadFeed("<?xml version=\"1.0\" encoding=\"no-such\"?><rss/>").ok());
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
}

// Hostile inputs: each finishes fast, and nothing unsafe reaches the output.

TEST(FeedHostileTest, RefusesNestingPastTheLimit) {
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(
      ReadFeed("<rss>\n<channel>" + Repeat("<x>", 100'000)).status(),
      absl::InvalidArgumentError("line 2: nested deeper than 256 elements"));
  ExpectLinearTime(start);
}

TEST(FeedHostileTest, RefusesBillionLaughs) {
  std::string input =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n"
      "<!ENTITY lol0 \"lol\">\n";
  for (int i = 1; i <= 9; ++i) {
    absl::StrAppend(&input, "<!ENTITY lol", i, " \"",
                    Repeat(absl::StrCat("&lol", i - 1, ";"), 10), "\">\n");
  }
  absl::StrAppend(&input,
                  "]>\n<rss><channel><item><title>&lol9;</title>"
                  "<description>&lol9;</description></item></channel></rss>");
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<std::vector<SourceDocument>> documents = ReadFeed(input);
  ExpectLinearTime(start);
  if (documents.ok()) {
    for (const SourceDocument& document : *documents) {
      EXPECT_LT(document.title.size(), 1000u);
      for (const Block& block : document.blocks) {
        EXPECT_LT(block.text.size(), 1000u);
      }
    }
  } else {
    EXPECT_EQ(documents.status().code(), absl::StatusCode::kInvalidArgument);
  }
}

TEST(FeedHostileTest, DoesNotExpandManyReferencesToABigEntity) {
  const std::string input = absl::StrCat(
      "<!DOCTYPE rss [<!ENTITY big \"", Repeat("big ", 2500), "\">]>\n",
      "<rss><channel><item><title>", Repeat("&big;", 500'000),
      "</title><description>", Repeat("&big;", 500'000),
      "</description></item></channel></rss>");
  const auto start = std::chrono::steady_clock::now();
  const std::vector<SourceDocument> items = ReadOk(input);
  ExpectLinearTime(start);
  ASSERT_THAT(items, SizeIs(1));
  EXPECT_EQ(items[0].title, "");
  EXPECT_THAT(items[0].warnings,
              ElementsAre("line 2: item has no content",
                          "line 2: entity references are not expanded"));
}

TEST(FeedHostileTest, NeverReadsExternalEntities) {
  const std::vector<SourceDocument> items = ReadOk(
      "<?xml version=\"1.0\"?>\n"
      "<!DOCTYPE rss [\n"
      "<!ENTITY x SYSTEM \"file:///etc/passwd\">\n"
      "<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;\n"
      "]>\n"
      "<rss><channel><item><title>a &x; b</title>"
      "<description>&lt;p&gt;c&lt;/p&gt;&x;</description>"
      "</item></channel></rss>");
  ASSERT_THAT(items, SizeIs(1));
  EXPECT_EQ(items[0].title, "a b");
  EXPECT_THAT(Show(items[0].blocks), ElementsAre("6 P c"));
  for (const Block& block : items[0].blocks) {
    EXPECT_THAT(block.text, Not(HasSubstr("root:")));
  }
  EXPECT_THAT(items[0].warnings,
              ElementsAre("line 6: entity references are not expanded"));
}

TEST(FeedHostileTest, ReadsTenMegabytesOfTagsInLinearTime) {
  const std::string items = Repeat(
      "<item><title>T</title><description>&lt;p&gt;d&lt;/p&gt;"
      "</description></item>\n",
      150'000);
  const std::string tags = Repeat("<x/>", 2'500'000);
  for (const std::string& input :
       {absl::StrCat("<rss><channel>", items, "</channel></rss>"),
        absl::StrCat("<rss><channel><item>", tags,
                     "</item></channel></rss>")}) {
    const auto start = std::chrono::steady_clock::now();
    const std::vector<SourceDocument> documents = ReadOk(input);
    ExpectLinearTime(start);
    EXPECT_FALSE(documents.empty());
  }
}

TEST(FeedHostileTest, RefusesInvalidUtf8AndNulBytes) {
  const std::string nul(1, '\0');
  for (const std::string& input :
       {std::string("<rss><channel><item><title>caf\xFF</title>"),
        absl::StrCat("<rss><channel><item><title>a", nul, "b</title>"),
        absl::StrCat("<rss>\n<channel><item><description><![CDATA[<p>\xC3",
                     "</p>]]></description></item></channel></rss>")}) {
    absl::StatusOr<std::vector<SourceDocument>> documents = ReadFeed(input);
    EXPECT_EQ(documents.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(
        std::string(documents.status().message()),
        AllOf(StartsWith("line "), HasSubstr("feed is not well-formed XML")));
  }
}

}  // namespace
}  // namespace importai::newsletter
