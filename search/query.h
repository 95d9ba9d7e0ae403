#ifndef IMPORTAI_SEARCH_QUERY_H_
#define IMPORTAI_SEARCH_QUERY_H_

// The search query language: words, "quoted phrases" and prefixes (distrib*),
// all of which must match.

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace importai::search {

inline constexpr int kMaxQueryClauses = 32;
inline constexpr size_t kMaxQueryBytes = 2048;
inline constexpr size_t kMinPrefixBytes = 2;

struct QueryClause {
  enum class Kind { kTerm, kPrefix, kPhrase };
  Kind kind = Kind::kTerm;
  // kTerm: one term. kPrefix: one normalized prefix (without '*').
  // kPhrase: two or more terms in order.
  std::vector<std::string> terms;

  bool operator==(const QueryClause& other) const;
  bool operator!=(const QueryClause& other) const { return !(*this == other); }
};

// Every clause must match (AND).
struct Query {
  std::vector<QueryClause> clauses;
};

// Parses a query. A word (a run of characters between whitespace and quotes)
// is normalized by Tokenize; one that gives several terms ("GPT-4o") becomes
// a phrase. Text in ASCII or curly quotes ("..." or “...”) is a phrase, or a
// plain term if it holds one term; '*' inside quotes separates words. A word
// whose last term is followed by '*' ("distrib*", "(distrib*)") is a prefix
// and must be a single term of at least kMinPrefixBytes bytes. Words without
// letters or digits ("-", "!!!") are skipped. Repeated clauses are dropped
// (the first is kept).
//
// Errors are INVALID_ARGUMENT with a message starting "query: " that names
// the 1-based character position where one applies. A query longer than
// kMaxQueryBytes is rejected before parsing; the message counts its
// whitespace-separated words if those exceed kMaxQueryClauses (so a
// 10 000-word query reads "query: 10000 terms; at most 32 are allowed"),
// otherwise its bytes.
absl::StatusOr<Query> ParseQuery(absl::string_view text);

}  // namespace importai::search

#endif  // IMPORTAI_SEARCH_QUERY_H_
