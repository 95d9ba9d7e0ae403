#ifndef IMPORTAI_STORAGE_TESTING_MAKE_ISSUE_H_
#define IMPORTAI_STORAGE_TESTING_MAKE_ISSUE_H_

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "importai/v1/resources.pb.h"

namespace importai::storage::testing {

// An issue as the parser would hand it over from plain text: `variant`
// changes its content (the issue title ends "variant <V>", and each section
// title holds the searchable word "variant<V>"). Section K has one link,
// "Read more: Paper K (arXiv).", without an address.
inline v1::Issue MakeIssue(int32_t number, int sections, bool with_tale,
                           int variant = 0) {
  v1::Issue issue;
  issue.set_name(absl::StrCat("issues/", number));
  issue.set_number(number);
  issue.set_title(absl::StrCat("Issue ", number, " variant ", variant));
  for (int ordinal = 1; ordinal <= sections; ++ordinal) {
    v1::Section* section = issue.add_sections();
    section->set_name(absl::StrCat(issue.name(), "/sections/", ordinal));
    section->set_issue_number(number);
    section->set_ordinal(ordinal);
    section->set_title(absl::StrCat("Section ", ordinal, " variant", variant));
    v1::Link* link = section->add_links();
    link->set_text(absl::StrCat("Read more: Paper ", ordinal, " (arXiv)."));
    link->set_lead("Read more");
    link->set_title(absl::StrCat("Paper ", ordinal));
    link->set_source("arXiv");
  }
  issue.set_section_count(sections);
  if (with_tale) {
    issue.mutable_tale()->set_name(absl::StrCat(issue.name(), "/tale"));
    issue.mutable_tale()->set_issue_number(number);
    issue.mutable_tale()->set_title(absl::StrCat("Tale ", number));
  }
  issue.set_content_hash(absl::StrCat("hash-", number, "-", sections, "-",
                                      with_tale, "-", variant));
  return issue;
}

// `issue` with what only Markdown, HTML and feeds give: its address
// "https://example.org/p/import-ai-N", a date, and the address
// "https://example.org/paper-K" on section K's links. The content_hash does
// not change: it covers the words only.
inline v1::Issue WithDetails(v1::Issue issue) {
  issue.set_uri(
      absl::StrCat("https://example.org/p/import-ai-", issue.number()));
  issue.mutable_publish_time()->set_seconds(1690000000 + issue.number());
  for (v1::Section& section : *issue.mutable_sections()) {
    for (v1::Link& link : *section.mutable_links()) {
      link.set_uri(
          absl::StrCat("https://example.org/paper-", section.ordinal()));
    }
  }
  return issue;
}

}  // namespace importai::storage::testing

#endif  // IMPORTAI_STORAGE_TESTING_MAKE_ISSUE_H_
