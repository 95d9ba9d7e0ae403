#include "search/snippet.h"

#include <algorithm>
#include <cstddef>
#include <vector>

#include "absl/strings/str_cat.h"
#include "search/analyzer.h"
#include "search/utf8.h"

namespace importai::search {
namespace {

constexpr absl::string_view kReplacementCharacter = "\xEF\xBF\xBD";

// Appends `gap` with whitespace runs folded to one space (none at the start
// of `out`) and invalid bytes replaced.
void AppendCollapsed(absl::string_view gap, std::string* out) {
  for (size_t pos = 0; pos < gap.size();) {
    const Utf8Char c = DecodeUtf8(gap, pos);
    if (!c.valid) {
      absl::StrAppend(out, kReplacementCharacter);
    } else if (IsSpaceOrControl(c.code_point)) {
      if (!out->empty() && out->back() != ' ') out->push_back(' ');
    } else {
      absl::StrAppend(out, gap.substr(pos, c.length));
    }
    pos += c.length;
  }
}

bool HasSpace(absl::string_view gap) {
  for (size_t pos = 0; pos < gap.size();) {
    const Utf8Char c = DecodeUtf8(gap, pos);
    if (c.valid && IsSpaceOrControl(c.code_point)) return true;
    pos += c.length;
  }
  return false;
}

}  // namespace

std::string MakeSnippet(absl::string_view text,
                        absl::FunctionRef<bool(absl::string_view term)> matches,
                        int max_words) {
  const std::vector<Token> tokens = Tokenize(text);
  const size_t n = tokens.size();
  std::string out;
  if (n == 0) {
    AppendCollapsed(text, &out);
    if (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
  }
  std::vector<bool> hit(n);
  for (size_t i = 0; i < n; ++i) hit[i] = matches(tokens[i].term);

  // The earliest window of `width` words holding the most matches.
  const size_t width = std::min(n, static_cast<size_t>(std::max(max_words, 1)));
  size_t count = std::count(hit.begin(), hit.begin() + width, true);
  size_t best_count = count;
  size_t best_start = 0;
  for (size_t start = 1; start + width <= n; ++start) {
    count += hit[start + width - 1];
    count -= hit[start - 1];
    if (count > best_count) {
      best_count = count;
      best_start = start;
    }
  }
  // Centre the matches in that window so they get context on both sides.
  size_t start = 0;
  if (best_count > 0) {
    size_t first = best_start;
    while (!hit[first]) ++first;
    size_t last = best_start + width - 1;
    while (!hit[last]) --last;
    const size_t slack = width - (last - first + 1);
    start = std::min(first - std::min(first, slack / 2), n - width);
  }
  const size_t end = start + width;

  auto gap = [&](size_t i) {  // The text between tokens i - 1 and i.
    return text.substr(tokens[i - 1].end, tokens[i].begin - tokens[i - 1].end);
  };
  if (start > 0) {
    absl::StrAppend(&out, kEllipsis);
  } else {
    AppendCollapsed(text.substr(0, tokens[0].begin), &out);
  }
  for (size_t i = start; i < end; ++i) {
    const bool joined_to_previous =
        i > start && hit[i - 1] && !HasSpace(gap(i));
    const bool joined_to_next =
        i + 1 < end && hit[i + 1] && !HasSpace(gap(i + 1));
    if (i > start) AppendCollapsed(gap(i), &out);
    if (hit[i] && !joined_to_previous) absl::StrAppend(&out, kMarkOpen);
    absl::StrAppend(
        &out, text.substr(tokens[i].begin, tokens[i].end - tokens[i].begin));
    if (hit[i] && !joined_to_next) absl::StrAppend(&out, kMarkClose);
  }
  if (end < n) {
    absl::StrAppend(&out, kEllipsis);
  } else {
    AppendCollapsed(text.substr(tokens[n - 1].end), &out);
    if (!out.empty() && out.back() == ' ') out.pop_back();
  }
  return out;
}

}  // namespace importai::search
