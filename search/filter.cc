#include "search/filter.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/excerpt.h"
#include "common/status_macros.h"
#include "search/analyzer.h"
#include "search/utf8.h"

namespace importai::search {
namespace {

constexpr absl::string_view kExpectedField =
    "expected a field name (issue, kind or source)";

struct FilterToken {
  enum class Type { kEnd, kWord, kString, kOperator, kParenthesis, kOther };
  Type type = Type::kEnd;
  absl::string_view raw;  // As written, quotes included.
  std::string value;      // kString: the unescaped contents.
  size_t offset = 0;      // Byte offset in the filter text.
  bool space_before = false;
};

absl::string_view KindName(Filter::Kind kind) {
  return kind == Filter::Kind::kSection ? "\"section\"" : "\"tale\"";
}

bool IsSpecial(char c) {
  switch (c) {
    case '=':
    case '<':
    case '>':
    case '!':
    case ':':
    case '(':
    case ')':
    case '"':
    case '\'':
      return true;
    default:
      return false;
  }
}

class FilterParser {
 public:
  explicit FilterParser(absl::string_view text) : text_(text) {}

  absl::StatusOr<Filter> Parse() && {
    IMPORTAI_ASSIGN_OR_RETURN(FilterToken token, Next());
    if (token.type == FilterToken::Type::kEnd) return Filter();
    while (true) {
      IMPORTAI_RETURN_IF_ERROR(ParseComparison(token));
      IMPORTAI_ASSIGN_OR_RETURN(token, Next());
      if (token.type == FilterToken::Type::kEnd) break;
      if (IsKeyword(token, "AND")) {
        IMPORTAI_ASSIGN_OR_RETURN(token, Next());
        if (token.type == FilterToken::Type::kEnd) {
          return Error(token, "expected a comparison after AND");
        }
      } else if (IsKeyword(token, "OR")) {
        return Error(token, "OR is not supported; use AND");
      } else if (!token.space_before &&
                 (token.type == FilterToken::Type::kWord ||
                  token.type == FilterToken::Type::kString)) {
        return Error(token, absl::StrCat("expected whitespace or AND before ",
                                         QuoteForMessage(token.raw)));
      }
    }
    return Finish();
  }

 private:
  enum class Field { kIssue, kKind, kSource };

  static bool IsKeyword(const FilterToken& token, absl::string_view keyword) {
    return token.type == FilterToken::Type::kWord &&
           absl::EqualsIgnoreCase(token.raw, keyword);
  }

  absl::Status Error(const FilterToken& token, absl::string_view message) {
    return absl::InvalidArgumentError(absl::StrCat(
        "filter: position ", CharPosition(text_, token.offset), ": ", message));
  }

  absl::StatusOr<FilterToken> Next() {
    FilterToken token;
    while (pos_ < text_.size()) {
      const Utf8Char c = DecodeUtf8(text_, pos_);
      if (!c.valid || !IsSpaceOrControl(c.code_point)) break;
      pos_ += c.length;
      token.space_before = true;
    }
    token.offset = pos_;
    if (pos_ == text_.size()) return token;
    const size_t begin = pos_;
    const char c = text_[pos_];
    if (c == '"' || c == '\'') {
      token.type = FilterToken::Type::kString;
      for (++pos_; pos_ < text_.size() && text_[pos_] != c; ++pos_) {
        if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
        token.value.push_back(text_[pos_]);
      }
      if (pos_ == text_.size()) {
        return Error(token, absl::StrCat("unterminated string; add a closing ",
                                         std::string(1, c)));
      }
      ++pos_;
    } else if (c == '(' || c == ')') {
      token.type = FilterToken::Type::kParenthesis;
      ++pos_;
    } else if (c == '<' || c == '>' || c == '!') {
      const bool with_equals =
          pos_ + 1 < text_.size() && text_[pos_ + 1] == '=';
      token.type = c != '!' || with_equals ? FilterToken::Type::kOperator
                                           : FilterToken::Type::kOther;
      pos_ += with_equals ? 2 : 1;
    } else if (c == '=' || c == ':') {
      token.type = FilterToken::Type::kOperator;
      ++pos_;
    } else {
      token.type = FilterToken::Type::kWord;
      while (pos_ < text_.size() && !IsSpecial(text_[pos_])) {
        const Utf8Char w = DecodeUtf8(text_, pos_);
        if (w.valid && IsSpaceOrControl(w.code_point)) break;
        pos_ += w.length;
      }
    }
    token.raw = text_.substr(begin, pos_ - begin);
    return token;
  }

