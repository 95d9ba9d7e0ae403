// libFuzzer target: ParseNewsletter on arbitrary bytes, in whatever format
// it detects. It must return (issue copies, each parsed or rejected with a
// clean INVALID_ARGUMENT, or a clean error for the whole input) without
// crashing, leaking, reading out of bounds or hanging. Inputs past kMaxInputBytes are skipped: the
// parser is linear, so larger inputs only slow the search (scripts/fuzz.sh
// passes the same cap as -max_len).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "newsletter/parser.h"

namespace {

constexpr size_t kMaxInputBytes = 64 << 10;

void Check(bool condition, const char* what) {
  if (!condition) {
    fprintf(stderr, "newsletter_parser_fuzzer: %s\n", what);
    abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxInputBytes) return 0;
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = importai::newsletter::ParseNewsletter(text);
  if (!parsed.ok()) {
    Check(parsed.status().code() == absl::StatusCode::kInvalidArgument ||
              parsed.status().code() == absl::StatusCode::kResourceExhausted,
          "an error other than INVALID_ARGUMENT or RESOURCE_EXHAUSTED");
    Check(!parsed.status().message().empty(), "an error without a message");
    return 0;
  }
  // "Finds every issue copy": success means at least one. A parsed copy is
  // numbered 1..INT32_MAX, named after its number and hashed; a rejected one
  // says why and holds nothing but its number.
  Check(!parsed->empty(), "OK with no issue");
  for (const auto& copy : *parsed) {
    const auto& issue = copy.issue;
    if (!copy.status.ok()) {
      Check(copy.status.code() == absl::StatusCode::kInvalidArgument,
            "a copy rejected with a code other than INVALID_ARGUMENT");
      Check(!copy.status.message().empty(), "a copy rejected without a reason");
      Check(issue.name().empty() && issue.sections().empty(),
            "a rejected copy holds more than its number");
      continue;
    }
    Check(issue.number() >= 1, "issue number below 1");
    Check(issue.name() == absl::StrCat("issues/", issue.number()),
          "issue name does not match its number");
    Check(issue.content_hash().size() == 64, "a parsed copy without its hash");
    Check(copy.line >= 1, "header line below 1");
  }
  return 0;
}
