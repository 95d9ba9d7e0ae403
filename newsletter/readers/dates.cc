#include "newsletter/readers/dates.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/types/span.h"
#include "newsletter/text.h"

namespace importai::newsletter {
namespace {

// Longer than any date a source writes: anything past it is not one.
constexpr size_t kMaxDateBytes = 64;

// Tried in order; absl::ParseTime wants the whole input to match.
constexpr const char* kIsoFormats[] = {
    "%Y-%m-%d%ET%H:%M:%E*S%Ez",  // RFC 3339 ("Z" or an offset).
    "%Y-%m-%d%ET%H:%M%Ez",       // The same without seconds.
    "%Y-%m-%d",                  // A bare day: midnight UTC.
};
constexpr const char* kRfc822Formats[] = {
    "%a, %d %b %Y %H:%M:%S %z",
    "%a, %d %b %Y %H:%M %z",
    "%d %b %Y %H:%M:%S %z",
    "%d %b %Y %H:%M %z",
};

// The zone names RFC 822 allows. absl's %Z would accept any name and ignore
// it, reading "EST" as UTC, so names are swapped for offsets instead.
struct ZoneName {
  const char* name;
  const char* offset;
};
constexpr ZoneName kZoneNames[] = {
    {"GMT", "+0000"}, {"UT", "+0000"},  {"UTC", "+0000"}, {"Z", "+0000"},
    {"EST", "-0500"}, {"EDT", "-0400"}, {"CST", "-0600"}, {"CDT", "-0500"},
    {"MST", "-0700"}, {"MDT", "-0600"}, {"PST", "-0800"}, {"PDT", "-0700"},
};

// `text` with a trailing zone name replaced by its numeric offset; nullopt
// for a name RFC 822 does not define.
std::optional<std::string> WithNumericZone(absl::string_view text) {
  const size_t space = text.rfind(' ');
  if (space == absl::string_view::npos) return std::nullopt;
  const absl::string_view zone = text.substr(space + 1);
  if (zone.empty() || !absl::ascii_isalpha(zone[0])) return std::string(text);
  for (const ZoneName& known : kZoneNames) {
    if (absl::EqualsIgnoreCase(zone, known.name)) {
      return absl::StrCat(text.substr(0, space + 1), known.offset);
    }
  }
  return std::nullopt;
}

// Within what a google.protobuf.Timestamp holds (years 1 to 9999).
bool InTimestampRange(absl::Time time) {
  return time >=
             absl::FromCivil(absl::CivilSecond(1, 1, 1), absl::UTCTimeZone()) &&
         time < absl::FromCivil(absl::CivilSecond(10000, 1, 1),
                                absl::UTCTimeZone());
}

std::optional<absl::Time> ParseAny(absl::Span<const char* const> formats,
                                   absl::string_view text) {
  for (const char* format : formats) {
    absl::Time time;
    std::string error;
    if (absl::ParseTime(format, text, &time, &error)) {
      if (!InTimestampRange(time)) return std::nullopt;
      return time;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<absl::Time> ParsePublicationDate(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  if (text.empty() || text.size() > kMaxDateBytes) return std::nullopt;
  if (absl::ascii_isdigit(text[0])) {
    if (auto time = ParseAny(kIsoFormats, text)) return time;
  }
  const std::optional<std::string> rfc822 = WithNumericZone(text);
  if (!rfc822.has_value()) return std::nullopt;
  return ParseAny(kRfc822Formats, *rfc822);
}

std::string UnrecognizedDateWarning(int line, absl::string_view text) {
  return absl::StrCat("line ", line, ": unrecognized date \"",
                      NormalizeWhitespace(text.substr(0, kMaxDateBytes)), "\"");
}

}  // namespace importai::newsletter
