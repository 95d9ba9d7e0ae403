// libFuzzer target: ReadMarkdown on arbitrary bytes. It must return one
// document keeping blocks.h's promises (valid, whitespace-normalized UTF-8,
// links within the text, lines in input order) without crashing, leaking or
// hanging, whatever the front matter and the Markdown hold. Inputs past
// kMaxInputBytes are skipped (scripts/fuzz.sh passes the same cap as
// -max_len).

#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "fuzz/document_check.h"
#include "newsletter/readers/readers.h"
#include "newsletter/text.h"

namespace {

constexpr size_t kMaxInputBytes = 64 << 10;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using importai::fuzz::Check;
  using importai::newsletter::NormalizeWhitespace;
  if (size > kMaxInputBytes) return 0;
  const absl::string_view markdown(reinterpret_cast<const char*>(data), size);

  auto documents = importai::newsletter::ReadMarkdown(markdown);
  if (!documents.ok()) {
    importai::fuzz::CheckError(documents.status());
    return 0;
  }
  Check(documents->size() == 1, "Markdown read as other than one document");
  const auto& document = documents->front();
  importai::fuzz::CheckDocument(document);
  // The Markdown reader builds block text piece by piece around its links:
  // the result must still be what NormalizeWhitespace makes of it.
  Check(NormalizeWhitespace(document.title) == document.title,
        "title not normalized");
  int line = 1;
  for (const auto& block : document.blocks) {
    Check(NormalizeWhitespace(block.text) == block.text,
          "block text not normalized");
    Check(block.number >= line, "blocks out of line order");
    line = block.number;
    for (const auto& link : block.links) {
      Check(!link.uri.empty(), "link without an address");
    }
  }
  return 0;
}
