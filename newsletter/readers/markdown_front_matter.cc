#include "newsletter/readers/markdown_front_matter.h"

#include <yaml.h>

#include <algorithm>
#include <optional>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "newsletter/markers.h"
#include "newsletter/readers/dates.h"
#include "newsletter/text.h"

namespace importai::newsletter {
namespace {

constexpr absl::string_view kByteOrderMark = "\xEF\xBB\xBF";

// Front matter is a few flat keys. The cap also keeps libyaml linear: in flow
// collections ("[[[[...") it spends time proportional to the open nesting on
// every token.
constexpr int kMaxDepth = 32;

// The line that starts at `pos` (without its "\n") and where the next starts.
absl::string_view LineAt(absl::string_view text, size_t pos, size_t* next) {
  const size_t newline = text.find('\n', pos);
  if (newline == absl::string_view::npos) {
    *next = text.size();
    return text.substr(pos);
  }
  *next = newline + 1;
  return text.substr(pos, newline - pos);
}

bool IsFence(absl::string_view line, bool closing) {
  line = absl::StripTrailingAsciiWhitespace(line);
  return line == "---" || (closing && line == "...");
}

// One value the front matter gave for a key this reader uses.
struct Entry {
  std::string text;
  int line = 0;
  bool is_text = false;  // A scalar (not a collection or an alias).
};

// Follows the events of the YAML's first document and keeps the values of
// the top-level keys `title`, `url` and `date`; everything deeper is skipped.
class TopLevelKeys {
 public:
  enum class Step { kContinue, kDone, kReject };

  explicit TopLevelKeys(int first_line) : first_line_(first_line) {}

  Step Consume(const yaml_event_t& event) {
    const int line = first_line_ + static_cast<int>(event.start_mark.line);
    switch (event.type) {
      case YAML_MAPPING_START_EVENT:
      case YAML_SEQUENCE_START_EVENT:
        if (depth_ == 0) {
          if (event.type == YAML_SEQUENCE_START_EVENT) return NotAMapping(line);
          depth_ = 1;
          return Step::kContinue;
        }
        if (++depth_ > kMaxDepth) {
          return Reject(line, absl::StrCat("front matter nests deeper than ",
                                           kMaxDepth, " levels"));
        }
        if (depth_ == 2) TopLevelNode(Entry{"", line, false}, false);
        return Step::kContinue;
      case YAML_MAPPING_END_EVENT:
      case YAML_SEQUENCE_END_EVENT:
        return --depth_ == 0 ? Step::kDone : Step::kContinue;
      case YAML_SCALAR_EVENT: {
        if (depth_ == 0) return NotAMapping(line);
        const auto& scalar = event.data.scalar;
        const absl::string_view text(
            reinterpret_cast<const char*>(scalar.value), scalar.length);
        const bool null = scalar.style == YAML_PLAIN_SCALAR_STYLE &&
                          (text.empty() || text == "~" || text == "null" ||
                           text == "Null" || text == "NULL");
        if (depth_ == 1)
          TopLevelNode(Entry{std::string(text), line, true}, null);
        return Step::kContinue;
      }
      case YAML_ALIAS_EVENT:
        if (depth_ == 0) return NotAMapping(line);
        if (depth_ == 1) TopLevelNode(Entry{"", line, false}, false);
        return Step::kContinue;
      case YAML_STREAM_END_EVENT:
        return Step::kDone;
      default:  // Stream and document starts, a document end.
        return Step::kContinue;
    }
  }

  std::optional<Entry> title, url, date;
  std::string problem;  // Set by kReject: "line N: ...".

 private:
  // A key or a value of the top-level mapping, at its start.
  void TopLevelNode(Entry entry, bool null) {
    if (expect_key_) {
      key_ = entry.is_text ? entry.text : "";
    } else if (!null) {
      if (key_ == "title") title = std::move(entry);
      if (key_ == "url") url = std::move(entry);
      if (key_ == "date") date = std::move(entry);
    }
    expect_key_ = !expect_key_;
  }

  Step NotAMapping(int line) {
    return Reject(line, "front matter is not a mapping of keys to values");
  }

  Step Reject(int line, absl::string_view why) {
    problem = absl::StrCat("line ", line, ": ", why, "; ignored");
    return Step::kReject;
  }

