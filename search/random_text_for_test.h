#ifndef IMPORTAI_SEARCH_RANDOM_TEXT_FOR_TEST_H_
#define IMPORTAI_SEARCH_RANDOM_TEXT_FOR_TEST_H_

#include <random>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace importai::search {

// 200 reproducible strings of up to `max_length` bytes. A byte below
// `favoured_share` (of 256) is taken from `favoured` (the characters that
// reach the most code); the rest are any byte at all.
inline std::vector<std::string> RandomTexts(unsigned seed, int max_length,
                                            absl::string_view favoured,
                                            int favoured_share) {
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> length(0, max_length);
  std::uniform_int_distribution<int> byte(0, 255);
  std::vector<std::string> texts;
  for (int i = 0; i < 200; ++i) {
    std::string& text = texts.emplace_back(length(random), '\0');
    for (char& c : text) {
      const int b = byte(random);
      c = static_cast<char>(b < favoured_share ? favoured[b % favoured.size()]
                                               : b);
    }
  }
  return texts;
}

}  // namespace importai::search

#endif  // IMPORTAI_SEARCH_RANDOM_TEXT_FOR_TEST_H_
