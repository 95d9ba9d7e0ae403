#include "newsletter/citations.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace importai::newsletter {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<int> Cited(absl::string_view text) {
  std::vector<int> numbers;
  CollectCitedIssues(text, &numbers);
  SortUnique(&numbers);
  return numbers;
}

TEST(CitationsTest, FindsAllThreeSpellings) {
  EXPECT_THAT(Cited("as before (Import AI #349), see #Import AI 363 and "
                    "Import AI 380 to be precise"),
              ElementsAre(349, 363, 380));
}

TEST(CitationsTest, SortsAndDropsRepeats) {
  EXPECT_THAT(Cited("Import AI #9, Import AI #3, Import AI 9."),
              ElementsAre(3, 9));
}

TEST(CitationsTest, IgnoresNonCitations) {
  EXPECT_THAT(Cited("stranger than (Import AI) fiction"), IsEmpty());
  EXPECT_THAT(Cited("Import AI 12b is not an issue"), IsEmpty());
  EXPECT_THAT(Cited("Import AI 0"), IsEmpty());
  EXPECT_THAT(Cited("ReImport AI 5"), IsEmpty());
  EXPECT_THAT(Cited("Import AI 12345678901234"), IsEmpty());
}

}  // namespace
}  // namespace importai::newsletter