  const int first_line_;
  int depth_ = 0;  // Open collections, the top-level mapping included.
  bool expect_key_ = true;
  std::string key_;  // The key whose value comes next ("" if not text).
};

// The input line of the problem libyaml reported.
int ErrorLine(const yaml_parser_t& parser, absl::string_view yaml,
              int first_line) {
  if (parser.error != YAML_READER_ERROR) {
    return first_line + static_cast<int>(parser.problem_mark.line);
  }
  // Decoding errors give a byte offset instead of a mark.
  const size_t offset = std::min(parser.problem_offset, yaml.size());
  return first_line + static_cast<int>(std::count(yaml.begin(),
                                                  yaml.begin() + offset, '\n'));
}

// Reads the events of `yaml` into `keys`; false, with keys->problem set, if
// the front matter has to be ignored.
bool ReadEvents(absl::string_view yaml, int first_line, TopLevelKeys* keys) {
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser)) {
    keys->problem = absl::StrCat("line ", first_line,
                                 ": front matter not read (out of memory)");
    return false;
  }
  yaml_parser_set_input_string(
      &parser, reinterpret_cast<const unsigned char*>(yaml.data()),
      yaml.size());
  yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
  bool ok = true;
  while (true) {
    yaml_event_t event;
    if (!yaml_parser_parse(&parser, &event)) {
      keys->problem = absl::StrCat(
          "line ", ErrorLine(parser, yaml, first_line),
          ": front matter is not valid YAML (",
          parser.problem != nullptr ? parser.problem : "unreadable",
          "); ignored");
      ok = false;
      break;
    }
    const TopLevelKeys::Step step = keys->Consume(event);
    yaml_event_delete(&event);
    if (step == TopLevelKeys::Step::kReject) ok = false;
    if (step != TopLevelKeys::Step::kContinue) break;
  }
  yaml_parser_delete(&parser);
  return ok;
}

// The normalized text of `entry`, or nullopt with a warning if it is not
// text (a list, a mapping, an alias).
std::optional<std::string> TextOf(const Entry& entry, absl::string_view key,
                                  SourceDocument* document) {
  if (!entry.is_text) {
    document->warnings.push_back(absl::StrCat(
        "line ", entry.line, ": front matter ", key, " is not text; ignored"));
    return std::nullopt;
  }
  std::string text = NormalizeWhitespace(entry.text);
  if (text.empty()) return std::nullopt;
  return text;
}

}  // namespace

MarkdownParts SplitFrontMatter(absl::string_view input) {
  MarkdownParts parts;
  parts.body = input;
  absl::string_view text = input;
  if (absl::StartsWith(text, kByteOrderMark)) {
    text.remove_prefix(kByteOrderMark.size());
  }
  size_t pos = 0;
  if (!IsFence(LineAt(text, 0, &pos), /*closing=*/false)) return parts;
  const size_t yaml_begin = pos;
  for (int number = 2; pos < text.size(); ++number) {
    const size_t line_begin = pos;
    if (IsFence(LineAt(text, line_begin, &pos), /*closing=*/true)) {
      parts.has_front_matter = true;
      parts.yaml = text.substr(yaml_begin, line_begin - yaml_begin);
      parts.yaml_first_line = 2;
      parts.body = text.substr(pos);
      parts.body_first_line = number + 1;
      return parts;
    }
  }
  return parts;
}

void ReadFrontMatter(absl::string_view yaml, int first_line,
                     SourceDocument* document) {
  TopLevelKeys keys(first_line);
  if (!ReadEvents(yaml, first_line, &keys)) {
    document->warnings.push_back(keys.problem);
    return;
  }
  if (keys.title.has_value()) {
    if (auto title = TextOf(*keys.title, "title", document)) {
      document->title = *std::move(title);
      document->title_line = keys.title->line;
    }
  }
  if (keys.url.has_value()) {
    if (auto url = TextOf(*keys.url, "url", document)) {
      document->uri = *std::move(url);
    }
  }
  if (keys.date.has_value()) {
    if (auto date = TextOf(*keys.date, "date", document)) {
      document->publish_time = ParsePublicationDate(*date);
      if (!document->publish_time.has_value()) {
        document->warnings.push_back(
            absl::StrCat("line ", keys.date->line, ": front matter date \"",
                         Excerpt(*date), "\" is not a date; ignored"));
      }
    }
  }
}

}  // namespace importai::newsletter
