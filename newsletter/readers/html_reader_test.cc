#include <chrono>
#include <cstring>
#include <string>
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

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

// An invented issue page: chrome around an <article>, metadata in <head>.
constexpr char kIssuePage[] = R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Import AI 901: Paper cranes | Example Letters</title>
<meta property="og:title" content="Import AI 901: Paper cranes; tidal compute; and a lighthouse that dreams">
<meta property="og:url" content="https://example.com/p/og-url">
<link rel="preload canonical" href=" https://example.com/p/import-ai-901 ">
<meta property="article:published_time" content="2031-03-03T13:05:00Z">
<script>var tracker = "<p>not text</p>";</script>
</head>
<body>
<nav><a href="/">Home</a> <a href="/archive">Archive</a></nav>
<header><h1>Example Letters</h1></header>
<article class="post newsletter-post">
<h1>Import AI 901: Paper cranes; tidal compute; and a lighthouse that dreams</h1>
<p>by Rosa Example</p>
<p>Welcome to Import AI, a newsletter about AI research.</p>
<div class="subscription-widget-wrap"><p>Subscribe now</p><form><input type="email"><button>Subscribe</button></form></div>
<h3><strong>Robots that fold paper cranes:</strong></h3>
<p><em>&#8230;A little arm learns the oldest toy&#8230;</em></p>
<p>Researchers at the invented Paperworks Lab taught an arm to fold cranes<sup>1</sup>.<br>
It works <a href="https://example.org/cranes">most of
  the time</a>, they say.</p>
<ul>
<li><p>Speed: 2 cranes a minute.</p></li>
<li>Cost: <b>cheap</b>.</li>
</ul>
<p><strong>Why this matters &#8211; toys are hard:</strong> Folding needs dexterity.</p>
<p>Read more: <a href="https://example.org/cranes.pdf">Folding Cranes With Feedback (arXiv)</a>.</p>
<hr>
<figure><img src="crane.png" alt="A crane"><figcaption>A crane, folded.</figcaption></figure>
<h3>Tech Tales:</h3>
<p><strong>The Lighthouse Keeper</strong></p>
<p><em>[A rocky coast, 2041]</em></p>
<blockquote><p>The lamp turned all night.</p><p>Nobody watched it.</p></blockquote>
<p><em>Things that inspired this story: lighthouses; patience; tides.</em></p>
<p class="button-wrapper"><a class="button primary" href="https://example.com/subscribe">Subscribe</a></p>
<div class="post-footer"><a class="post-ufi-button" href="#comments">12 comments</a></div>
</article>
<div class="comments-section"><p>Great issue!</p></div>
<footer>&copy; Example Letters</footer>
</body>
</html>
)";

SourceDocument ReadPage(absl::string_view html) {
  absl::StatusOr<std::vector<SourceDocument>> documents = ReadHtml(html);
  EXPECT_TRUE(documents.ok()) << documents.status();
  if (!documents.ok()) return {};
  EXPECT_THAT(*documents, SizeIs(1));
  return documents->empty() ? SourceDocument() : (*documents)[0];
}

std::vector<std::string> ShowPage(absl::string_view html) {
  return Show(ReadPage(html).blocks);
}

TEST(HtmlReaderTest, MapsAnIssuePageToBlocks) {
  const SourceDocument page = ReadPage(kIssuePage);
  EXPECT_THAT(
      Show(page.blocks),
      ElementsAre(
          "16 H Import AI 901: Paper cranes; tidal compute; and a lighthouse "
          "that dreams",
          "17 P by Rosa Example",
          "18 P Welcome to Import AI, a newsletter about AI research.",
          "20 H** Robots that fold paper cranes:",
          "21 P* \xE2\x80\xA6"
          "A little arm learns the oldest toy\xE2\x80\xA6",
          "22 P Researchers at the invented Paperworks Lab taught an arm to "
          "fold cranes.",
          "23 P It works most of the time, they say.",
          "26 L \xE2\x80\xA2 Speed: 2 cranes a minute.",
          "27 L \xE2\x80\xA2 Cost: cheap.",
          "29 P Why this matters \xE2\x80\x93 toys are hard: Folding needs "
          "dexterity.",
          "30 P Read more: Folding Cranes With Feedback (arXiv).", "31 R ",
          "33 H Tech Tales:", "34 P** The Lighthouse Keeper",
          "35 P* [A rocky coast, 2041]", "36 P The lamp turned all night.",
          "36 P Nobody watched it.",
          "37 P* Things that inspired this story: lighthouses; patience; "
          "tides."));
  EXPECT_THAT(ShowLinks(page.blocks),
              ElementsAre("6:[9,25) https://example.org/cranes",
                          "10:[11,47) https://example.org/cranes.pdf"));
}

