#include "search/query.h"

#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "search/analyzer.h"
#include "search/utf8.h"

namespace importai::search {
namespace {

bool IsQuote(char32_t cp) { return cp == '"' || cp == 0x201C || cp == 0x201D; }

bool IsBlank(absl::string_view text) {
  for (size_t pos = 0; pos < text.size();) {
    const Utf8Char c = DecodeUtf8(text, pos);
    if (!c.valid || !IsSpaceOrControl(c.code_point)) return false;
    pos += c.length;
  }
  return true;
}

// Whitespace-separated runs: a cheap upper bound on the clauses, used only
// to word the error for an oversized query.
size_t CountWords(absl::string_view text) {
  size_t words = 0;
  bool in_word = false;
  for (size_t pos = 0; pos < text.size();) {
    const Utf8Char c = DecodeUtf8(text, pos);
    const bool space = c.valid && IsSpaceOrControl(c.code_point);
    if (!space && !in_word) ++words;
    in_word = !space;
    pos += c.length;
  }
  return words;
}

absl::Status TooManyTerms(size_t count) {
  return absl::InvalidArgumentError(absl::StrCat(
      "query: ", count, " terms; at most ", kMaxQueryClauses, " are allowed"));
}

class QueryParser {
 public:
  explicit QueryParser(absl::string_view text) : text_(text) {}

  absl::StatusOr<Query> Parse() && {
    size_t pos = 0;
    while (pos < text_.size()) {
      const Utf8Char c = DecodeUtf8(text_, pos);
      if (c.valid && IsSpaceOrControl(c.code_point)) {
        pos += c.length;
      } else if (c.valid && IsQuote(c.code_point)) {
        absl::StatusOr<size_t> next = ParsePhrase(pos, c.length);
        if (!next.ok()) return std::move(next).status();
        pos = *next;
      } else {
        absl::StatusOr<size_t> next = ParseWord(pos);
        if (!next.ok()) return std::move(next).status();
        pos = *next;
      }
    }
    if (query_.clauses.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "query: no searchable words in ", QuoteForMessage(text_)));
    }
    if (query_.clauses.size() > static_cast<size_t>(kMaxQueryClauses)) {
      return TooManyTerms(query_.clauses.size());
    }
    return std::move(query_);
  }

 private:
  // Parses the quoted text opening at `pos`; returns where parsing resumes.
  absl::StatusOr<size_t> ParsePhrase(size_t pos, int quote_length) {
    const size_t inner_begin = pos + quote_length;
    for (size_t end = inner_begin; end < text_.size();) {
      const Utf8Char c = DecodeUtf8(text_, end);
      if (c.valid && IsQuote(c.code_point)) {
        std::vector<std::string> terms =
            Terms(text_.substr(inner_begin, end - inner_begin));
        if (!terms.empty()) {
          const auto kind = terms.size() == 1 ? QueryClause::Kind::kTerm
                                              : QueryClause::Kind::kPhrase;
          Add(kind, std::move(terms));
        }
        return end + c.length;
      }
      end += c.length;
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "query: unclosed quote at position ", CharPosition(text_, pos)));
  }

  // Parses the word starting at `pos`; returns where it ends.
  absl::StatusOr<size_t> ParseWord(size_t pos) {
    size_t end = pos;
    while (end < text_.size()) {
      const Utf8Char c = DecodeUtf8(text_, end);
      if (c.valid && (IsSpaceOrControl(c.code_point) || IsQuote(c.code_point)))
        break;
      end += c.length;
    }
    const absl::string_view word = text_.substr(pos, end - pos);
    std::vector<Token> tokens = Tokenize(word);
    if (tokens.empty()) {
      if (word.find('*') != absl::string_view::npos) {
        return absl::InvalidArgumentError(
            absl::StrCat("query: ", QuoteForMessage(word), " at position ",
                         CharPosition(text_, pos), ": a prefix needs at least ",
                         kMinPrefixBytes, " letters before '*'"));
      }
      return end;  // Only punctuation: nothing to search for.
    }
    const Token& last = tokens.back();
    const bool prefix = last.end < word.size() && word[last.end] == '*';
    if (!prefix) {
      std::vector<std::string> terms;
      for (Token& token : tokens) terms.push_back(std::move(token.term));
      const auto kind = terms.size() == 1 ? QueryClause::Kind::kTerm
                                          : QueryClause::Kind::kPhrase;
      Add(kind, std::move(terms));
      return end;
    }
    if (tokens.size() > 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("query: prefix ", QuoteForMessage(word), " at position ",
                       CharPosition(text_, pos),
                       " spans several words; put '*' after a single word"));
    }
    if (last.term.size() < kMinPrefixBytes) {
      return absl::InvalidArgumentError(absl::StrCat(
          "query: prefix ", QuoteForMessage(word), " at position ",
          CharPosition(text_, pos), " is too short; a prefix needs at least ",
          kMinPrefixBytes, " letters before '*'"));
    }
    Add(QueryClause::Kind::kPrefix, {std::move(tokens.back().term)});
    return end;
  }

  void Add(QueryClause::Kind kind, std::vector<std::string> terms) {
    // Terms never hold bytes below 0x20, so these keys cannot collide.
    std::string key = absl::StrCat(static_cast<int>(kind), "\x01",
                                   absl::StrJoin(terms, "\x02"));
    if (!seen_.insert(std::move(key)).second) return;
    query_.clauses.push_back(QueryClause{kind, std::move(terms)});
  }

  absl::string_view text_;
  Query query_;
  absl::flat_hash_set<std::string> seen_;
};

}  // namespace

bool QueryClause::operator==(const QueryClause& other) const {
  return kind == other.kind && terms == other.terms;
}

absl::StatusOr<Query> ParseQuery(absl::string_view text) {
  if (IsBlank(text)) {
    return absl::InvalidArgumentError("query: must not be empty");
  }
  if (text.size() > kMaxQueryBytes) {
    const size_t words = CountWords(text);
    if (words > static_cast<size_t>(kMaxQueryClauses)) {
      return TooManyTerms(words);
    }
    return absl::InvalidArgumentError(
        absl::StrCat("query: ", text.size(), " bytes; at most ", kMaxQueryBytes,
                     " are allowed"));
  }
  return QueryParser(text).Parse();
}

}  // namespace importai::search
