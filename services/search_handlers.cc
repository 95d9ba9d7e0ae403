#include "services/search_handlers.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "search/analyzer.h"
#include "search/filter.h"
#include "search/query.h"
#include "search/snippet.h"
#include "services/fetch_page.h"
#include "services/resource_names.h"

namespace importai::services {
namespace {

using TermSet = absl::flat_hash_set<std::string>;

int CountMatches(const std::string& text, const TermSet& terms) {
  int matches = 0;
  for (const std::string& term : search::Terms(text)) {
    matches += terms.contains(term) ? 1 : 0;
  }
  return matches;
}

// The snippet comes from the field with the most matched words (the first
// listed on a tie); with none, from the first non-empty one.
std::string SnippetOf(const std::vector<const std::string*>& fields,
                      const TermSet& terms) {
  const std::string* best = nullptr;
  int best_matches = 0;
  for (const std::string* field : fields) {
    const int matches = CountMatches(*field, terms);
    if (matches > best_matches) {
      best = field;
      best_matches = matches;
    }
  }
  if (best == nullptr) {
    for (const std::string* field : fields) {
      if (!field->empty()) {
        best = field;
        break;
      }
    }
  }
  if (best == nullptr) return "";
  return search::MakeSnippet(
      *best, [&](absl::string_view term) { return terms.contains(term); });
}

absl::Status FillResult(storage::ArchiveStore& store,
                        const storage::SearchHit& hit, const TermSet& terms,
                        v1::SearchResult* result) {
  result->set_issue_number(hit.issue_number);
  result->set_score(hit.score);
  if (hit.ordinal == 0) {
    IMPORTAI_ASSIGN_OR_RETURN(v1::Tale tale, store.GetTale(hit.issue_number));
    result->set_name(tale.name());
    result->set_title(tale.title());
    result->set_snippet(
        SnippetOf({&tale.body(), &tale.setting(), &tale.title()}, terms));
    return absl::OkStatus();
  }
  IMPORTAI_ASSIGN_OR_RETURN(v1::Section section,
                            store.GetSection(hit.issue_number, hit.ordinal));
  result->set_name(section.name());
  result->set_title(section.title());
  result->set_snippet(SnippetOf({&section.body(), &section.why_it_matters(),
                                 &section.summary(), &section.title()},
                                terms));
  return absl::OkStatus();
}

}  // namespace

absl::Status Search(storage::ArchiveStore& store,
                    const v1::SearchRequest& request,
                    v1::SearchResponse* response) {
  IMPORTAI_ASSIGN_OR_RETURN(const search::Query query,
                            search::ParseQuery(request.query()));
  IMPORTAI_ASSIGN_OR_RETURN(const search::Filter filter,
                            search::ParseFilter(request.filter()));
  TermSet matched_terms;
  int32_t total_size = 0;
  IMPORTAI_ASSIGN_OR_RETURN(
      std::vector<storage::SearchHit> hits,
      FetchPage<storage::SearchHit>(
          absl::StrCat("Search query=", request.query(),
                       "\nfilter=", request.filter()),
          request.page_token(), request.page_size(),
          [&](PageCursor after,
              int limit) -> absl::StatusOr<std::vector<storage::SearchHit>> {
            const storage::SearchCursor cursor{after.score, after.issue_number,
                                               after.ordinal};
            IMPORTAI_ASSIGN_OR_RETURN(
                storage::SearchPage page,
                store.Search(query, filter,
                             after.issue_number > 0 ? &cursor : nullptr,
                             limit));
            total_size = page.total_size;
            matched_terms.insert(page.matched_terms.begin(),
                                 page.matched_terms.end());
            return std::move(page.hits);
          },
          [](const storage::SearchHit& hit) {
            return PageCursor{hit.issue_number, hit.ordinal, hit.score};
          },
          response->mutable_next_page_token()));
  response->set_total_size(total_size);
  for (const storage::SearchHit& hit : hits) {
    IMPORTAI_RETURN_IF_ERROR(
        FillResult(store, hit, matched_terms, response->add_results()));
  }
  return absl::OkStatus();
}

absl::Status ListCitingSections(storage::ArchiveStore& store,
                                const v1::ListCitingSectionsRequest& request,
                                v1::ListCitingSectionsResponse* response) {
  IMPORTAI_ASSIGN_OR_RETURN(const int32_t cited,
                            ParseIssueName("parent", request.parent()));
  IMPORTAI_ASSIGN_OR_RETURN(
      std::vector<v1::Section> sections,
      FetchPage<v1::Section>(
          absl::StrCat("ListCitingSections parent=", request.parent()),
          request.page_token(), request.page_size(),
          [&](PageCursor after, int limit) {
            return store.ListCitingSections(
                cited, {after.issue_number, after.ordinal}, limit);
          },
          [](const v1::Section& section) {
            return PageCursor{section.issue_number(), section.ordinal()};
          },
          response->mutable_next_page_token()));
  for (v1::Section& section : sections) {
    *response->add_sections() = std::move(section);
  }
  return absl::OkStatus();
}

}  // namespace importai::services
