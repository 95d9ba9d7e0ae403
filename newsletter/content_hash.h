#ifndef IMPORTAI_NEWSLETTER_CONTENT_HASH_H_
#define IMPORTAI_NEWSLETTER_CONTENT_HASH_H_

#include <string>

#include "importai/v1/resources.pb.h"

namespace importai::newsletter {

// Lowercase hex SHA-256 of the issue's canonical content: the deterministic
// serialization of a copy holding only the parsed fields (number, title,
// topics, author, intro, sections, tale). Name, section_count, content_hash,
// revision and timestamps do not count, so a stored issue and a fresh parse
// of the same text hash alike.
std::string ContentHash(const importai::v1::Issue& issue);

}  // namespace importai::newsletter

#endif  // IMPORTAI_NEWSLETTER_CONTENT_HASH_H_
