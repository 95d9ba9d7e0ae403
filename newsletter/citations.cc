#include "newsletter/citations.h"

#include <algorithm>

#include "absl/strings/ascii.h"

namespace importai::newsletter {
namespace {

constexpr absl::string_view kImportAi = "Import AI";
// Nine digits always fit an int32; longer numbers are not issue numbers.
constexpr int kMaxCitationDigits = 9;

bool IsWordCharacter(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c));
}

}  // namespace

void CollectCitedIssues(absl::string_view text, std::vector<int>* numbers) {
  for (size_t pos = text.find(kImportAi); pos != absl::string_view::npos;
       pos = text.find(kImportAi, pos + 1)) {
    if (pos > 0 && IsWordCharacter(text[pos - 1])) continue;
    size_t i = pos + kImportAi.size();
    if (i < text.size() && text[i] == ' ') ++i;
    if (i < text.size() && text[i] == '#') ++i;
    const size_t digits_start = i;
    int number = 0;
    while (i < text.size() &&
           absl::ascii_isdigit(static_cast<unsigned char>(text[i])) &&
           i - digits_start < kMaxCitationDigits) {
      number = number * 10 + (text[i] - '0');
      ++i;
    }
    const bool ends_number = i == text.size() || !IsWordCharacter(text[i]);
    if (i > digits_start && ends_number && number > 0) {
      numbers->push_back(number);
    }
  }
}

void SortUnique(std::vector<int>* numbers) {
  std::sort(numbers->begin(), numbers->end());
  numbers->erase(std::unique(numbers->begin(), numbers->end()), numbers->end());
}

}  // namespace importai::newsletter
