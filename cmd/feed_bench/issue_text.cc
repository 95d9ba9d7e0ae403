#include "cmd/feed_bench/issue_text.h"

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace importai::feed_bench {
namespace {

constexpr absl::string_view kHeaderPrefix = "Import AI ";

// Where the number of an issue header line ("Import AI 387: title") ends,
// or 0 if `line` is no header.
size_t HeaderNumberEnd(absl::string_view line) {
  if (!absl::StartsWith(line, kHeaderPrefix)) return 0;
  size_t i = kHeaderPrefix.size();
  while (i < line.size() && absl::ascii_isdigit(line[i])) ++i;
  const bool has_digits = i > kHeaderPrefix.size();
  return has_digits && i < line.size() && line[i] == ':' ? i : 0;
}

// Offsets of the lines that start an issue.
std::vector<size_t> HeaderOffsets(absl::string_view text) {
  std::vector<size_t> offsets;
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    if (end == absl::string_view::npos) end = text.size();
    if (HeaderNumberEnd(text.substr(start, end - start)) > 0) {
      offsets.push_back(start);
    }
    start = end + 1;
  }
  return offsets;
}

// A tiny deterministic generator, so filler text is the same every run.
class Words {
 public:
  std::string Sentence(int words) {
    std::string sentence;
    for (int i = 0; i < words; ++i) {
      absl::string_view word =
          kWords[Next() % (sizeof(kWords) / sizeof(*kWords))];
      absl::StrAppend(&sentence, i == 0 ? "" : " ", word);
    }
    sentence[0] = absl::ascii_toupper(sentence[0]);
    return sentence + ".";
  }

  std::string Paragraph(int sentences) {
    std::string paragraph;
    for (int i = 0; i < sentences; ++i) {
      absl::StrAppend(&paragraph, i == 0 ? "" : " ",
                      Sentence(8 + static_cast<int>(Next() % 12)));
    }
    return paragraph;
  }

 private:
  uint32_t Next() {
    state_ = state_ * 1664525u + 1013904223u;
    return state_ >> 8;
  }

  static constexpr absl::string_view kWords[] = {
      "models",   "training", "benchmark", "robots",     "data",     "compute",
      "language", "agents",   "research",  "scaling",    "evaluate", "learn",
      "systems",  "tokens",   "cluster",   "vision",     "safety",   "policy",
      "labs",     "results",  "the",       "a",          "of",       "with",
      "across",   "faster",   "cheaper",   "surprising", "open",     "weights"};
  uint32_t state_ = 12345;
};

std::string GeneratedSection(Words& words, int ordinal) {
  return absl::StrCat(
      "Filler finding number ", ordinal, " gets measured:\n", "…",
      words.Sentence(9), "…\n", words.Paragraph(5), "\n", words.Paragraph(4),
      "\n   • ", words.Sentence(10), "\nWhy this matters – ", words.Sentence(4),
      ": ", words.Paragraph(2), "\n   Read more: ", "Filler Paper ", ordinal,
      ": ", words.Sentence(5), " (Example Lab blog).\n\n***\n\n");
}

std::string GeneratedTale(Words& words) {
  return absl::StrCat("Tech Tales:\n\nThe Patient Benchmark\n",
                      "[A rack of servers, late at night]\n\n",
                      words.Paragraph(6), "\n\n", words.Paragraph(6),
                      "\n\nThings that inspired this story: loopback "
                      "interfaces; idle subscribers; the hum of fans.\n\n",
                      "Thanks for reading!\n");
}

}  // namespace

absl::StatusOr<IssueText> IssueText::LargestIn(absl::string_view corpus) {
  const std::vector<size_t> offsets = HeaderOffsets(corpus);
  if (offsets.empty()) return absl::NotFoundError("no issue header found");
  absl::string_view largest;
  for (size_t i = 0; i < offsets.size(); ++i) {
    const size_t end = i + 1 < offsets.size() ? offsets[i + 1] : corpus.size();
    absl::string_view issue = corpus.substr(offsets[i], end - offsets[i]);
    if (issue.size() > largest.size()) largest = issue;
  }
  const size_t number_end = HeaderNumberEnd(largest);
  return IssueText(std::string(kHeaderPrefix),
                   std::string(largest.substr(number_end)));
}

IssueText IssueText::Generated(size_t bytes) {
  Words words;
  std::string after = absl::StrCat(
      ": Filler issues; loopback fan-out; and the patient benchmark\n\n",
      "by Feed Bench\n\n",
      "Welcome to Import AI, a newsletter about AI research. If you'd like to "
      "support this, please subscribe.\n\n",
      words.Paragraph(2), "\n\nSubscribe now\n\n");
  for (int ordinal = 1; after.size() < bytes; ++ordinal) {
    absl::StrAppend(&after, GeneratedSection(words, ordinal));
  }
  absl::StrAppend(&after, GeneratedTale(words));
  return IssueText(std::string(kHeaderPrefix), std::move(after));
}

std::string IssueText::WithNumber(int number) const {
  return absl::StrCat(before_number_, number, after_number_);
}

}  // namespace importai::feed_bench
