// libFuzzer target: ReadFeed on arbitrary bytes. It must return one
// document per item, each keeping blocks.h's promises (valid UTF-8, links
// within the text), or a clean INVALID_ARGUMENT naming the line, without
// crashing, leaking, hanging or reading a file. Inputs past kMaxInputBytes
// are skipped (scripts/fuzz.sh passes the same cap as -max_len).

#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "fuzz/document_check.h"
#include "newsletter/readers/readers.h"

namespace {

constexpr size_t kMaxInputBytes = 64 << 10;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxInputBytes) return 0;
  const absl::string_view feed(reinterpret_cast<const char*>(data), size);
  auto documents = importai::newsletter::ReadFeed(feed);
  if (!documents.ok()) {
    importai::fuzz::CheckError(documents.status());
    return 0;
  }
  importai::fuzz::Check(!documents->empty(), "OK with no item");
  for (const auto& document : *documents) {
    importai::fuzz::CheckDocument(document);
  }
  return 0;
}
