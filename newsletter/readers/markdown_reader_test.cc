#include <cstddef>
#include <iterator>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
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

// Reads `markdown`, which must give exactly one well-formed document.
SourceDocument Read(absl::string_view markdown) {
  auto documents = ReadMarkdown(markdown);
  EXPECT_TRUE(documents.ok()) << documents.status();
  if (!documents.ok()) return {};
  ExpectWellFormed(*documents);
  EXPECT_THAT(*documents, SizeIs(1));
  return documents->empty() ? SourceDocument() : std::move(documents->front());
}

std::vector<std::string> ShowBlocks(absl::string_view markdown) {
  return Show(Read(markdown).blocks);
}

// The linked stretches of `block`'s text: "text -> uri".
std::vector<std::string> Linked(const Block& block) {
  std::vector<std::string> linked;
  for (const InlineLink& link : block.links) {
    linked.push_back(
        absl::StrCat(block.text.substr(link.begin, link.end - link.begin),
                     " -> ", link.uri));
  }
  return linked;
}

// An invented issue in the newsletter's shape, as a static site keeps it.
constexpr absl::string_view kIssue = R"md(---
title: "Import AI 901: Orchard robots; a tokenizer diet; and the patience test"
url: https://example.com/p/import-ai-901
date: 2031-05-12T08:30:00Z
tags: [robots, tokenizers]
---

# Import AI 901: Orchard robots; a tokenizer diet; and the patience test

by Jack Clark

Welcome to Import AI, a newsletter about AI research. This week's issue was
written on a train with unreliable wifi.

