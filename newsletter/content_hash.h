#ifndef IMPORTAI_NEWSLETTER_CONTENT_HASH_H_
#define IMPORTAI_NEWSLETTER_CONTENT_HASH_H_

#include <string>

#include "importai/v1/resources.pb.h"

namespace importai::newsletter {

// Lowercase hex SHA-256 of the issue's canonical content, its words: the
// deterministic serialization of a copy holding only the parsed text fields
// (number, title, topics, author, intro, sections, tale). Name,
// section_count, content_hash, revision and timestamps do not count, so a
// stored issue and a fresh parse of the same text hash alike. Neither do the
// details only some formats give (Issue.uri, Issue.publish_time, Link.uri):
// the same issue as plain text, Markdown, HTML or a feed item hashes alike,
// and storage merges those details (storage/issue_merge.h). An issue without
// them hashes exactly as it did before they existed.
std::string ContentHash(const importai::v1::Issue& issue);

}  // namespace importai::newsletter

#endif  // IMPORTAI_NEWSLETTER_CONTENT_HASH_H_