  absl::StatusOr<Field> ParseField(const FilterToken& token) {
    switch (token.type) {
      case FilterToken::Type::kWord:
        break;
      case FilterToken::Type::kString:
        return Error(token,
                     absl::StrCat(kExpectedField, ", found a quoted string"));
      case FilterToken::Type::kParenthesis:
        return Error(token, "parentheses are not supported");
      default:
        return Error(token, absl::StrCat(kExpectedField, ", found ",
                                         QuoteForMessage(token.raw)));
    }
    if (token.raw == "issue") return Field::kIssue;
    if (token.raw == "kind") return Field::kKind;
    if (token.raw == "source") return Field::kSource;
    if (IsKeyword(token, "AND")) {
      return Error(token, absl::StrCat(kExpectedField, ", found AND"));
    }
    if (IsKeyword(token, "OR")) {
      return Error(token, "OR is not supported; use AND");
    }
    if (IsKeyword(token, "NOT") || absl::StartsWith(token.raw, "-")) {
      return Error(token, "negation (NOT, -) is not supported");
    }
    return Error(token,
                 absl::StrCat("unknown field ", QuoteForMessage(token.raw),
                              "; expected issue, kind or source"));
  }

  absl::Status ParseComparison(const FilterToken& field_token) {
    IMPORTAI_ASSIGN_OR_RETURN(const Field field, ParseField(field_token));
    IMPORTAI_ASSIGN_OR_RETURN(const FilterToken op, Next());
    if (op.type != FilterToken::Type::kOperator) {
      return Error(op, absl::StrCat("expected an operator after ",
                                    QuoteForMessage(field_token.raw)));
    }
    const std::string context = absl::StrCat(field_token.raw, " ", op.raw);
    IMPORTAI_ASSIGN_OR_RETURN(const FilterToken value, Next());
    switch (field) {
      case Field::kIssue:
        if (op.raw == ":" || op.raw == "!=") {
          return Error(op, "issue supports only =, <, <=, > and >=");
        }
        return ParseIssue(op.raw, value, context);
      case Field::kKind:
        if (op.raw != "=") return Error(op, "kind supports only =");
        return ParseKind(value, context);
      case Field::kSource:
        if (op.raw != "=") return Error(op, "source supports only =");
        return ParseSource(value, context);
    }
    return absl::InternalError("filter: unreachable");
  }

  absl::Status ParseIssue(absl::string_view op, const FilterToken& value,
                          absl::string_view context) {
    absl::string_view digits = value.raw;
    const bool negative = absl::ConsumePrefix(&digits, "-");
    if (value.type != FilterToken::Type::kWord || digits.empty() ||
        !std::all_of(digits.begin(), digits.end(), absl::ascii_isdigit)) {
      return Error(value, absl::StrCat("expected a number after ",
                                       QuoteForMessage(context)));
    }
    int64_t number = 0;
    for (const char digit : digits) {
      number = number * 10 + (digit - '0');
      if (number > int64_t{1} << 32) break;  // Out of range; stop early.
    }
    if (negative) number = -number;
    if (number > std::numeric_limits<int32_t>::max() ||
        number < std::numeric_limits<int32_t>::min()) {
      return Error(value, absl::StrCat(Excerpt(value.raw),
                                       " is out of range for issue"));
    }
    if (op == "=" || op == ">=" || op == ">") {
      min_issue_ = std::max(min_issue_, op == ">" ? number + 1 : number);
    }
    if (op == "=" || op == "<=" || op == "<") {
      max_issue_ = std::min(max_issue_, op == "<" ? number - 1 : number);
    }
    return absl::OkStatus();
  }

