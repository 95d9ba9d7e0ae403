#include "storage/issue_rows.h"

#include "storage/keys.h"

namespace importai::storage {

void StageIssueRows(const v1::Issue& issue, const std::string& issue_bytes,
                    const v1::Issue* previous, const IssueFamilies& families,
                    rocksdb::WriteBatch* batch) {
  const int32_t number = issue.number();
  batch->Put(families.issues, keys::IssueKey(number), issue_bytes);
  for (const v1::Section& section : issue.sections()) {
    batch->Put(families.sections, keys::SectionKey(number, section.ordinal()),
               section.SerializeAsString());
  }
  if (previous != nullptr) {
    for (const v1::Section& old : previous->sections()) {
      if (old.ordinal() > issue.sections_size()) {
        batch->Delete(families.sections,
                      keys::SectionKey(number, old.ordinal()));
      }
    }
  }
  if (issue.has_tale()) {
    batch->Put(families.tales, keys::IssueKey(number),
               issue.tale().SerializeAsString());
  } else if (previous != nullptr && previous->has_tale()) {
    batch->Delete(families.tales, keys::IssueKey(number));
  }
}

}  // namespace importai::storage
