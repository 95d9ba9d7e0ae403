#ifndef IMPORTAI_COMMON_EXCERPT_H_
#define IMPORTAI_COMMON_EXCERPT_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace importai {

// The most of a client's text an error message quotes. A message is logged
// and sent back, so quoting all of a large input would cost as much again.
inline constexpr size_t kMaxExcerptBytes = 60;

// A short quotable prefix of `text` for messages: `text` itself when it fits
// in `max_bytes`, otherwise cut at its last space within them (or, with none,
// before a UTF-8 character, never inside one) and "..." appended.
inline std::string Excerpt(absl::string_view text,
                           size_t max_bytes = kMaxExcerptBytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t end = text.rfind(' ', max_bytes);
  if (end == absl::string_view::npos || end == 0) {
    end = max_bytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
      --end;
    }
  }
  std::string excerpt(text.substr(0, end));
  excerpt += "...";
  return excerpt;
}

}  // namespace importai

#endif  // IMPORTAI_COMMON_EXCERPT_H_
