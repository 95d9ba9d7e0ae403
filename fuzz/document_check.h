#ifndef IMPORTAI_FUZZ_DOCUMENT_CHECK_H_
#define IMPORTAI_FUZZ_DOCUMENT_CHECK_H_

// Checks for the front-end fuzz targets (newsletter/readers/): what
// readers.h and blocks.h promise of every result, whatever the input.

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "fuzz/utf8_check.h"
#include "newsletter/blocks.h"
#include "newsletter/text.h"

namespace importai::fuzz {

// Aborts (a crash libFuzzer keeps the input of) unless `condition`.
inline void Check(bool condition, const char* what) {
  if (!condition) {
    fprintf(stderr, "reader fuzzer: %s\n", what);
    abort();
  }
}

// A reader refuses input only with INVALID_ARGUMENT naming the line.
inline void CheckError(const absl::Status& status) {
  Check(status.code() == absl::StatusCode::kInvalidArgument,
        "an error other than INVALID_ARGUMENT");
  Check(absl::StartsWith(status.message(), "line "),
        "an error not naming the line");
}

// Valid UTF-8 everywhere, title and block text whitespace-normalized, rules
// and only rules empty, lines from 1 in input order, and links in order
// within the text.
inline void CheckDocument(const newsletter::SourceDocument& document) {
  using newsletter::NormalizeWhitespace;
  Check(IsValidUtf8(document.title), "title not valid UTF-8");
  Check(NormalizeWhitespace(document.title) == document.title,
        "title not normalized");
  Check(IsValidUtf8(document.uri), "uri not valid UTF-8");
  for (const std::string& warning : document.warnings) {
    Check(IsValidUtf8(warning), "warning not valid UTF-8");
  }
  int line = 1;
  for (const newsletter::Block& block : document.blocks) {
    Check(IsValidUtf8(block.text), "block text not valid UTF-8");
    Check(NormalizeWhitespace(block.text) == block.text,
          "block text not normalized");
    Check(block.text.empty() == (block.kind == newsletter::BlockKind::kRule),
          "an empty block that is not a rule, or a rule with text");
    Check(block.number >= line, "block line below 1 or out of order");
    line = block.number;
    size_t end = 0;
    for (const newsletter::InlineLink& link : block.links) {
      Check(end <= link.begin && link.begin < link.end &&
                link.end <= block.text.size(),
            "link range out of order or outside the text");
      Check(IsValidUtf8(link.uri), "link uri not valid UTF-8");
      end = link.end;
    }
  }
}

}  // namespace importai::fuzz

#endif  // IMPORTAI_FUZZ_DOCUMENT_CHECK_H_