TEST(HtmlReaderTest, ReadsPageMetadata) {
  const SourceDocument page = ReadPage(kIssuePage);
  EXPECT_EQ(page.title,
            "Import AI 901: Paper cranes; tidal compute; and a lighthouse "
            "that dreams");
  EXPECT_EQ(page.title_line, 6);
  EXPECT_EQ(page.uri, "https://example.com/p/import-ai-901");
  EXPECT_EQ(page.publish_time,
            absl::FromCivil(absl::CivilSecond(2031, 3, 3, 13, 5, 0),
                            absl::UTCTimeZone()));
  EXPECT_THAT(page.warnings, IsEmpty());
}

TEST(HtmlReaderTest, FallsBackToOgUrlTitleElementAndTimeElement) {
  const SourceDocument page = ReadPage(
      "<html><head>\n"
      "<title>Import AI 902:  Kelp farms</title>\n"
      "<meta property=\"og:url\" content=\"https://example.com/p/902\">\n"
      "<meta property=\"article:published_time\" content=\"soon\">\n"
      "</head><body>\n"
      "<p>Posted <time datetime=\"2031-03-10\">March 10</time></p>\n"
      "</body></html>");
  EXPECT_EQ(page.title, "Import AI 902: Kelp farms");
  EXPECT_EQ(page.title_line, 2);
  EXPECT_EQ(page.uri, "https://example.com/p/902");
  EXPECT_EQ(page.publish_time,
            absl::FromCivil(absl::CivilDay(2031, 3, 10), absl::UTCTimeZone()));
  EXPECT_THAT(page.warnings, ElementsAre("line 4: unrecognized date \"soon\""));
  EXPECT_THAT(Show(page.blocks), ElementsAre("6 P Posted March 10"));
}

TEST(HtmlReaderTest, ReadsTheBodyWithoutAnArticle) {
  const SourceDocument page = ReadPage(
      "<body>Loose text\n"
      "<div>Before <p>inside</p> after\n"
      "<section>deeper</section></div>tail</body>");
  EXPECT_THAT(Show(page.blocks),
              ElementsAre("1 P Loose text", "2 P Before", "2 P inside",
                          "2 P after", "3 P deeper", "3 P tail"));
  EXPECT_EQ(page.title, "");
  EXPECT_EQ(page.uri, "");
  EXPECT_EQ(page.publish_time, std::nullopt);
}

TEST(HtmlReaderTest, ReadsOnlyTheFirstArticleAndSaysSo) {
  const SourceDocument page =
      ReadPage("<body><p>Sidebar</p><article><p>First</p></article>\n"
               "<article><p>Second</p></article>\n<article>x</article></body>");
  EXPECT_THAT(Show(page.blocks), ElementsAre("1 P First"));
  EXPECT_THAT(page.warnings,
              ElementsAre("line 2: 2 more <article> elements on the page not "
                          "read (a page is one issue; send others as pages of "
                          "their own)"));
  EXPECT_THAT(ReadPage("<article><p>Only</p></article>").warnings, IsEmpty());
}

TEST(HtmlReaderTest, SplitsLinesAtBreaks) {
  EXPECT_THAT(ShowPage("<p><strong>Line one<br>\nLine two</strong><br><br>\n"
                       "<em>three</em> and four</p>\n"
                       "<h2>Head<br>Sub</h2>"),
              ElementsAre("1 P** Line one", "2 P** Line two",
                          "3 P three and four", "4 H Head", "4 H Sub"));
}

TEST(HtmlReaderTest, EmphasisCoversTheWholeLineInOneElement) {
  EXPECT_THAT(ShowPage("<p> <b> Whole line: </b> </p>\n"
                       "<p><strong>Part</strong> of a line</p>\n"
                       "<p><strong>Two</strong> <strong>elements</strong></p>\n"
                       "<p><i>Italic <a href=\"https://example.org/x\">with a "
                       "link</a></i></p>\n"
                       "<p><em><strong>Both</strong></em></p>\n"
                       "<p><strong>Bold, <em>partly italic</em></strong></p>"),
              ElementsAre("1 P** Whole line:", "2 P Part of a line",
                          "3 P Two elements", "4 P* Italic with a link",
                          "5 P** Both", "6 P** Bold, partly italic"));
}

