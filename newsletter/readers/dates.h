#ifndef IMPORTAI_NEWSLETTER_READERS_DATES_H_
#define IMPORTAI_NEWSLETTER_READERS_DATES_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace importai::newsletter {

// A publication date as sources write it: RFC 3339 ("2024-10-14T12:30:00Z",
// with fractional seconds or an offset), RFC 822/1123 as RSS writes it
// ("Mon, 14 Oct 2024 12:30:00 GMT" or "+0000"), or a bare "2024-10-14"
// (midnight UTC). nullopt for anything else.
std::optional<absl::Time> ParsePublicationDate(absl::string_view text);

// The warning for a date ParsePublicationDate could not read, at `line`:
// 'line 12: unrecognized date "..."' (the text normalized and shortened).
std::string UnrecognizedDateWarning(int line, absl::string_view text);

}  // namespace importai::newsletter

#endif  // IMPORTAI_NEWSLETTER_READERS_DATES_H_
