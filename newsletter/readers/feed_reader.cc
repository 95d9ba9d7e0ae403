#include "absl/status/status.h"
#include "newsletter/readers/readers.h"

namespace importai::newsletter {

absl::StatusOr<std::vector<SourceDocument>> ReadFeed(absl::string_view input) {
  return absl::UnimplementedError("feeds are not read yet");
}

}  // namespace importai::newsletter