TEST(HtmlReaderTest, LinkRangesAreOnTheNormalizedText) {
  const SourceDocument page = ReadPage(
      "<p>  Read\tmore:\n <a href=\"https://example.org/a\">  Folding\n"
      "   Cranes (arXiv) </a>now, <a href=\"https://example.org/b\">"
      "caf\xC3\xA9</a><a href=\"https://example.org/c\"> </a>"
      "<a href=\"#top\">top</a> <a href=\"javascript:void(0)\">js</a></p>\n"
      "<p><a href=\"https://example.org/d\">split<br>across</a> lines</p>");
  ASSERT_THAT(page.blocks, SizeIs(3));
  EXPECT_EQ(page.blocks[0].text,
            "Read more: Folding Cranes (arXiv) now, caf\xC3\xA9 top js");
  EXPECT_THAT(ShowLinks(page.blocks),
              ElementsAre("0:[11,33) https://example.org/a",
                          "0:[39,44) https://example.org/b",
                          "1:[0,5) https://example.org/d",
                          "2:[0,6) https://example.org/d"));
}

TEST(HtmlReaderTest, LinkRangesFollowTheListBullet) {
  const SourceDocument page = ReadPage(
      "<ul><li><a href=\"https://example.org/a\">Alpha</a> and "
      "<a href=\"https://example.org/b\">beta</a></li></ul>\n"
      "<p>\xE2\x80\xA2<a href=\"https://example.org/c\">Gamma</a></p>");
  EXPECT_THAT(Show(page.blocks), ElementsAre("1 L \xE2\x80\xA2 Alpha and beta",
                                             "2 P \xE2\x80\xA2 Gamma"));
  EXPECT_THAT(ShowLinks(page.blocks),
              ElementsAre("0:[4,9) https://example.org/a",
                          "0:[14,18) https://example.org/b",
                          "1:[4,9) https://example.org/c"));
}

TEST(HtmlReaderTest, ListItemsGetOneBulletEach) {
  EXPECT_THAT(
      ShowPage("<ul>\n"
               "<li>Outer<ul><li>Inner</li></ul></li>\n"
               "<li><p>First paragraph</p><p>second paragraph</p></li>\n"
               "<li>Line<br>break</li>\n"
               "<li></li>\n"
               "</ul><ol><li>Numbered</li></ol>"),
      ElementsAre("2 L \xE2\x80\xA2 Outer", "2 L \xE2\x80\xA2 Inner",
                  "3 L \xE2\x80\xA2 First paragraph", "3 P second paragraph",
                  "4 L \xE2\x80\xA2 Line", "4 P break",
                  "6 L \xE2\x80\xA2 Numbered"));
}

TEST(HtmlReaderTest, DropsWebChrome) {
  EXPECT_THAT(
      ShowPage(
          "<body><p>Kept one.</p>\n"
          "<script>alert('x')</script><style>p{}</style>"
          "<noscript>Enable JS</noscript><template><p>T</p></template>"
          "<nav>Menu</nav><header>Masthead</header><footer>Legal</footer>"
          "<form>Email</form><button>Click</button><svg><text>S</text></svg>"
          "<img "
          "alt=\"Alt\"><figure><p>Fig</p><figcaption>Cap</figcaption></figure>"
          "<iframe>Frame</iframe>"
          "<div class=\"share-dialog\">Share this</div>"
          "<div class=\"Subscribe-Prompt\">Subscribe</div>"
          "<div class=\"comment-list\">A comment</div>"
          "<p class=\"button-wrapper\">Button</p>\n"
          "<p>Kept two<sup>2</sup><sup>[3]</sup>"
          "<a href=\"#fn4\">(4)</a><a class=\"footnote-anchor\" href=\"#x\">"
          "5</a>.<sup>th</sup></p></body>"),
      ElementsAre("1 P Kept one.", "3 P Kept two.th"));
}

TEST(HtmlReaderTest, ReadsEmptyAndBlankPagesAsNoBlocks) {
  for (const char* input : {"", "   \n", "<html></html>", "<p> </p><br>"}) {
    EXPECT_THAT(ShowPage(input), IsEmpty()) << input;
  }
}

TEST(HtmlReaderTest, ReadsTheInputAsUtf8WhateverTheMetaSays) {
  EXPECT_THAT(ShowPage("<meta charset=\"iso-8859-1\">"
                       "<p>Caf\xC3\xA9 &amp; cr\xC3\xAApe</p>"),
              ElementsAre("1 P Caf\xC3\xA9 & cr\xC3\xAApe"));
}

TEST(HtmlFragmentTest, NumbersLinesFromTheFirstLine) {
  absl::StatusOr<SourceDocument> fragment =
      ReadHtmlFragment("<h3>Kelp farms:</h3>\n<p>Line two</p>\n\n<hr>", 40);
  ASSERT_TRUE(fragment.ok()) << fragment.status();
  EXPECT_THAT(Show(fragment->blocks),
              ElementsAre("40 H Kelp farms:", "41 P Line two", "43 R "));
  EXPECT_EQ(fragment->title, "");
}