  // The text of a bare word or quoted string; an error naming `expected`
  // for any other token.
  absl::StatusOr<absl::string_view> NameValue(const FilterToken& value,
                                              absl::string_view context,
                                              absl::string_view expected) {
    if (value.type == FilterToken::Type::kString) return value.value;
    if (value.type == FilterToken::Type::kWord) return value.raw;
    return Error(value, absl::StrCat("expected ", expected, " after ",
                                     QuoteForMessage(context)));
  }

  absl::Status ParseKind(const FilterToken& value, absl::string_view context) {
    absl::StatusOr<absl::string_view> name =
        NameValue(value, context, "section or tale");
    if (!name.ok()) return name.status();
    Filter::Kind kind;
    if (absl::EqualsIgnoreCase(*name, "section")) {
      kind = Filter::Kind::kSection;
    } else if (absl::EqualsIgnoreCase(*name, "tale")) {
      kind = Filter::Kind::kTale;
    } else {
      return Error(value, absl::StrCat("unknown kind ", QuoteForMessage(*name),
                                       "; expected section or tale"));
    }
    if (kind_.has_value() && *kind_ != kind) {
      return Error(
          value, absl::StrCat("kind given twice with different "
                              "values (",
                              KindName(*kind_), " and ", KindName(kind), ")"));
    }
    kind_ = kind;
    return absl::OkStatus();
  }

  absl::Status ParseSource(const FilterToken& value,
                           absl::string_view context) {
    absl::StatusOr<absl::string_view> name =
        NameValue(value, context, "a source name");
    if (!name.ok()) return name.status();
    std::string source = NormalizeSource(*name);
    if (source.empty()) {
      return Error(value, absl::StrCat("source ", QuoteForMessage(*name),
                                       " has no letters or digits"));
    }
    if (source_.has_value() && *source_ != source) {
      return Error(value, absl::StrCat("source given twice with different "
                                       "values (",
                                       QuoteForMessage(*source_), " and ",
                                       QuoteForMessage(source), ")"));
    }
    source_ = std::move(source);
    return absl::OkStatus();
  }

  Filter Finish() {
    constexpr int64_t kMax = std::numeric_limits<int32_t>::max();
    Filter filter;
    // Only "issue > 2147483647" pushes the minimum past int32; keep it empty.
    if (min_issue_ > kMax) {
      min_issue_ = kMax;
      max_issue_ = std::min(max_issue_, kMax - 1);
    }
    filter.min_issue = static_cast<int32_t>(min_issue_);
    filter.max_issue = static_cast<int32_t>(
        std::max<int64_t>(max_issue_, std::numeric_limits<int32_t>::min()));
    filter.kind = kind_.value_or(Filter::Kind::kAny);
    filter.source = source_.value_or("");
    return filter;
  }

  absl::string_view text_;
  size_t pos_ = 0;
  int64_t min_issue_ = 1;
  int64_t max_issue_ = std::numeric_limits<int32_t>::max();
  std::optional<Filter::Kind> kind_;
  std::optional<std::string> source_;
};

}  // namespace

bool Filter::operator==(const Filter& other) const {
  return min_issue == other.min_issue && max_issue == other.max_issue &&
         kind == other.kind && source == other.source;
}

absl::StatusOr<Filter> ParseFilter(absl::string_view text) {
  if (text.size() > kMaxFilterBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("filter: ", text.size(), " bytes; at most ",
                     kMaxFilterBytes, " are allowed"));
  }
  return FilterParser(text).Parse();
}

}  // namespace importai::search
