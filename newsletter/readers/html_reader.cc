#include "absl/status/status.h"
#include "newsletter/readers/readers.h"

namespace importai::newsletter {

absl::StatusOr<std::vector<SourceDocument>> ReadHtml(absl::string_view input) {
  return absl::UnimplementedError("HTML is not read yet");
}

absl::StatusOr<SourceDocument> ReadHtmlFragment(absl::string_view html,
                                                int first_line) {
  return absl::UnimplementedError("HTML is not read yet");
}

}  // namespace importai::newsletter
