// libFuzzer target: the Search filter language (search/filter.h). Any input
// must parse or give a clean INVALID_ARGUMENT "filter: ..." error, and a
// parsed source must already be normalized, as the header promises.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "search/analyzer.h"
#include "search/filter.h"

namespace {

void Check(bool condition, const char* what) {
  if (!condition) {
    fprintf(stderr, "search_filter_fuzzer: %s\n", what);
    abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  auto filter = importai::search::ParseFilter(text);
  if (!filter.ok()) {
    Check(filter.status().code() == absl::StatusCode::kInvalidArgument,
          "an error other than INVALID_ARGUMENT");
    Check(absl::StartsWith(filter.status().message(), "filter: "),
          "an error message not starting \"filter: \"");
    return 0;
  }
  Check(filter->source == importai::search::NormalizeSource(filter->source),
        "a source that is not normalized");
  return 0;
}
