#include "newsletter/readers/dates.h"

#include <optional>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace importai::newsletter {
namespace {

absl::Time Utc(int year, int month, int day, int hour = 0, int minute = 0,
               int second = 0) {
  return absl::FromCivil(
      absl::CivilSecond(year, month, day, hour, minute, second),
      absl::UTCTimeZone());
}

TEST(DateTest, ReadsRfc3339) {
  EXPECT_EQ(ParsePublicationDate("2024-10-14T12:30:00Z"),
            Utc(2024, 10, 14, 12, 30));
  EXPECT_EQ(ParsePublicationDate("2024-10-14T12:30:00+02:00"),
            Utc(2024, 10, 14, 10, 30));
  EXPECT_EQ(ParsePublicationDate("2024-10-14t12:30:00.250-01:00"),
            Utc(2024, 10, 14, 13, 30) + absl::Milliseconds(250));
  EXPECT_EQ(ParsePublicationDate("2024-10-14T12:30Z"),
            Utc(2024, 10, 14, 12, 30));
}

TEST(DateTest, ReadsRfc822AsRssWritesIt) {
  EXPECT_EQ(ParsePublicationDate("Mon, 14 Oct 2024 12:30:00 GMT"),
            Utc(2024, 10, 14, 12, 30));
  EXPECT_EQ(ParsePublicationDate("Mon, 14 Oct 2024 12:30:00 +0000"),
            Utc(2024, 10, 14, 12, 30));
  EXPECT_EQ(ParsePublicationDate("Mon, 7 Oct 2024 08:05:09 -0700"),
            Utc(2024, 10, 7, 15, 5, 9));
  EXPECT_EQ(ParsePublicationDate("14 Oct 2024 12:30 UT"),
            Utc(2024, 10, 14, 12, 30));
}

TEST(DateTest, ReadsZoneNamesAsTheirOffsets) {
  EXPECT_EQ(ParsePublicationDate("Mon, 14 Oct 2024 12:30:00 EST"),
            Utc(2024, 10, 14, 17, 30));
  EXPECT_EQ(ParsePublicationDate("Mon, 14 Oct 2024 12:30:00 pdt"),
            Utc(2024, 10, 14, 19, 30));
  EXPECT_EQ(ParsePublicationDate("Mon, 14 Oct 2024 12:30:00 XYZ"),
            std::nullopt);
}

TEST(DateTest, ReadsABareDayAsMidnightUtc) {
  EXPECT_EQ(ParsePublicationDate("2024-10-14"), Utc(2024, 10, 14));
  EXPECT_EQ(ParsePublicationDate("  2024-10-14\n"), Utc(2024, 10, 14));
}

TEST(DateTest, RejectsEverythingElse) {
  for (const char* text :
       {"", " ", "yesterday", "2024-13-01", "2024-02-30", "14/10/2024",
        "2024-10-14T25:00:00Z", "Mon, 14 Oct 2024", "2024-10-14 extra",
        "99999-01-01", "0000-01-01T00:00:00Z"}) {
    EXPECT_EQ(ParsePublicationDate(text), std::nullopt) << text;
  }
  EXPECT_EQ(ParsePublicationDate(std::string(1000, '2')), std::nullopt);
}

}  // namespace
}  // namespace importai::newsletter
