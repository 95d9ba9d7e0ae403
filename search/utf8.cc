#include "search/utf8.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/excerpt.h"

namespace importai::search {

Utf8Char DecodeUtf8(absl::string_view text, size_t pos) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data() + pos);
  const size_t available = text.size() - pos;
  auto continuation = [&](size_t k) {
    return k < available && (p[k] & 0xC0) == 0x80;
  };
  Utf8Char c;
  const unsigned char lead = p[0];
  if (lead < 0x80) {
    c.code_point = lead;
    c.valid = true;
  } else if (lead < 0xC2) {
    // Continuation byte or overlong two-byte lead.
  } else if (lead < 0xE0) {
    if (continuation(1)) {
      c.code_point = (char32_t{lead} & 0x1F) << 6 | (p[1] & 0x3F);
      c.length = 2;
      c.valid = true;
    }
  } else if (lead < 0xF0) {
    const bool overlong = lead == 0xE0 && available > 1 && p[1] < 0xA0;
    const bool surrogate = lead == 0xED && available > 1 && p[1] >= 0xA0;
    if (continuation(1) && continuation(2) && !overlong && !surrogate) {
      c.code_point =
          (char32_t{lead} & 0x0F) << 12 | (p[1] & 0x3F) << 6 | (p[2] & 0x3F);
      c.length = 3;
      c.valid = true;
    }
  } else if (lead < 0xF5) {
    const bool overlong = lead == 0xF0 && available > 1 && p[1] < 0x90;
    const bool too_big = lead == 0xF4 && available > 1 && p[1] >= 0x90;
    if (continuation(1) && continuation(2) && continuation(3) && !overlong &&
        !too_big) {
      c.code_point = (char32_t{lead} & 0x07) << 18 | (p[1] & 0x3F) << 12 |
                     (p[2] & 0x3F) << 6 | (p[3] & 0x3F);
      c.length = 4;
      c.valid = true;
    }
  }
  return c;
}

bool IsSpaceOrControl(char32_t cp) {
  if (cp <= 0x20 || (cp >= 0x7F && cp <= 0xA0)) return true;
  if (cp >= 0x2000 && cp <= 0x200A) return true;
  switch (cp) {
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
    case 0xFEFF:
      return true;
    default:
      return false;
  }
}

size_t CharPosition(absl::string_view text, size_t offset) {
  size_t position = 1;
  for (size_t pos = 0; pos < offset && pos < text.size();) {
    pos += DecodeUtf8(text, pos).length;
    ++position;
  }
  return position;
}

std::string QuoteForMessage(absl::string_view input) {
  const std::string excerpt = Excerpt(input);
  const absl::string_view text = excerpt;
  std::string out = "\"";
  for (size_t pos = 0; pos < text.size();) {
    const Utf8Char c = DecodeUtf8(text, pos);
    if (!c.valid || c.code_point < 0x20 || c.code_point == 0x7F) {
      absl::StrAppendFormat(&out, "\\x%02X",
                            static_cast<unsigned char>(text[pos]));
    } else if (c.code_point == '"' || c.code_point == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c.code_point));
    } else {
      absl::StrAppend(&out, text.substr(pos, c.length));
    }
    pos += c.length;
  }
  out.push_back('"');
  return out;
}

}  // namespace importai::search
