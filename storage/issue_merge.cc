#include "storage/issue_merge.h"

#include <cstdint>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"

namespace importai::storage {
namespace {

// The stored issue's link addresses, found by link text. Views into the
// stored issue, which outlives it.
class StoredLinkUris {
 public:
  explicit StoredLinkUris(const v1::Issue& stored) {
    for (const v1::Section& section : stored.sections()) {
      for (const v1::Link& link : section.links()) {
        if (link.uri().empty()) continue;
        // The first link with a text wins, as the reader would see it.
        in_section_.try_emplace(
            std::make_pair(section.ordinal(), absl::string_view(link.text())),
            &link.uri());
        anywhere_.try_emplace(link.text(), &link.uri());
      }
    }
  }

  // The address of the stored link with `text` in section `ordinal`, else
  // of the first one with `text` anywhere; null if none has one.
  const std::string* Find(int32_t ordinal, absl::string_view text) const {
    if (auto it = in_section_.find(std::make_pair(ordinal, text));
        it != in_section_.end()) {
      return it->second;
    }
    auto it = anywhere_.find(text);
    return it == anywhere_.end() ? nullptr : it->second;
  }

 private:
  absl::flat_hash_map<std::pair<int32_t, absl::string_view>, const std::string*>
      in_section_;
  absl::flat_hash_map<absl::string_view, const std::string*> anywhere_;
};

bool SamePublishTime(const v1::Issue& a, const v1::Issue& b) {
  return a.has_publish_time() == b.has_publish_time() &&
         a.publish_time().seconds() == b.publish_time().seconds() &&
         a.publish_time().nanos() == b.publish_time().nanos();
}

// Whether two issues with the same words (so the same sections and links)
// hold the same details.
bool SameDetails(const v1::Issue& a, const v1::Issue& b) {
  if (a.uri() != b.uri() || !SamePublishTime(a, b) ||
      a.sections_size() != b.sections_size()) {
    return false;
  }
  for (int s = 0; s < a.sections_size(); ++s) {
    const v1::Section& left = a.sections(s);
    const v1::Section& right = b.sections(s);
    if (left.links_size() != right.links_size()) return false;
    for (int l = 0; l < left.links_size(); ++l) {
      if (left.links(l).uri() != right.links(l).uri()) return false;
    }
  }
  return true;
}

// "the issue's address, its date and 2 link addresses"
std::string DescribeKept(bool uri, bool date, int links) {
  std::vector<std::string> kept;
  if (uri) kept.push_back("the issue's address");
  if (date) kept.push_back("its date");
  if (links == 1) kept.push_back("1 link address");
  if (links > 1) kept.push_back(absl::StrCat(links, " link addresses"));
  if (kept.size() == 1) return kept.front();
  const std::string last = kept.back();
  kept.pop_back();
  return absl::StrCat(absl::StrJoin(kept, ", "), " and ", last);
}

}  // namespace

MergedIssue MergeIssue(const v1::Issue& stored, const v1::Issue& copy) {
  MergedIssue merged{copy, false, {}};
  v1::Issue& issue = merged.issue;
  const bool kept_uri = issue.uri().empty() && !stored.uri().empty();
  if (kept_uri) issue.set_uri(stored.uri());
  const bool kept_date = !issue.has_publish_time() && stored.has_publish_time();
  if (kept_date) *issue.mutable_publish_time() = stored.publish_time();
  int kept_links = 0;
  const StoredLinkUris stored_links(stored);
  for (v1::Section& section : *issue.mutable_sections()) {
    for (v1::Link& link : *section.mutable_links()) {
      if (!link.uri().empty()) continue;
      if (const std::string* uri =
              stored_links.Find(section.ordinal(), link.text())) {
        link.set_uri(*uri);
        ++kept_links;
      }
    }
  }
  merged.changed = issue.content_hash() != stored.content_hash() ||
                   !SameDetails(issue, stored);
  if (kept_uri || kept_date || kept_links > 0) {
    merged.notes.push_back(absl::StrCat(
        "this copy lacks ", DescribeKept(kept_uri, kept_date, kept_links),
        " of the stored issue; the stored ones are kept"));
  }
  return merged;
}

}  // namespace importai::storage
