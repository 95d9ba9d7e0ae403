#include "services/archive_handlers.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "services/fetch_page.h"
#include "services/issue_view.h"
#include "services/resource_names.h"

namespace importai::services {
namespace {

absl::StatusOr<v1::IssueView> ResolveView(v1::IssueView requested,
                                          v1::IssueView default_view) {
  if (requested == v1::ISSUE_VIEW_UNSPECIFIED) return default_view;
  if (!v1::IssueView_IsValid(requested)) {
    return absl::InvalidArgumentError(
        absl::StrCat("view: unknown IssueView value ", requested));
  }
  return requested;
}

}  // namespace

absl::StatusOr<std::shared_ptr<const std::string>> GetIssue(
    storage::ArchiveStore& store, const v1::GetIssueRequest& request) {
  IMPORTAI_ASSIGN_OR_RETURN(const int32_t number,
                            ParseIssueName("name", request.name()));
  IMPORTAI_ASSIGN_OR_RETURN(const v1::IssueView view,
                            ResolveView(request.view(), v1::ISSUE_VIEW_FULL));
  if (view == v1::ISSUE_VIEW_FULL) return store.GetIssueBytes(number);
  IMPORTAI_ASSIGN_OR_RETURN(v1::Issue issue, store.GetIssue(number));
  ApplyIssueView(view, &issue);
  return std::make_shared<const std::string>(issue.SerializeAsString());
}

absl::Status ListIssues(storage::ArchiveStore& store,
                        const v1::ListIssuesRequest& request,
                        v1::ListIssuesResponse* response) {
  IMPORTAI_ASSIGN_OR_RETURN(const v1::IssueView view,
                            ResolveView(request.view(), v1::ISSUE_VIEW_BASIC));
  IMPORTAI_ASSIGN_OR_RETURN(
      std::vector<v1::Issue> issues,
      FetchPage<v1::Issue>(
          "ListIssues", request.page_token(), request.page_size(),
          [&](PageCursor after, int limit) {
            return store.ListIssues(after.issue_number, limit);
          },
          [](const v1::Issue& issue) {
            return PageCursor{issue.number(), 0};
          },
          response->mutable_next_page_token()));
  for (v1::Issue& issue : issues) {
    ApplyIssueView(view, &issue);
    *response->add_issues() = std::move(issue);
  }
  return absl::OkStatus();
}

absl::Status GetSection(storage::ArchiveStore& store,
                        const v1::GetSectionRequest& request,
                        v1::Section* response) {
  IMPORTAI_ASSIGN_OR_RETURN(const SectionName name,
                            ParseSectionName("name", request.name()));
  IMPORTAI_ASSIGN_OR_RETURN(*response,
                            store.GetSection(name.issue_number, name.ordinal));
  return absl::OkStatus();
}

absl::Status ListSections(storage::ArchiveStore& store,
                          const v1::ListSectionsRequest& request,
                          v1::ListSectionsResponse* response) {
  IMPORTAI_ASSIGN_OR_RETURN(const int32_t only_issue,
                            ParseSectionParent("parent", request.parent()));
  IMPORTAI_ASSIGN_OR_RETURN(
      std::vector<v1::Section> sections,
      FetchPage<v1::Section>(
          absl::StrCat("ListSections parent=", request.parent()),
          request.page_token(), request.page_size(),
          [&](PageCursor after, int limit) {
            return store.ListSections({after.issue_number, after.ordinal},
                                      only_issue, limit);
          },
          [](const v1::Section& section) {
            return PageCursor{section.issue_number(), section.ordinal()};
          },
          response->mutable_next_page_token()));
  // Listing one issue that does not exist is NOT_FOUND, not an empty page.
  if (sections.empty() && only_issue != kAllIssues &&
      request.page_token().empty()) {
    IMPORTAI_RETURN_IF_ERROR(store.GetIssue(only_issue).status());
  }
  for (v1::Section& section : sections) {
    *response->add_sections() = std::move(section);
  }
  return absl::OkStatus();
}

absl::Status GetTale(storage::ArchiveStore& store,
                     const v1::GetTaleRequest& request, v1::Tale* response) {
  IMPORTAI_ASSIGN_OR_RETURN(const int32_t number,
                            ParseTaleName("name", request.name()));
  IMPORTAI_ASSIGN_OR_RETURN(*response, store.GetTale(number));
  return absl::OkStatus();
}

absl::Status ListTales(storage::ArchiveStore& store,
                       const v1::ListTalesRequest& request,
                       v1::ListTalesResponse* response) {
  IMPORTAI_ASSIGN_OR_RETURN(
      std::vector<v1::Tale> tales,
      FetchPage<v1::Tale>(
          "ListTales", request.page_token(), request.page_size(),
          [&](PageCursor after, int limit) {
            return store.ListTales(after.issue_number, limit);
          },
          [](const v1::Tale& tale) {
            return PageCursor{tale.issue_number(), 0};
          },
          response->mutable_next_page_token()));
  for (v1::Tale& tale : tales) *response->add_tales() = std::move(tale);
  return absl::OkStatus();
}

}  // namespace importai::services
