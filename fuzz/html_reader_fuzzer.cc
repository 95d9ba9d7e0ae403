// libFuzzer target: ReadHtml and ReadHtmlFragment on arbitrary bytes. Each
// must return blocks keeping blocks.h's promises (valid UTF-8, links within
// the text) or a clean INVALID_ARGUMENT naming the line, without crashing,
// leaking or hanging. Inputs past kMaxInputBytes are skipped (scripts/fuzz.sh
// passes the same cap as -max_len).

#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "fuzz/document_check.h"
#include "newsletter/readers/readers.h"

namespace {

constexpr size_t kMaxInputBytes = 64 << 10;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using importai::fuzz::Check;
  using importai::fuzz::CheckDocument;
  using importai::fuzz::CheckError;
  if (size > kMaxInputBytes) return 0;
  const absl::string_view html(reinterpret_cast<const char*>(data), size);

  auto page = importai::newsletter::ReadHtml(html);
  if (page.ok()) {
    Check(page->size() == 1, "a page read as other than one document");
    CheckDocument(page->front());
  } else {
    CheckError(page.status());
  }

  // As a feed item's content, starting some way into the feed.
  const int first_line = 1 + static_cast<int>(size % 1000);
  auto fragment = importai::newsletter::ReadHtmlFragment(html, first_line);
  if (fragment.ok()) {
    CheckDocument(*fragment);
    for (const auto& block : fragment->blocks) {
      Check(block.number >= first_line, "fragment block before first_line");
    }
  } else {
    CheckError(fragment.status());
  }
  return 0;
}
