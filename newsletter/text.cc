#include "newsletter/text.h"

#include <cstring>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace importai::newsletter {
namespace {

constexpr absl::string_view kReplacementCharacter = "\xEF\xBF\xBD";
constexpr absl::string_view kBullet = "\xE2\x80\xA2";

// Length of the well-formed UTF-8 sequence starting at `p`, or 0 if the bytes
// there are not one (overlong forms and surrogates included).
int Utf8SequenceLength(const unsigned char* p, size_t available) {
  const unsigned char lead = p[0];
  auto is_continuation = [&](size_t k) {
    return k < available && (p[k] & 0xC0) == 0x80;
  };
  if (lead < 0x80) return 1;
  if (lead < 0xC2) return 0;
  if (lead < 0xE0) return is_continuation(1) ? 2 : 0;
  if (lead < 0xF0) {
    if (!is_continuation(1) || !is_continuation(2)) return 0;
    if (lead == 0xE0 && p[1] < 0xA0) return 0;
    if (lead == 0xED && p[1] >= 0xA0) return 0;
    return 3;
  }
  if (lead < 0xF5) {
    if (!is_continuation(1) || !is_continuation(2) || !is_continuation(3)) {
      return 0;
    }
    if (lead == 0xF0 && p[1] < 0x90) return 0;
    if (lead == 0xF4 && p[1] >= 0x90) return 0;
    return 4;
  }
  return 0;
}

// Multi-byte characters that count as whitespace: C1 controls, no-break
// space, the U+2000 spaces, line/paragraph separators, narrow no-break space,
// medium mathematical space, ideographic space and the byte-order mark.
bool IsMultiByteSpace(const unsigned char* p, int length) {
  if (length == 2) return p[0] == 0xC2 && p[1] <= 0xA0;
  if (length != 3) return false;
  if (p[0] == 0xE2 && p[1] == 0x80) {
    return p[2] <= 0x8A || p[2] == 0xA8 || p[2] == 0xA9 || p[2] == 0xAF;
  }
  if (p[0] == 0xE2 && p[1] == 0x81) return p[2] == 0x9F;
  if (p[0] == 0xE3 && p[1] == 0x80) return p[2] == 0x80;
  if (p[0] == 0xEF && p[1] == 0xBB) return p[2] == 0xBF;
  return false;
}

bool IsAsciiSpaceOrControl(unsigned char c) { return c <= 0x20 || c == 0x7F; }

}  // namespace

void AppendNormalizedLine(absl::string_view raw, std::string* out) {
  const size_t line_start = out->size();
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  const size_t size = raw.size();
  bool pending_space = false;
  // Emits the space folded from a whitespace run, unless at the line start.
  auto flush_space = [&] {
    if (pending_space && out->size() > line_start) out->push_back(' ');
    pending_space = false;
  };
  size_t i = 0;
  while (i < size) {
    const unsigned char c = bytes[i];
    if (c < 0x80) {
      if (IsAsciiSpaceOrControl(c)) {
        pending_space = true;
        ++i;
        continue;
      }
      // Copy a whole run of printable ASCII at once: the common case.
      size_t end = i + 1;
      while (end < size && bytes[end] < 0x7F && bytes[end] > 0x20) ++end;
      flush_space();
      out->append(raw.data() + i, end - i);
      i = end;
      continue;
    }
    const int length = Utf8SequenceLength(bytes + i, size - i);
    if (length == 0) {
      flush_space();
      out->append(kReplacementCharacter.data(), kReplacementCharacter.size());
      ++i;
      continue;
    }
    if (IsMultiByteSpace(bytes + i, length)) {
      pending_space = true;
    } else {
      flush_space();
      out->append(raw.data() + i, length);
    }
    i += length;
  }
  // "•Item" and "•   Item" both become "• Item".
  const absl::string_view line(out->data() + line_start,
                               out->size() - line_start);
  if (line.size() > kBullet.size() && absl::StartsWith(line, kBullet) &&
      line[kBullet.size()] != ' ') {
    out->insert(line_start + kBullet.size(), 1, ' ');
  }
}

std::string NormalizeWhitespace(absl::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  AppendNormalizedLine(raw, &out);
  return out;
}

NormalizedText::NormalizedText(absl::string_view raw, bool keep_blank_lines) {
  buffer_.reserve(raw.size() + 16);
  struct Span {
    size_t offset;
    size_t size;
    int number;
  };
  std::vector<Span> spans;
  int number = 1;
  size_t pos = 0;
  while (true) {
    const void* newline =
        pos < raw.size() ? std::memchr(raw.data() + pos, '\n', raw.size() - pos)
                         : nullptr;
    const size_t end = newline == nullptr
                           ? raw.size()
                           : static_cast<const char*>(newline) - raw.data();
    const size_t offset = buffer_.size();
    AppendNormalizedLine(raw.substr(pos, end - pos), &buffer_);
    if (buffer_.size() > offset || keep_blank_lines) {
      spans.push_back({offset, buffer_.size() - offset, number});
    }
    if (newline == nullptr) break;
    pos = end + 1;
    ++number;
  }
  last_line_number_ = number;
  // Views are taken only now: appending may have moved the buffer.
  lines_.reserve(spans.size());
  for (const Span& span : spans) {
    lines_.push_back(
        {absl::string_view(buffer_.data() + span.offset, span.size),
         span.number});
  }
}

int CountWords(absl::string_view normalized) {
  if (normalized.empty()) return 0;
  int words = 1;
  for (char c : normalized) words += c == ' ';
  return words;
}

bool ContainsWord(absl::string_view text, absl::string_view word) {
  if (word.empty()) return false;
  for (size_t pos = text.find(word); pos != absl::string_view::npos;
       pos = text.find(word, pos + 1)) {
    const size_t end = pos + word.size();
    const bool starts_word = pos == 0 || !absl::ascii_isalnum(text[pos - 1]);
    const bool ends_word =
        end == text.size() || !absl::ascii_isalnum(text[end]);
    if (starts_word && ends_word) return true;
  }
  return false;
}

}  // namespace importai::newsletter