**Orchard robots learn to prune by watching:**  
_…A thousand hours of gardeners beats a lot of simulation…_  
Researchers with the Example Institute of Horticulture trained a robot arm to
prune apple trees from videos of gardeners. Their system,
[PRUNER](https://example.org/pruner), beats a simulation-trained baseline.

**Why this matters – physical work is data-limited:** Robots improve as
their data gets cheaper.

Read more: [Pruning by Watching (arXiv)](https://example.org/abs/2031.00001).

***

**A tokenizer diet:**
*…Smaller vocabularies, same scores…*
A fictional lab shrinks its vocabulary from 256k to 32k entries with no loss
on `eval-suite`.[^1]

* * *

**Tech Tales:**

**The Patience Test**

*[A datacenter basement, 2034]*

The model was asked to wait, so it waited.

Things that inspired this story: waiting rooms; *benchmarks*; fan noise.
)md";

TEST(MarkdownReaderTest, ReadsAnIssueWithFrontMatter) {
  const SourceDocument document = Read(kIssue);
  EXPECT_EQ(document.title,
            "Import AI 901: Orchard robots; a tokenizer diet; and the "
            "patience test");
  EXPECT_EQ(document.title_line, 2);
  EXPECT_EQ(document.uri, "https://example.com/p/import-ai-901");
  EXPECT_EQ(document.publish_time,
            absl::FromCivil(absl::CivilSecond(2031, 5, 12, 8, 30, 0),
                            absl::UTCTimeZone()));
  EXPECT_THAT(document.warnings, IsEmpty());
  EXPECT_THAT(
      Show(document.blocks),
      ElementsAre(
          "8 H Import AI 901: Orchard robots; a tokenizer diet; and the "
          "patience test",
          "10 P by Jack Clark",
          "12 P Welcome to Import AI, a newsletter about AI research. This "
          "week's issue was written on a train with unreliable wifi.",
          "15 P** Orchard robots learn to prune by watching:",
          "16 P* …A thousand hours of gardeners beats a lot of simulation…",
          "17 P Researchers with the Example Institute of Horticulture "
          "trained a robot arm to prune apple trees from videos of "
          "gardeners. Their system, PRUNER, beats a simulation-trained "
          "baseline.",
          "21 P Why this matters – physical work is data-limited: Robots "
          "improve as their data gets cheaper.",
          "24 P Read more: Pruning by Watching (arXiv).",  //
          "26 R ",                                         //
          "28 P** A tokenizer diet:",
          "29 P* …Smaller vocabularies, same scores…",
          "30 P A fictional lab shrinks its vocabulary from 256k to 32k "
          "entries with no loss on eval-suite.[^1]",
          "33 R ",                                //
          "35 P** Tech Tales:",                   //
          "37 P** The Patience Test",             //
          "39 P* [A datacenter basement, 2034]",  //
          "41 P The model was asked to wait, so it waited.",
          "43 P Things that inspired this story: waiting rooms; benchmarks; "
          "fan noise."));
  EXPECT_THAT(Linked(document.blocks[5]),
              ElementsAre("PRUNER -> https://example.org/pruner"));
  EXPECT_THAT(Linked(document.blocks[7]),
              ElementsAre("Pruning by Watching (arXiv) -> "
                          "https://example.org/abs/2031.00001"));
}

TEST(MarkdownFrontMatterTest, ReadsABareDateAsMidnightUtc) {
  const SourceDocument document = Read("---\ndate: 2031-05-12\n---\nText\n");
  EXPECT_EQ(document.publish_time,
            absl::FromCivil(absl::CivilDay(2031, 5, 12), absl::UTCTimeZone()));
  EXPECT_THAT(document.warnings, IsEmpty());
}

TEST(MarkdownFrontMatterTest, WarnsOfADateThatIsNotADate) {
  const SourceDocument document =
      Read("---\ntitle: \"Import AI 902: Kites\"\ndate: soon\n---\nText\n");
  EXPECT_EQ(document.title, "Import AI 902: Kites");
  EXPECT_EQ(document.publish_time, std::nullopt);
  EXPECT_THAT(document.warnings,
              ElementsAre("line 3: front matter date \"soon\" is not a date; "
                          "ignored"));
  EXPECT_THAT(Show(document.blocks), ElementsAre("5 P Text"));
}

TEST(MarkdownFrontMatterTest, IgnoresYamlThatDoesNotParse) {
  // An unquoted title with a second ": " is a common slip.
  const SourceDocument document = Read(
      "---\nurl: https://example.com/p/903\ntitle: Import AI 903: Kites; "
      "tides\n---\n\nBody text.\n");
  EXPECT_EQ(document.title, "");
  EXPECT_EQ(document.uri, "");
  ASSERT_THAT(document.warnings, SizeIs(1));
  EXPECT_THAT(document.warnings[0],
              HasSubstr("line 3: front matter is not valid YAML ("));
  EXPECT_THAT(document.warnings[0], HasSubstr("); ignored"));
  EXPECT_THAT(Show(document.blocks), ElementsAre("6 P Body text."));
}

TEST(MarkdownFrontMatterTest, IgnoresFrontMatterThatIsNotAMapping) {
  EXPECT_THAT(Read("---\n- title\n- url\n---\nBody\n").warnings,
              ElementsAre("line 2: front matter is not a mapping of keys to "
                          "values; ignored"));
  EXPECT_THAT(Read("---\njust a sentence\n---\nBody\n").warnings,
              ElementsAre("line 2: front matter is not a mapping of keys to "
                          "values; ignored"));
}

TEST(MarkdownFrontMatterTest, ReadsOnlyTopLevelTextValues) {
  const SourceDocument document = Read(R"md(---
authors:
  - name: Someone Else
    url: https://example.org/not-the-issue
    title: Not the title
title: [Import AI 904, Lists]
url: https://example.com/p/904
date: ~
layout: post
---
Body
)md");
  EXPECT_EQ(document.title, "");
  EXPECT_EQ(document.uri, "https://example.com/p/904");
  EXPECT_EQ(document.publish_time, std::nullopt);
  EXPECT_THAT(document.warnings,
              ElementsAre("line 6: front matter title is not text; ignored"));
  EXPECT_THAT(Show(document.blocks), ElementsAre("11 P Body"));
}

TEST(MarkdownFrontMatterTest, AcceptsDotsCrLfAndAByteOrderMark) {
  const SourceDocument document = Read(
      "\xEF\xBB\xBF---\r\ntitle: 'Import AI 905:   Kites'\r\n...\r\nBody\r\n");
  EXPECT_EQ(document.title, "Import AI 905: Kites");
  EXPECT_THAT(document.warnings, IsEmpty());
  EXPECT_THAT(Show(document.blocks), ElementsAre("4 P Body"));
}

TEST(MarkdownFrontMatterTest, WithoutAClosingLineIsMarkdown) {
  const SourceDocument document = Read("---\ntitle: Kites\n\nBody\n");
  EXPECT_EQ(document.title, "");
  EXPECT_THAT(document.warnings, IsEmpty());
  EXPECT_THAT(Show(document.blocks),
              ElementsAre("1 R ", "2 P title: Kites", "4 P Body"));
}

TEST(MarkdownFrontMatterTest, IgnoresDeepNesting) {
  const SourceDocument document =
      Read(absl::StrCat("---\ntitle: ", Repeat("[", 100000), "\n---\nBody\n"));
  EXPECT_THAT(document.warnings,
              ElementsAre("line 2: front matter nests deeper than 32 levels; "
                          "ignored"));
  EXPECT_THAT(Show(document.blocks), ElementsAre("4 P Body"));
}

TEST(MarkdownReaderTest, MapsHeadingsRulesAndParagraphs) {
  EXPECT_THAT(ShowBlocks("# One #\n"
                         "Setext\n"
                         "heading\n"
                         "-------\n"
                         "### **Bold** heading\n"
                         "## **All bold**\n"
                         "***\n"
                         "---\n"
                         "___\n"
                         "* * *\n"
                         "- - -\n"
                         "Text.\n"),
              ElementsAre("1 H One", "2 H Setext heading", "5 H Bold heading",
                          "6 H** All bold", "7 R ", "8 R ", "9 R ", "10 R ",
                          "11 R ", "12 P Text."));
}

TEST(MarkdownReaderTest, JoinsSoftBreaksAndSplitsAtHardBreaks) {
  EXPECT_THAT(ShowBlocks("Prose wrapped\n"
                         "at seventy-two columns.  \n"
                         "Two spaces break the line.\\\n"
                         "So does a backslash<br>and a br tag.\n"),
              ElementsAre("1 P Prose wrapped at seventy-two columns.",
                          "3 P Two spaces break the line.",
                          "4 P So does a backslash", "4 P and a br tag."));
}

TEST(MarkdownReaderTest, SplitsAroundEmphasisOnlyLines) {
  EXPECT_THAT(ShowBlocks("**Kites that steer themselves:**\n"
                         "*…Wind tunnels are expensive, kites are not…*\n"
                         "A group of hobbyists trained a policy\n"
                         "on kite telemetry.\n"
                         "**Why this matters:** cheap data.\n"),
              ElementsAre("1 P** Kites that steer themselves:",
                          "2 P* …Wind tunnels are expensive, kites are not…",
                          "3 P A group of hobbyists trained a policy on kite "
                          "telemetry. Why this matters: cheap data."));
}

TEST(MarkdownReaderTest, KeepsAnEmphasisSpanWrappedOverLines) {
  EXPECT_THAT(ShowBlocks("**A heading long enough\n"
                         "to wrap:**\n"
                         "Body text with *an aside\n"
                         "that wraps* inside.\n"),
              ElementsAre("1 P** A heading long enough to wrap:",
                          "3 P Body text with an aside that wraps inside."));
}

TEST(MarkdownReaderTest, GivesTheOuterEmphasisOfAWholeBlock) {
  EXPECT_THAT(ShowBlocks("***Both at once***\n\n"
                         "_**Strong in emph**_\n\n"
                         "**_Emph in strong_ and more**\n\n"
                         "**Two** **spans**\n\n"
                         "**Mixed** *spans*\n\n"
                         "**[A linked title](https://example.org/t):**\n\n"
                         "Plain *then emph*\n"),
              ElementsAre("1 P* Both at once", "3 P* Strong in emph",
                          "5 P** Emph in strong and more", "7 P** Two spans",
                          "9 P Mixed spans",
                          "11 P** A linked title:", "13 P Plain then emph"));
}

TEST(MarkdownReaderTest, RepairsEmphasisSplitByHardBreaks) {
  // A converter's rendering of <strong>Heading:<br></strong>
  // <em>…dek…<br></em> Body: CommonMark leaves every delimiter literal.
  EXPECT_THAT(ShowBlocks("**Gliders learn thermals:  \n"
                         "**_…Birds were right all along…  \n"
                         "_ Researchers flew gliders over a desert.\n"),
              ElementsAre("1 P** Gliders learn thermals:",
                          "2 P* …Birds were right all along…",
                          "3 P Researchers flew gliders over a desert."));
  EXPECT_THAT(
      ShowBlocks("__Gliders learn thermals:  \n"
                 "__*…Birds were right…  \n"
                 "*Researchers flew gliders.\n"),
      ElementsAre("1 P** Gliders learn thermals:", "2 P* …Birds were right…",
                  "3 P Researchers flew gliders."));
}

TEST(MarkdownReaderTest, ReadsWellFormedHeadingDekAndBody) {
  EXPECT_THAT(ShowBlocks("**Gliders learn thermals:**  \n"
                         "_…Birds were right all along…_  \n"
                         "Researchers flew gliders over a desert.\n"),
              ElementsAre("1 P** Gliders learn thermals:",
                          "2 P* …Birds were right all along…",
                          "3 P Researchers flew gliders over a desert."));
}

TEST(MarkdownReaderTest, RepairsADekClosedOnTheNextLine) {
  EXPECT_THAT(ShowBlocks("_…Birds were right all along…  \n"
                         "_Researchers flew gliders.\n"),
              ElementsAre("1 P* …Birds were right all along…",
                          "2 P Researchers flew gliders."));
}

TEST(MarkdownReaderTest, RepairsAClosingDelimiterAfterASpace) {
  // <strong>Heading: </strong>: the space keeps "**" from closing.
  EXPECT_THAT(ShowBlocks("**Gliders learn thermals: **\n"
                         "Researchers flew gliders.\n"),
              ElementsAre("1 P** Gliders learn thermals:",
                          "2 P Researchers flew gliders."));
}

TEST(MarkdownReaderTest, LeavesDelimitersThatMayBeMeantLiterally) {
  EXPECT_THAT(ShowBlocks("**kwargs and **options pass through  \n"
                         "**extra too\n\n"
                         "2 * 3 * 4 is 24\n"),
              ElementsAre("1 P **kwargs and **options pass through",
                          "2 P **extra too", "4 P 2 * 3 * 4 is 24"));
}

TEST(MarkdownReaderTest, BulletsAndFlattensListItems) {
  const SourceDocument document = Read(
      "* First item\n"
      "* Second item with a [link](https://example.org/2)\n"
      "  wrapped onto a second line\n"
      "  1. Nested *item*\n"
      "  2. **Strong item**\n"
      "\n"
      "  A later paragraph of the second item.\n"
      "- \n"
      "- Loose item\n"
      "\n"
      "  with two paragraphs\n");
  EXPECT_THAT(
      Show(document.blocks),
      ElementsAre("1 L • First item",
                  "2 L • Second item with a link wrapped onto a second line",
                  "4 L • Nested item", "5 L** • Strong item",
                  "7 P A later paragraph of the second item.",
                  "9 L • Loose item with two paragraphs"));
  EXPECT_THAT(ShowLinks(document.blocks),
              ElementsAre("1:[23,27) https://example.org/2"));
}

TEST(MarkdownReaderTest, ReadsBlockQuotesAndCodeBlocks) {
  EXPECT_THAT(
      ShowBlocks("> A quoted *claim*\n"
                 "continued lazily.\n"
                 ">\n"
                 "> > Nested quote.\n"
                 "\n"
                 "    indented   code\n"
                 "\n"
                 "    after a blank line\n"
                 "\n"
                 "```python\n"
                 "print('fenced')\n"
                 "\n"
                 "x = 1\n"
                 "```\n"
                 "> ~~~\n"
                 "> quoted fence\n"
                 "> ~~~\n"),
      ElementsAre("1 P A quoted claim continued lazily.", "4 P Nested quote.",
                  "6 P indented code", "8 P after a blank line",
                  "11 P print('fenced')", "13 P x = 1", "16 P quoted fence"));
}

TEST(MarkdownReaderTest, DropsHtmlImagesAndEmptyBlocks) {
  EXPECT_THAT(ShowBlocks("<div class=\"subscribe\">\n"
                         "<p>Subscribe now</p>\n"
                         "</div>\n"
                         "\n"
                         "![A chart of scores](chart.png)\n"
                         "\n"
                         "Text <span class=\"x\">kept</span> with "
                         "![an image](i.png) inside.\n"
                         "\n"
                         "<!-- a comment -->\n"
                         "\n"
                         "&nbsp;\n"
                         "\n"
                         "_ _\n"
                         "\n"
                         "* \n"
                         "\n"
                         "> \n"),
              ElementsAre("7 P Text kept with inside."));
}

TEST(MarkdownReaderTest, RangesLinksOnTheNormalizedText) {
  const SourceDocument document = Read(
      "See  <https://example.org/x>   and [the \t paper](https://example.org/p "
      "\"A title\").\n"
      "[A link\n"
      "wrapped](https://example.org/w)  \n"
      "[Split by  \n"
      "a break](https://example.org/s) [no address]() "
      "[![only an image](i.png)](https://example.org/i)\n"
      "\n"
      "[•Bulleted](https://example.org/b)\n");
  EXPECT_THAT(
      Show(document.blocks),
      ElementsAre("1 P See https://example.org/x and the paper. A "
                  "link wrapped",
                  "4 P Split by", "5 P a break no address", "7 P • Bulleted"));
  EXPECT_THAT(
      ShowLinks(document.blocks),
      ElementsAre(
          "0:[4,25) https://example.org/x", "0:[30,39) https://example.org/p",
          "0:[41,55) https://example.org/w", "1:[0,8) https://example.org/s",
          "2:[0,7) https://example.org/s", "3:[0,12) https://example.org/b"));
}

TEST(MarkdownReaderTest, KeepsInlineCodeAndFootnoteMarkersAsText) {
  EXPECT_THAT(ShowBlocks("Run `make   test`, see note [^2] and [3].\n"
                         "\n"
                         "[^2]: A footnote.\n"),
              ElementsAre("1 P Run make test, see note [^2] and [3].",
                          "3 P [^2]: A footnote."));
}

TEST(MarkdownReaderTest, CountsLinesAfterFrontMatter) {
  EXPECT_THAT(ShowBlocks("---\n"
                         "title: Import AI 906: Lines\n"  // Invalid YAML.
                         "---\n"
                         "\n"
                         "# Heading\n"
                         "Text `code\n"
                         "span` then\n"
                         "more.  \n"
                         "Last line.\n"),
              ElementsAre("5 H Heading", "6 P Text code span then more.",
                          "9 P Last line."));
}

// Hostile inputs: each must return promptly (linear time) with well-formed
// blocks; Read checks the invariants of blocks.h.

TEST(MarkdownHostileInputTest, DeepBlockQuotes) {
  EXPECT_THAT(ShowBlocks(absl::StrCat(Repeat(">", 100000), " deep\nlazy\n")),
              ElementsAre("1 P deep lazy"));
}

TEST(MarkdownHostileInputTest, DeepListMarkers) {
  EXPECT_THAT(ShowBlocks(absl::StrCat(Repeat("* ", 100000), "deep\n")),
              ElementsAre("1 L • deep"));
  EXPECT_THAT(ShowBlocks(absl::StrCat(Repeat("1. ", 100000), "deep\n")),
              ElementsAre("1 L • deep"));
}

TEST(MarkdownHostileInputTest, DeepBrackets) {
  const std::string opened = Repeat("[", 100000);
  EXPECT_THAT(ShowBlocks(absl::StrCat(opened, "x")),
              ElementsAre(absl::StrCat("1 P ", opened, "x")));
  const SourceDocument links = Read(
      absl::StrCat(opened, "x](https://example.org/)", Repeat("]", 100000)));
  ASSERT_THAT(links.blocks, SizeIs(1));
  EXPECT_THAT(links.blocks[0].links, SizeIs(1));
  EXPECT_THAT(Read(Repeat("[a](", 100000)).blocks, SizeIs(1));
}

TEST(MarkdownHostileInputTest, TenMegabytesOfStars) {
  const std::string stars = Repeat("**", 5 << 20);
  EXPECT_THAT(ShowBlocks(absl::StrCat("Stars: ", stars, " end.")),
              ElementsAre(absl::StrCat("1 P Stars: ", stars, " end.")));
  EXPECT_THAT(ShowBlocks(stars), ElementsAre("1 R "));
}

TEST(MarkdownHostileInputTest, AMegabyteOfEmphasisAndBrokenSpans) {
  EXPECT_THAT(Read(Repeat("**a** _b_ ", 100000)).blocks, SizeIs(1));
  // Every line a repair: linear too.
  EXPECT_THAT(Read(Repeat("**Heading:  \n**_dek  \n_", 100000)).blocks,
              SizeIs(200000));
}

TEST(MarkdownHostileInputTest, InvalidUtf8ComesOutValid) {
  const SourceDocument document = Read(
      "---\ntitle: Import AI 907: \xFF\xFE\n---\n"
      "# Head\xC3\n"
      "Text \xE2\x80 [link \xF5](https://example.org/\xC0\xAF) "
      "\xED\xA0\x80.\n");
  EXPECT_THAT(Show(document.blocks), SizeIs(2));
  EXPECT_THAT(document.warnings, SizeIs(1));  // libyaml refuses the title.
}

// A string literal with its NUL bytes, without the terminating one.
template <size_t kSize>
std::string WithNuls(const char (&literal)[kSize]) {
  return std::string(literal, kSize - 1);
}

TEST(MarkdownHostileInputTest, NulBytes) {
  EXPECT_THAT(ShowBlocks(WithNuls("Nul\0byte\n\n**bold\0**\n\0\n")),
              ElementsAre("1 P Nul\xEF\xBF\xBD"
                          "byte",
                          "3 P** bold\xEF\xBF\xBD", "4 P \xEF\xBF\xBD"));
  const SourceDocument document = Read(WithNuls("---\ntitle: a\0b\n---\nx"));
  EXPECT_EQ(document.title, "");
  EXPECT_THAT(document.warnings,
              ElementsAre(HasSubstr("line 2: front matter is not valid YAML")));
}

TEST(MarkdownHostileInputTest, RandomMarkupStaysWellFormed) {
  // A megabyte of Markdown's special characters, words and stray bytes.
  constexpr absl::string_view kPieces[] = {"*",
                                           "**",
                                           "_",
                                           "__",
                                           "[",
                                           "]",
                                           "(",
                                           ")",
                                           "<",
                                           ">",
                                           "!",
                                           "`",
                                           "#",
                                           "-",
                                           "\n",
                                           "\n\n",
                                           "  \n",
                                           " ",
                                           "\t",
                                           "1.",
                                           "---",
                                           "...",
                                           "http://x",
                                           "\xE2\x80\xA6",
                                           "\xE2\x80\xA2",
                                           "\xFF",
                                           "\xC3",
                                           "\0",
                                           "word",
                                           ":"};
  std::mt19937 random(901);
  std::uniform_int_distribution<size_t> pick(0, std::size(kPieces) - 1);
  std::string input = "---\n";
  while (input.size() < (1 << 20))
    absl::StrAppend(&input, kPieces[pick(random)]);
  Read(input);
}

}  // namespace
}  // namespace importai::newsletter
