// libFuzzer target: the search query language and the text side of search.
// The input is "query\ndocument" (no newline: the whole input is both).
// ParseQuery gets the query whatever its length (it enforces kMaxQueryBytes
// itself); Tokenize and MakeSnippet get the document, and the snippet marks
// the words matching the parsed query's terms. Checked: no crash, leak or
// hang; Tokenize's documented token invariants, and that a term analyzes
// to itself; the snippet is valid UTF-8.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "fuzz/utf8_check.h"
#include "search/analyzer.h"
#include "search/query.h"
#include "search/snippet.h"

namespace {

namespace search = importai::search;

void Check(bool condition, const char* what) {
  if (!condition) {
    fprintf(stderr, "search_query_fuzzer: %s\n", what);
    abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  absl::string_view query_text = input;
  absl::string_view document = input;
  if (size_t newline = input.find('\n'); newline != absl::string_view::npos) {
    query_text = input.substr(0, newline);
    document = input.substr(newline + 1);
  }

  absl::flat_hash_set<std::string> wanted;
  std::string prefix;
  auto query = search::ParseQuery(query_text);
  if (query.ok()) {
    Check(query->clauses.size() <= search::kMaxQueryClauses,
          "more clauses than kMaxQueryClauses");
    for (const auto& clause : query->clauses) {
      Check(!clause.terms.empty(), "a clause without terms");
      if (clause.kind == search::QueryClause::Kind::kPrefix) {
        Check(clause.terms.size() == 1 &&
                  clause.terms[0].size() >= search::kMinPrefixBytes,
              "a prefix clause that is not one long-enough term");
        prefix = clause.terms[0];
      }
      for (const std::string& term : clause.terms) {
        Check(!term.empty(), "an empty query term");
        wanted.insert(term);
      }
    }
  } else {
    Check(query.status().code() == absl::StatusCode::kInvalidArgument,
          "a query error other than INVALID_ARGUMENT");
  }

  const int first_position = static_cast<int>(size % 7);
  const auto tokens = search::Tokenize(document, first_position);
  for (size_t i = 0; i < tokens.size(); ++i) {
    const search::Token& token = tokens[i];
    Check(!token.term.empty(), "an empty term");
    for (unsigned char c : token.term) Check(c >= 0x20, "a control byte in a term");
    Check(importai::fuzz::IsValidUtf8(token.term), "a term that is not UTF-8");
    // Folding is idempotent: typing an indexed term back finds it.
    const auto again = search::Terms(token.term);
    Check(again.size() == 1 && again[0] == token.term,
          "a term that does not analyze to itself");
    Check(token.position == first_position + static_cast<int>(i),
          "positions not consecutive");
    Check(token.begin < token.end && token.end <= document.size(),
          "a token outside the text");
    if (i > 0) Check(tokens[i - 1].end <= token.begin, "tokens overlap");
  }

  const int max_words = 1 + static_cast<int>(size % 40);
  const std::string snippet = search::MakeSnippet(
      document,
      [&](absl::string_view term) {
        return wanted.contains(term) ||
               (!prefix.empty() && term.substr(0, prefix.size()) == prefix);
      },
      max_words);
  Check(importai::fuzz::IsValidUtf8(snippet), "a snippet that is not UTF-8");
  Check(tokens.empty() || !snippet.empty(), "an empty snippet for words");
  Check(!document.empty() || snippet.empty(), "a snippet of no text");
  return 0;
}
