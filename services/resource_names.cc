#include "services/resource_names.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/excerpt.h"
#include "common/limits.h"
#include "common/status_macros.h"

namespace importai::services {
namespace {

absl::Status Malformed(absl::string_view field, absl::string_view name,
                       absl::string_view pattern) {
  if (name.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": required, in the form \"", pattern, "\""));
  }
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": \"", absl::CHexEscape(Excerpt(name)),
                   "\" is not a valid name; expected \"", pattern, "\""));
}

// A positive decimal int32 without sign, leading zeros or spaces, so every
// resource has exactly one name.
bool ParsePositive(absl::string_view text, int32_t* value) {
  if (text.empty() || text.size() > 10 || text[0] == '0') return false;
  int64_t parsed = 0;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
    parsed = parsed * 10 + (c - '0');
  }
  if (parsed > INT32_MAX) return false;
  *value = static_cast<int32_t>(parsed);
  return true;
}

// Runs before anything else looks at a name: split first, a 16 MiB name of
// "/" would be 16 M segments (~270 MB).
absl::Status CheckLength(absl::string_view field, absl::string_view name,
                         absl::string_view pattern) {
  if (name.size() <= kMaxResourceNameBytes) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      field, ": a name of ", name.size(), " bytes is too long (at most ",
      kMaxResourceNameBytes, "); expected \"", pattern, "\""));
}

// The "/"-separated segments of `name` if they match the literal segments of
// `pattern` ("{...}" segments match anything).
absl::StatusOr<std::vector<absl::string_view>> SplitName(
    absl::string_view field, absl::string_view name,
    absl::string_view pattern) {
  IMPORTAI_RETURN_IF_ERROR(CheckLength(field, name, pattern));
  std::vector<absl::string_view> segments = absl::StrSplit(name, '/');
  std::vector<absl::string_view> expected = absl::StrSplit(pattern, '/');
  bool matches = segments.size() == expected.size();
  for (size_t i = 0; matches && i < expected.size(); ++i) {
    matches = expected[i].front() == '{' || segments[i] == expected[i];
  }
  if (!matches) return Malformed(field, name, pattern);
  return segments;
}

// The issue number of a name matching `pattern`, whose second segment is it.
absl::StatusOr<int32_t> ParseNumberedName(absl::string_view field,
                                          absl::string_view name,
                                          absl::string_view pattern) {
  IMPORTAI_ASSIGN_OR_RETURN(const std::vector<absl::string_view> parts,
                            SplitName(field, name, pattern));
  int32_t number = 0;
  if (!ParsePositive(parts[1], &number)) return Malformed(field, name, pattern);
  return number;
}

}  // namespace

absl::StatusOr<int32_t> ParseIssueName(absl::string_view field,
                                       absl::string_view name) {
  return ParseNumberedName(field, name, "issues/{number}");
}

absl::StatusOr<SectionName> ParseSectionName(absl::string_view field,
                                             absl::string_view name) {
  constexpr absl::string_view kPattern = "issues/{number}/sections/{ordinal}";
  IMPORTAI_ASSIGN_OR_RETURN(const std::vector<absl::string_view> parts,
                            SplitName(field, name, kPattern));
  SectionName parsed;
  if (!ParsePositive(parts[1], &parsed.issue_number) ||
      !ParsePositive(parts[3], &parsed.ordinal)) {
    return Malformed(field, name, kPattern);
  }
  return parsed;
}

absl::StatusOr<int32_t> ParseTaleName(absl::string_view field,
                                      absl::string_view name) {
  return ParseNumberedName(field, name, "issues/{number}/tale");
}

absl::StatusOr<int32_t> ParseSectionParent(absl::string_view field,
                                           absl::string_view name) {
  constexpr absl::string_view kPattern = "issues/{number}\" or \"issues/-";
  IMPORTAI_RETURN_IF_ERROR(CheckLength(field, name, kPattern));
  if (name == "issues/-") return kAllIssues;
  absl::StatusOr<int32_t> number = ParseIssueName(field, name);
  if (!number.ok()) return Malformed(field, name, kPattern);
  return number;
}

}  // namespace importai::services
