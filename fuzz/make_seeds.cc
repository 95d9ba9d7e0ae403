// Writes the fuzzers' seed corpora from the project's own fixtures, so no
// newsletter text is committed under fuzz/:
//   make_seeds OUT_DIR [EXAMPLE_FILE...]
// makes OUT_DIR/NAME/ for each fuzz target NAME (newsletter_parser_fuzzer ...)
// (scripts/fuzz.sh runs it before each fuzzing run). The readers' seeds are
// issue 950 in each format (newsletter/testdata/four_formats/, found through
// IMPORTAI_NEWSLETTER_TESTDATA), so they start from markup the readers map
// rather than from bytes.

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/testing/fixtures.h"
#include "services/page_token.h"

namespace {

namespace fs = std::filesystem;

void Write(const fs::path& dir, int index, const std::string& contents) {
  fs::create_directories(dir);
  std::ofstream out(dir / absl::StrCat("seed-", index), std::ios::binary);
  out << contents;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

// Writes `contents` and its first half: a copy cut off inside its markup
// (an open tag, element or emphasis, front matter without its end) sends the
// readers down their error and recovery paths.
void WriteWholeAndHalf(const fs::path& dir, int* n,
                       const std::string& contents) {
  Write(dir, (*n)++, contents);
  Write(dir, (*n)++, contents.substr(0, contents.size() / 2));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: make_seeds OUT_DIR [EXAMPLE_FILE...]\n");
    return 2;
  }
  const fs::path out = argv[1];
  using importai::testing::SampleIssueText;

  // The parser: generated issues, two copies in one text, a truncated one,
  // and the examples.
  const fs::path parser = out / "newsletter_parser_fuzzer";
  int n = 0;
  Write(parser, n++, SampleIssueText(1));
  Write(parser, n++, SampleIssueText(387, 3));
  Write(parser, n++, SampleIssueText(12) + "\n" + SampleIssueText(13, 1));
  const std::string sample = SampleIssueText(2);
  Write(parser, n++, sample.substr(0, sample.size() / 2));
  for (int i = 2; i < argc; ++i) Write(parser, n++, ReadFile(argv[i]));

  // Issue 950 in every format: the parser detects the format (all five),
  // each reader gets its own.
  const fs::path four_formats =
      fs::path(IMPORTAI_NEWSLETTER_TESTDATA) / "four_formats";
  const char* const kFixtures[] = {"issue.txt", "issue.md", "issue.html",
                                   "feed.xml", "atom.xml"};
  std::map<std::string, std::string> fixture;
  for (const char* file : kFixtures) {
    fixture[file] = ReadFile(four_formats / file);
    if (fixture[file].empty()) {
      fprintf(stderr, "make_seeds: cannot read %s\n",
              (four_formats / file).c_str());
      return 1;
    }
    Write(parser, n++, fixture[file]);
  }
  const fs::path markdown = out / "markdown_reader_fuzzer";
  n = 0;
  const std::string& md = fixture["issue.md"];
  WriteWholeAndHalf(markdown, &n, md);
  // The body without its front matter, and the front matter alone.
  const size_t body = md.find("\n---\n", 4);
  if (body != std::string::npos) {
    Write(markdown, n++, md.substr(body + 5));
    Write(markdown, n++, md.substr(0, body + 5));
  }
  const fs::path html = out / "html_reader_fuzzer";
  n = 0;
  WriteWholeAndHalf(html, &n, fixture["issue.html"]);
  const fs::path feed = out / "feed_reader_fuzzer";
  n = 0;
  WriteWholeAndHalf(feed, &n, fixture["feed.xml"]);
  WriteWholeAndHalf(feed, &n, fixture["atom.xml"]);

  // Page tokens: "query\ntoken" for tokens the server would issue.
  const fs::path tokens = out / "page_token_fuzzer";
  n = 0;
  using importai::services::EncodePageToken;
  using importai::services::PageCursor;
  const std::vector<std::pair<std::string, PageCursor>> cursors = {
      {"ListIssues parent=", {1, 0, 0}},
      {"ListSections parent=issues/-", {387, 4, 0}},
      {"ListTales parent=", {std::numeric_limits<int32_t>::max(), 0, 0}},
      {"Search query=robots filter=issue >= 300", {42, 2, 7.25}},
      {"", {3, 0, -1.5}},
  };
  for (const auto& [query, cursor] : cursors) {
    Write(tokens, n++, absl::StrCat(query, "\n", EncodePageToken(query, cursor)));
  }
  Write(tokens, n++, "ListIssues parent=\nnot-a-token");

  // Queries, each with a document to tokenize and cut a snippet from.
  const fs::path queries = out / "search_query_fuzzer";
  n = 0;
  const std::string document = SampleIssueText(5);
  for (const char* query :
       {"robots", "laundry robots", "\"fold towels\"", "distrib*",
        "\xE2\x80\x9C" "tiny models" "\xE2\x80\x9D", "GPT-4o (fold*)",
        "don't Google\xE2\x80\x99s", "caf\xC3\xA9 \xC3\x9C" "ber stra\xC3\x9F" "e",
        "-", "\"unterminated", "a b c d e f g h i j k l m n o p q r s t u v w "
        "x y z aa bb cc dd ee ff gg hh"}) {
    Write(queries, n++, absl::StrCat(query, "\n", document));
  }
  Write(queries, n++, "robots\nA\xC2\xA0robot\xE2\x80\x8B folds e\xCC\x81t\xC3\xA9.");

  // Filters.
  const fs::path filters = out / "search_filter_fuzzer";
  n = 0;
  for (const char* filter :
       {"", "issue >= 300", "issue>=1 AND issue<=400", "kind = section",
        "kind = \"tale\"", "source = \"Import AI\"", "source = arXiv",
        "issue > 10 issue < 20 and kind = tale source = 'it\\'s'",
        "issue >= 99999999999", "kind = poem", "source = \"unterminated"}) {
    Write(filters, n++, filter);
  }
  return 0;
}
