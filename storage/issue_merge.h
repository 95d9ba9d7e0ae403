#ifndef IMPORTAI_STORAGE_ISSUE_MERGE_H_
#define IMPORTAI_STORAGE_ISSUE_MERGE_H_

#include <string>
#include <vector>

#include "importai/v1/resources.pb.h"

namespace importai::storage {

// A new copy of an issue laid over the stored one.
struct MergedIssue {
  // The copy's words, with its details: the issue's uri and publish_time and
  // each link's uri. Where the copy lacks one, the stored value is kept; for
  // a link, the stored link with the same text in the section of the same
  // ordinal, else the first one with that text anywhere in the issue.
  v1::Issue issue;
  // True when `issue` differs from the stored issue: other words (another
  // content_hash), or details the stored issue lacks or holds differently.
  // False means the copy is UNCHANGED: it has nothing the store lacks.
  bool changed = false;
  // For people, without a line number (the caller knows the copy's line):
  // set when the copy lacked details the stored issue has, saying which
  // were kept, e.g. "this copy has no address, date or link addresses; the
  // stored ones are kept".
  std::vector<std::string> notes;
};

// Merges `copy` onto `stored` (the same issue number). A pure function of
// the two messages; neither is modified. Words are compared by
// content_hash, which does not cover the details (newsletter/content_hash.h).
// `issue` keeps the copy's other fields as they are: storage sets revision
// and times.
MergedIssue MergeIssue(const v1::Issue& stored, const v1::Issue& copy);

}  // namespace importai::storage

#endif  // IMPORTAI_STORAGE_ISSUE_MERGE_H_
