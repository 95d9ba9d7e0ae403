#include "services/resource_names.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace importai::services {
namespace {

absl::Status Malformed(absl::string_view field, absl::string_view name,
                       absl::string_view pattern) {
  if (name.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": required, in the form \"", pattern, "\""));
  }
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": \"", absl::CHexEscape(name),
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

// Splits `name` on "/" and checks the literal segments of `pattern`
// ("{...}" segments match anything non-empty).
bool MatchSegments(absl::string_view name, absl::string_view pattern,
                   std::vector<absl::string_view>* segments) {
  *segments = absl::StrSplit(name, '/');
  std::vector<absl::string_view> expected = absl::StrSplit(pattern, '/');
  if (segments->size() != expected.size()) return false;
  for (size_t i = 0; i < expected.size(); ++i) {
    if (expected[i].front() != '{' && (*segments)[i] != expected[i])
      return false;
  }
  return true;
}

// The issue number of a name matching `pattern`, whose second segment is it.
absl::StatusOr<int32_t> ParseNumberedName(absl::string_view field,
                                          absl::string_view name,
                                          absl::string_view pattern) {
  std::vector<absl::string_view> parts;
  int32_t number = 0;
  if (!MatchSegments(name, pattern, &parts) ||
      !ParsePositive(parts[1], &number)) {
    return Malformed(field, name, pattern);
  }
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
  std::vector<absl::string_view> parts;
  SectionName parsed;
  if (!MatchSegments(name, kPattern, &parts) ||
      !ParsePositive(parts[1], &parsed.issue_number) ||
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
  if (name == "issues/-") return kAllIssues;
  absl::StatusOr<int32_t> number = ParseIssueName(field, name);
  if (!number.ok()) {
    return Malformed(field, name, "issues/{number}\" or \"issues/-");
  }
  return number;
}

}  // namespace importai::services
