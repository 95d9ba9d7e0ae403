#include "storage/index/index_keys.h"

#include "absl/strings/str_cat.h"
#include "storage/keys.h"

namespace importai::storage::index {
namespace {

uint32_t LoadBigEndian32(absl::string_view bytes) {
  uint32_t value = 0;
  for (unsigned char c : bytes.substr(0, 4)) value = (value << 8) | c;
  return value;
}

int32_t IssueFromKey(absl::string_view issue_key) {
  return static_cast<int32_t>(UINT32_MAX - LoadBigEndian32(issue_key));
}

}  // namespace

std::string PostingsPrefix(absl::string_view term) {
  return absl::StrCat(term, absl::string_view("\0", 1));
}

std::string PostingsKey(absl::string_view term, int32_t issue_number) {
  return absl::StrCat(PostingsPrefix(term), keys::IssueKey(issue_number));
}

int32_t PostingsIssue(absl::string_view key, size_t prefix_size) {
  if (key.size() != prefix_size + 4) return 0;
  return IssueFromKey(key.substr(prefix_size));
}

std::string SourceTerm(absl::string_view normalized_source) {
  return absl::StrCat("\x01", normalized_source);
}

std::string CitationKey(int32_t cited, int32_t citing, int32_t ordinal) {
  return absl::StrCat(keys::IssueKey(cited), keys::SectionKey(citing, ordinal));
}

bool DecodeCitationKey(absl::string_view key, int32_t* citing,
                       int32_t* ordinal) {
  if (key.size() != 12) return false;
  *citing = IssueFromKey(key.substr(4, 4));
  *ordinal = static_cast<int32_t>(LoadBigEndian32(key.substr(8, 4)));
  return true;
}

}  // namespace importai::storage::index
