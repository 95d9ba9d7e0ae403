#include "absl/status/status.h"
#include "newsletter/readers/readers.h"

namespace importai::newsletter {

absl::StatusOr<std::vector<SourceDocument>> ReadMarkdown(
    absl::string_view input) {
  return absl::UnimplementedError("Markdown is not read yet");
}

}  // namespace importai::newsletter