TEST(HtmlFragmentTest, NeverNumbersABlockBeforeTheFirstLine) {
  // Newlines from character references are not input lines.
  absl::StatusOr<SourceDocument> fragment =
      ReadHtmlFragment("<div>a&#10;&#10;b<br>c&#10;&#10;&#10;d</div>", 50);
  ASSERT_TRUE(fragment.ok()) << fragment.status();
  EXPECT_THAT(Show(fragment->blocks), ElementsAre("50 P a b", "50 P c d"));
}

TEST(HtmlFragmentTest, ReadsBareText) {
  absl::StatusOr<SourceDocument> fragment =
      ReadHtmlFragment("Just text, <b>no</b> markup &amp; more", 1);
  ASSERT_TRUE(fragment.ok()) << fragment.status();
  EXPECT_THAT(Show(fragment->blocks),
              ElementsAre("1 P Just text, no markup & more"));
}

TEST(HtmlFragmentTest, NamesTheLineOfTooDeepNesting) {
  absl::StatusOr<SourceDocument> fragment =
      ReadHtmlFragment(absl::StrCat("\n", Repeat("<div>", 300)), 10);
  EXPECT_EQ(fragment.status(), absl::InvalidArgumentError(
                                   "line 11: nested deeper than 256 elements"));
}

TEST(HtmlReaderTest, KeepsLibxmlOffStderr) {
  ::testing::internal::CaptureStderr();
  ReadPage(absl::StrCat("<p>\xFF\xFE</b></i><unknown-tag x=1 x=2><p\x01>",
                        std::string(1, '\0'), "<!-- "));
  EXPECT_FALSE(ReadHtml(Repeat("<div>", 1000)).ok());
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
}

// Hostile inputs: each finishes fast, with valid blocks or a clean error.

TEST(HtmlHostileTest, RefusesNestingPastTheLimit) {
  const std::string deep = Repeat("<div>", 100'000) + "text";
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(
      ReadHtml(deep).status(),
      absl::InvalidArgumentError("line 1: nested deeper than 256 elements"));
  ExpectLinearTime(start);

  // Inline elements count too; just under the limit is read.
  EXPECT_FALSE(ReadHtml(Repeat("<span>", 100'000)).ok());
  const SourceDocument page =
      ReadPage(Repeat("<div>", 200) +
               "<p>deep <a href=\"https://example.org\">"
               "enough</a></p>");
  EXPECT_THAT(Show(page.blocks), ElementsAre("1 P deep enough"));
}

TEST(HtmlHostileTest, ReadsTenMegabytesOfTagsInLinearTime) {
  for (const char* unit :
       {"<p><b>x</b></p>\n", "<br>", "</i>", "<li>", "<table><tr><td>c"}) {
    const std::string input = Repeat(unit, (10 << 20) / std::strlen(unit));
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<std::vector<SourceDocument>> documents = ReadHtml(input);
    ExpectLinearTime(start, unit);
    if (documents.ok()) ExpectWellFormed(*documents);
  }
}

TEST(HtmlHostileTest, ReplacesInvalidUtf8AndNulBytes) {
  const std::string nul(1, '\0');
  const std::string input = absl::StrCat(
      "<p title=\"\xC0\">a", nul, "b\xFF", "c \xE2\x82 d\xED\xA0\x80 ",
      "\xF4\x90\x80\x80 e</p><a href=\"https://example.org/\xFE\">\xC3</a>",
      nul, nul);
  const SourceDocument page = ReadPage(input);
  ExpectWellFormed({page});
  ASSERT_THAT(page.blocks, SizeIs(2));
  EXPECT_THAT(page.blocks[0].text, HasSubstr("c \xEF\xBF\xBD"));
  EXPECT_THAT(page.blocks[1].links, SizeIs(1));
}

TEST(HtmlHostileTest, ReadsRandomBytes) {
  // Markup characters, letters that make tag names, a split UTF-8 sequence
  // and (the terminator included) NUL bytes.
  constexpr char kAlphabet[] = "<>/=\"' \nabp&;#\xC3\xA9";
  uint32_t seed = 12345;
  std::string input;
  for (int i = 0; i < (2 << 20); ++i) {
    seed = seed * 1664525 + 1013904223;
    input.push_back(kAlphabet[(seed >> 16) % sizeof(kAlphabet)]);
  }
  absl::StatusOr<std::vector<SourceDocument>> documents = ReadHtml(input);
  if (documents.ok()) ExpectWellFormed(*documents);
}

}  // namespace
}  // namespace importai::newsletter
