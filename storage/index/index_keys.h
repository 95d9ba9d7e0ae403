#ifndef IMPORTAI_STORAGE_INDEX_INDEX_KEYS_H_
#define IMPORTAI_STORAGE_INDEX_INDEX_KEYS_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

// Key layout of the search index and the citation graph, beside the archive's
// own (storage/keys.h). Issue keys are inverted, so scans go newest first.
//
//   postings  : term + "\0" + issue_key(n)       -> postings (postings.h)
//   terms     : term                             -> varint document frequency
//   citations : issue_key(cited) + section_key(citing issue, ordinal) -> ""
//   default   : "search_stats"                   -> IndexStats
//   default   : "analyzer_version"               -> search::AnalyzerVersion()
//               of the analyzer that made the terms (see rebuild.h)
//
// Terms are what search::Tokenize makes: no byte below 0x20. Filter terms
// start with 0x01, so no prefix of a word ever reaches them.
namespace importai::storage::index {

inline constexpr absl::string_view kIndexStatsKey = "search_stats";
inline constexpr absl::string_view kAnalyzerVersionKey = "analyzer_version";

std::string PostingsPrefix(absl::string_view term);
std::string PostingsKey(absl::string_view term, int32_t issue_number);
// The issue of a postings key with the given prefix; 0 if malformed.
int32_t PostingsIssue(absl::string_view key, size_t prefix_size);

// The filter term of documents with a link from `normalized_source`.
std::string SourceTerm(absl::string_view normalized_source);

std::string CitationKey(int32_t cited, int32_t citing, int32_t ordinal);
// Splits a citation key; false if malformed.
bool DecodeCitationKey(absl::string_view key, int32_t* citing,
                       int32_t* ordinal);

}  // namespace importai::storage::index

#endif  // IMPORTAI_STORAGE_INDEX_INDEX_KEYS_H_
