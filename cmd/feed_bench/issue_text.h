#ifndef IMPORTAI_CMD_FEED_BENCH_ISSUE_TEXT_H_
#define IMPORTAI_CMD_FEED_BENCH_ISSUE_TEXT_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace importai::feed_bench {

// The newsletter text of one issue, renumbered at will, so that every write
// of the benchmark is a new issue with the same content and size.
class IssueText {
 public:
  // The largest issue in `corpus` (raw newsletter text holding one or more
  // issues); NOT_FOUND if it holds none.
  static absl::StatusOr<IssueText> LargestIn(absl::string_view corpus);

  // Original filler text in the newsletter's format, about `bytes` long, for
  // when the shared corpus is absent.
  static IssueText Generated(size_t bytes);

  // The text with its header saying "Import AI <number>:".
  std::string WithNumber(int number) const;

  size_t size() const { return before_number_.size() + after_number_.size(); }

 private:
  IssueText(std::string before_number, std::string after_number)
      : before_number_(std::move(before_number)),
        after_number_(std::move(after_number)) {}

  std::string before_number_;
  std::string after_number_;  // from the ':' after the number to the end
};

}  // namespace importai::feed_bench

#endif  // IMPORTAI_CMD_FEED_BENCH_ISSUE_TEXT_H_
