#include "services/issue_view.h"

namespace importai::services {

void ApplyIssueView(v1::IssueView view, v1::Issue* issue) {
  if (view != v1::ISSUE_VIEW_BASIC) return;
  for (v1::Section& section : *issue->mutable_sections()) {
    section.clear_body();
    section.clear_links();
  }
  if (issue->has_tale()) issue->mutable_tale()->clear_body();
}

}  // namespace importai::services
