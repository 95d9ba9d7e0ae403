// Throughput of ParseNewsletter, in bytes per second: over the shared corpus
// (plain text), and per input format over about 2 MB made from the
// four-format fixture (testdata/four_formats/): the same issues as text,
// Markdown, one HTML page and RSS and Atom feeds, so the figures compare the
// front ends.

#include <cstdint>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "benchmark/benchmark.h"
#include "newsletter/parser.h"

namespace importai::newsletter {
namespace {

constexpr char kCorpusPath[] = IMPORTAI_CORPUS_DIR "/import-ai-382-387.txt";
constexpr char kFixtureDir[] = IMPORTAI_NEWSLETTER_TESTDATA "/four_formats/";
constexpr size_t kFormatInputBytes = 2 << 20;

// How to grow one fixture file into a large input of the same format: the
// part from the first `begin` to the end of the last `end` is one issue copy
// (or a feed's items), repeated and renumbered between what precedes and
// follows it.
struct FormatInput {
  const char* file;
  v1::InputFormat format;
  const char* begin;
  const char* end;
};

// Markdown front matter names only the first issue of a document, so each
// Markdown copy gets its header as a heading instead (see MarkdownCopy); the
// HTML reader reads a page's first <article> only, so the copies go inside
// it.
constexpr FormatInput kText = {"issue.txt", v1::INPUT_FORMAT_TEXT,
                               "Import AI 950:", "Leave a comment\n"};
constexpr FormatInput kMarkdown = {"issue.md", v1::INPUT_FORMAT_MARKDOWN,
                                   "\nby ", "memory.\n"};
constexpr FormatInput kHtml = {"issue.html", v1::INPUT_FORMAT_HTML, "<h1",
                               "Leave a comment</span></a>\n</div>\n"};
constexpr FormatInput kRss = {"feed.xml", v1::INPUT_FORMAT_FEED, "<item>",
                              "</item>\n"};
constexpr FormatInput kAtom = {"atom.xml", v1::INPUT_FORMAT_FEED, "<entry>",
                               "</entry>\n"};

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(file), {});
}

void BM_ParseCorpus(benchmark::State& state) {
  std::ifstream file(kCorpusPath, std::ios::binary);
  if (!file) {
    state.SkipWithError(
        (std::string("corpus not found at ") + kCorpusPath).c_str());
    return;
  }
  std::ostringstream buffer;
  buffer << file.rdbuf();
  const std::string text = buffer.str();
  for (auto _ : state) {
    auto parsed = ParseNewsletter(text);
    if (!parsed.ok()) {
      state.SkipWithError(std::string(parsed.status().message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(parsed);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_ParseCorpus);

// A Markdown issue copy headed by its front matter title, which only a
// heading can give a copy that is not the first.
std::string MarkdownCopy(absl::string_view markdown, absl::string_view copy) {
  constexpr absl::string_view kTitleKey = "title: \"";
  const size_t title = markdown.find(kTitleKey) + kTitleKey.size();
  const size_t title_end = markdown.find('"', title);
  return absl::StrCat("# ", markdown.substr(title, title_end - title), "\n",
                      copy);
}

// The fixture grown to about kFormatInputBytes; `*issues` is the number of
// issues in it.
bool MakeFormatInput(const FormatInput& input, std::string* text,
                     size_t* issues) {
  const std::optional<std::string> fixture =
      ReadFile(absl::StrCat(kFixtureDir, input.file));
  if (!fixture.has_value()) return false;
  const absl::string_view whole(*fixture);
  const size_t begin = whole.find(input.begin);
  size_t end = whole.rfind(input.end);
  if (begin == absl::string_view::npos || end == absl::string_view::npos) {
    return false;
  }
  end += absl::string_view(input.end).size();
  std::string copy(whole.substr(begin, end - begin));
  if (input.format == v1::INPUT_FORMAT_MARKDOWN) {
    copy = MarkdownCopy(whole, copy);
  }
  // The RSS items are issues 951 and 950; each repetition renumbers both.
  const bool two_issues = absl::StrContains(copy, "Import AI 951:");
  *text = std::string(whole.substr(0, begin));
  size_t copies = 0;
  for (int number = 1000; text->size() < kFormatInputBytes; number += 2) {
    absl::StrAppend(
        text, absl::StrReplaceAll(
                  copy, {{"Import AI 950:", absl::StrCat("Import AI ", number,
                                                         ":")},
                         {"Import AI 951:", absl::StrCat("Import AI ",
                                                         number + 1, ":")}}));
    ++copies;
  }
  absl::StrAppend(text, whole.substr(end));
  *issues = two_issues ? 2 * copies : copies;
  return true;
}

// Parses the grown fixture; once first, untimed, to check that every issue
// in it parses.
void BM_ParseFormat(benchmark::State& state, const FormatInput& input) {
  std::string text;
  size_t issues = 0;
  if (!MakeFormatInput(input, &text, &issues)) {
    state.SkipWithError(
        absl::StrCat("cannot make input from ", kFixtureDir, input.file)
            .c_str());
    return;
  }
  const auto checked = ParseNewsletter(text, input.format);
  if (!checked.ok()) {
    state.SkipWithError(std::string(checked.status().message()).c_str());
    return;
  }
  size_t parsed_ok = 0;
  for (const ParsedIssue& parsed : *checked) parsed_ok += parsed.status.ok();
  if (parsed_ok != issues) {
    state.SkipWithError(absl::StrCat(parsed_ok, " of ", issues,
                                     " issues parse (", checked->size(),
                                     " found)")
                            .c_str());
    return;
  }
  for (auto _ : state) {
    auto parsed = ParseNewsletter(text, input.format);
    benchmark::DoNotOptimize(parsed);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(text.size()));
  state.counters["input_bytes"] = static_cast<double>(text.size());
}
BENCHMARK_CAPTURE(BM_ParseFormat, text, kText);
BENCHMARK_CAPTURE(BM_ParseFormat, markdown, kMarkdown);
BENCHMARK_CAPTURE(BM_ParseFormat, html, kHtml);
BENCHMARK_CAPTURE(BM_ParseFormat, rss, kRss);
BENCHMARK_CAPTURE(BM_ParseFormat, atom, kAtom);

}  // namespace
}  // namespace importai::newsletter

BENCHMARK_MAIN();
