#include "storage/index/search_executor.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "storage/index/bm25.h"
#include "storage/index/index_keys.h"
#include "storage/index/index_stats.h"
#include "storage/index/postings.h"
#include "storage/index/varint.h"
#include "storage/rocksdb_status.h"

namespace importai::storage::index {
namespace {

using Kind = search::QueryClause::Kind;
// Issue numbers, newest first: the order postings keys sort in.
using Issues = std::vector<int32_t>;

// One index term and its postings rows, issue by issue, within the filter's
// issue range (and, once candidates narrow, only for candidate issues).
// Rows are copied into one buffer, newest issue first.
struct IndexTerm {
  std::string term;
  int64_t frequency = 0;
  double idf = 0;
  bool loaded = false;
  Issues issues;
  std::vector<size_t> ends;  // row i is bytes [ends[i-1], ends[i]) of `rows`
  std::string rows;

  void AddRow(int32_t issue, const rocksdb::Slice& row) {
    issues.push_back(issue);
    rows.append(row.data(), row.size());
    ends.push_back(rows.size());
  }

  // The row of `issue`; empty if the term has none there.
  absl::string_view Row(int32_t issue) const {
    auto it = std::lower_bound(issues.begin(), issues.end(), issue,
                               std::greater<int32_t>());
    if (it == issues.end() || *it != issue) return {};
    const size_t i = it - issues.begin();
    const size_t begin = i == 0 ? 0 : ends[i - 1];
    return absl::string_view(rows).substr(begin, ends[i] - begin);
  }
};

struct Clause {
  Kind kind = Kind::kTerm;
  // kTerm: one; kPhrase: in order; kPrefix: the words it expands to.
  std::vector<IndexTerm*> terms;
  // The source filter's clause: it restricts but does not score.
  bool scores = true;
};

// A document's score so far, by ordinal.
using DocScores = std::vector<std::pair<int32_t, double>>;

// The issues in both lists (each newest first).
Issues IntersectIssues(const Issues& a, const Issues& b) {
  Issues out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(),
                        std::back_inserter(out), std::greater<int32_t>());
  return out;
}

// The issues in either list (each newest first).
Issues UniteIssues(const Issues& a, const Issues& b) {
  Issues out;
  std::set_union(a.begin(), a.end(), b.begin(), b.end(),
                 std::back_inserter(out), std::greater<int32_t>());
  return out;
}

// Adds `score` to `ordinal`'s entry of the (short) list.
void AddScore(int32_t ordinal, double score, DocScores* scores) {
  for (auto& [existing, total] : *scores) {
    if (existing == ordinal) {
      total += score;
      return;
    }
  }
  scores->emplace_back(ordinal, score);
}

bool Before(const SearchHit& a, const SearchHit& b) {
  if (a.score != b.score) return a.score > b.score;
  if (a.issue_number != b.issue_number) return a.issue_number > b.issue_number;
  return a.ordinal < b.ordinal;
}

// Keeps the documents of `scores` that are also in `more`, adding scores.
void Intersect(const DocScores& more, DocScores* scores) {
  DocScores out;
  auto it = more.begin();
  for (const auto& [ordinal, score] : *scores) {
    while (it != more.end() && it->first < ordinal) ++it;
    if (it != more.end() && it->first == ordinal) {
      out.emplace_back(ordinal, score + it->second);
    }
  }
  *scores = std::move(out);
}

class SearchExecution {
 public:
  SearchExecution(rocksdb::DB& db, const IndexFamilies& families,
                  const search::Filter& filter)
      : db_(db), families_(families), filter_(filter), snapshot_(&db) {
    read_options_.snapshot = snapshot_.snapshot();
  }

  absl::StatusOr<SearchPage> Run(const search::Query& query,
                                 const SearchCursor* after, int limit);

 private:
  absl::Status LoadStats();
  // The term's entry, reading its document frequency once.
  absl::StatusOr<IndexTerm*> Term(const std::string& term);
  absl::Status Expand(const std::string& prefix, Clause* clause);
  // Reads `term`'s rows for the issues in range (and in `candidates_`).
  absl::Status LoadRows(IndexTerm& term);
  // Narrows the candidate issues to those `clause` can match.
  absl::Status Narrow(Clause& clause);
  // The documents of `issue` that `clause` matches, by ordinal, with scores.
  absl::StatusOr<DocScores> ScoreClause(const Clause& clause, int32_t issue);
  absl::StatusOr<DocScores> ScorePhrase(const Clause& clause, int32_t issue);

  bool KindAllows(int32_t ordinal) const {
    switch (filter_.kind) {
      case search::Filter::Kind::kSection:
        return ordinal != kTaleOrdinal;
      case search::Filter::Kind::kTale:
        return ordinal == kTaleOrdinal;
      default:
        return true;
    }
  }

  rocksdb::DB& db_;
  IndexFamilies families_;
  const search::Filter& filter_;
  rocksdb::ManagedSnapshot snapshot_;
  rocksdb::ReadOptions read_options_;
  std::unique_ptr<Bm25> bm25_;
  std::deque<IndexTerm> terms_;
  absl::flat_hash_map<std::string, IndexTerm*> terms_by_name_;
  // Unset until the first clause narrows it: every issue in range.
  std::optional<Issues> candidates_;
};

absl::Status SearchExecution::LoadStats() {
  IndexStats stats;
  std::string value;
  rocksdb::Status read = db_.Get(read_options_, families_.meta,
                                 std::string(kIndexStatsKey), &value);
  if (read.ok() && !IndexStats::Decode(value, &stats)) {
    return absl::InternalError("read search index: corrupt statistics");
  }
  if (!read.ok() && !read.IsNotFound()) {
    return FromRocksDb(read, "read search index statistics");
  }
  bm25_ = std::make_unique<Bm25>(stats);
  return absl::OkStatus();
}

absl::StatusOr<IndexTerm*> SearchExecution::Term(const std::string& term) {
  if (auto found = terms_by_name_.find(term); found != terms_by_name_.end())
    return found->second;
  IndexTerm& entry = terms_.emplace_back();
  entry.term = term;
  std::string value;
  rocksdb::Status read = db_.Get(read_options_, families_.terms, term, &value);
  if (read.ok()) {
    absl::string_view view(value);
    if (!ReadVarint(&view, &entry.frequency)) {
      return absl::InternalError("read search index: corrupt term frequency");
    }
  } else if (!read.IsNotFound()) {
    return FromRocksDb(read, "read search index");
  }
  entry.idf = bm25_->Idf(entry.frequency);
  terms_by_name_[term] = &entry;
  return &entry;
}

absl::Status SearchExecution::Expand(const std::string& prefix,
                                     Clause* clause) {
  std::unique_ptr<rocksdb::Iterator> it(
      db_.NewIterator(read_options_, families_.terms));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix);
       it->Next()) {
    if (static_cast<int>(clause->terms.size()) == kMaxPrefixExpansions) {
      return absl::InvalidArgumentError(
          absl::StrCat("query: prefix \"", prefix, "*\" matches more than ",
                       kMaxPrefixExpansions, " words; make it longer"));
    }
    IMPORTAI_ASSIGN_OR_RETURN(IndexTerm * term, Term(it->key().ToString()));
    clause->terms.push_back(term);
  }
  return FromRocksDb(it->status(), "read search index");
}

absl::Status SearchExecution::LoadRows(IndexTerm& term) {
  if (term.loaded) return absl::OkStatus();
  term.loaded = true;
  if (term.frequency == 0) return absl::OkStatus();
  const size_t prefix_size = PostingsPrefix(term.term).size();
  // Issue keys are inverted: the newest issue in range comes first.
  const std::string upper = PostingsKey(term.term, filter_.min_issue - 1);
  rocksdb::Slice upper_bound(upper);
  rocksdb::ReadOptions options = read_options_;
  options.iterate_upper_bound = &upper_bound;
  std::unique_ptr<rocksdb::Iterator> it(
      db_.NewIterator(options, families_.postings));
  auto issue_at = [&]() {
    return PostingsIssue(absl::string_view(it->key().data(), it->key().size()),
                         prefix_size);
  };
  // Few candidates against many rows: seek to each instead of scanning.
  if (candidates_ &&
      candidates_->size() * 16 < static_cast<size_t>(term.frequency)) {
    for (int32_t candidate : *candidates_) {
      it->Seek(PostingsKey(term.term, candidate));
      if (!it->Valid()) break;
      if (issue_at() == candidate) term.AddRow(candidate, it->value());
    }
    return FromRocksDb(it->status(), "read search index");
  }
  auto next_candidate =
      candidates_ ? candidates_->begin() : Issues::const_iterator();
  for (it->Seek(PostingsKey(term.term, filter_.max_issue)); it->Valid();
       it->Next()) {
    const int32_t issue = issue_at();
    if (issue == 0) {
      return absl::InternalError("read search index: corrupt postings key");
    }
    if (candidates_) {
      while (next_candidate != candidates_->end() && *next_candidate > issue)
        ++next_candidate;
      if (next_candidate == candidates_->end()) break;
      if (*next_candidate != issue) continue;
    }
    term.AddRow(issue, it->value());
  }
  return FromRocksDb(it->status(), "read search index");
}

absl::Status SearchExecution::Narrow(Clause& clause) {
  Issues matched;
  for (IndexTerm* term : clause.terms) {
    IMPORTAI_RETURN_IF_ERROR(LoadRows(*term));
    // A term loaded for an earlier clause may hold rows outside the
    // candidates.
    Issues issues = candidates_ ? IntersectIssues(term->issues, *candidates_)
                                : term->issues;
    if (clause.kind == Kind::kPrefix) {
      // Any one of the prefix's words will do.
      matched = UniteIssues(matched, issues);
    } else {
      // A phrase needs every term, so each narrows the next one's reads.
      candidates_ = std::move(issues);
    }
  }
  if (clause.kind == Kind::kPrefix) candidates_ = std::move(matched);
  return absl::OkStatus();
}

absl::StatusOr<DocScores> SearchExecution::ScoreClause(const Clause& clause,
                                                       int32_t issue) {
  if (clause.kind == Kind::kPhrase) return ScorePhrase(clause, issue);
  DocScores scores;
  for (const IndexTerm* term : clause.terms) {
    const absl::string_view row = term->Row(issue);
    if (row.empty()) continue;
    PostingsReader reader(row, /*with_positions=*/false);
    while (reader.Next()) {
      if (!KindAllows(reader.ordinal())) continue;
      double score = 0;
      if (clause.scores) {
        FieldCounts counts;
        for (int field = 0; field < kFieldCount; ++field) {
          counts.counts[field] = reader.count(field);
          counts.lengths[field] = reader.length(field);
        }
        score = bm25_->Score(term->idf, counts);
      }
      AddScore(reader.ordinal(), score, &scores);
    }
    if (!reader.ok()) {
      return absl::InternalError(absl::StrCat(
          "read search index: corrupt postings for issue ", issue));
    }
  }
  std::sort(scores.begin(), scores.end());
  return scores;
}

absl::StatusOr<DocScores> SearchExecution::ScorePhrase(const Clause& clause,
                                                       int32_t issue) {
  // Per document, the positions where the phrase may start: those of its
  // first word, kept while the i-th word sits at start + i.
  struct Candidate {
    int32_t ordinal = 0;
    std::array<std::vector<uint32_t>, kFieldCount> starts;
    std::array<uint32_t, kFieldCount> lengths = {};
  };
  std::vector<Candidate> candidates;
  double idf = 0;
  for (size_t i = 0; i < clause.terms.size(); ++i) {
    const IndexTerm* term = clause.terms[i];
    idf += term->idf;
    const absl::string_view row = term->Row(issue);
    if (row.empty()) return DocScores();
    PostingsReader reader(row);
    std::vector<Candidate> kept;
    while (reader.Next()) {
      if (i == 0) {
        if (!KindAllows(reader.ordinal())) continue;
        Candidate& candidate = kept.emplace_back();
        candidate.ordinal = reader.ordinal();
        for (int field = 0; field < kFieldCount; ++field) {
          candidate.starts[field] = reader.positions(field);
          candidate.lengths[field] = reader.length(field);
        }
        continue;
      }
      auto found = std::find_if(
          candidates.begin(), candidates.end(),
          [&](const Candidate& c) { return c.ordinal == reader.ordinal(); });
      if (found == candidates.end()) continue;
      bool any = false;
      for (int field = 0; field < kFieldCount; ++field) {
        const std::vector<uint32_t>& here = reader.positions(field);
        std::vector<uint32_t>& starts = found->starts[field];
        starts.erase(std::remove_if(starts.begin(), starts.end(),
                                    [&](uint32_t start) {
                                      return !std::binary_search(
                                          here.begin(), here.end(),
                                          start + static_cast<uint32_t>(i));
                                    }),
                     starts.end());
        any = any || !starts.empty();
      }
      if (any) kept.push_back(std::move(*found));
    }
    if (!reader.ok()) {
      return absl::InternalError(absl::StrCat(
          "read search index: corrupt postings for issue ", issue));
    }
    candidates = std::move(kept);
    if (candidates.empty()) return DocScores();
  }
  DocScores scores;
  for (const Candidate& candidate : candidates) {
    FieldCounts counts;
    for (int field = 0; field < kFieldCount; ++field) {
      counts.counts[field] =
          static_cast<uint32_t>(candidate.starts[field].size());
      counts.lengths[field] = candidate.lengths[field];
    }
    scores.emplace_back(candidate.ordinal, bm25_->Score(idf, counts));
  }
  std::sort(scores.begin(), scores.end());
  return scores;
}

absl::StatusOr<SearchPage> SearchExecution::Run(const search::Query& query,
                                                const SearchCursor* after,
                                                int limit) {
  SearchPage page;
  if (filter_.min_issue > filter_.max_issue) return page;
  IMPORTAI_RETURN_IF_ERROR(LoadStats());

  std::vector<Clause> clauses;
  for (const search::QueryClause& parsed : query.clauses) {
    Clause& clause = clauses.emplace_back();
    clause.kind = parsed.kind;
    if (parsed.kind == Kind::kPrefix) {
      IMPORTAI_RETURN_IF_ERROR(Expand(parsed.terms.front(), &clause));
    } else {
      for (const std::string& word : parsed.terms) {
        IMPORTAI_ASSIGN_OR_RETURN(IndexTerm * term, Term(word));
        clause.terms.push_back(term);
      }
    }
  }
  if (!filter_.source.empty()) {
    Clause& clause = clauses.emplace_back();
    clause.scores = false;
    IMPORTAI_ASSIGN_OR_RETURN(IndexTerm * term,
                              Term(SourceTerm(filter_.source)));
    clause.terms.push_back(term);
  }

  // Rarest clauses first, so each narrows the candidates the next one reads.
  auto cost = [](const Clause& clause) {
    int64_t total = 0;
    int64_t rarest = INT64_MAX;
    for (const IndexTerm* term : clause.terms) {
      total += term->frequency;
      rarest = std::min(rarest, term->frequency);
    }
    return clause.kind == Kind::kPrefix ? total : rarest;
  };
  std::vector<Clause*> order;
  for (Clause& clause : clauses) order.push_back(&clause);
  std::stable_sort(order.begin(), order.end(),
                   [&](Clause* a, Clause* b) { return cost(*a) < cost(*b); });
  for (Clause* clause : order) {
    if (cost(*clause) == 0) return page;  // a word no document has
    // Phrase terms read rarest first too.
    if (clause->kind == Kind::kPhrase) {
      std::vector<IndexTerm*> by_rarity = clause->terms;
      std::sort(by_rarity.begin(), by_rarity.end(),
                [](IndexTerm* a, IndexTerm* b) {
                  return a->frequency < b->frequency;
                });
      Clause narrowing = *clause;
      narrowing.terms = std::move(by_rarity);
      IMPORTAI_RETURN_IF_ERROR(Narrow(narrowing));
    } else {
      IMPORTAI_RETURN_IF_ERROR(Narrow(*clause));
    }
    if (candidates_->empty()) return page;
  }

  std::vector<SearchHit> hits;
  for (int32_t issue : *candidates_) {
    DocScores documents;
    bool first = true;
    for (const Clause* clause : order) {
      IMPORTAI_ASSIGN_OR_RETURN(DocScores matched, ScoreClause(*clause, issue));
      if (first) {
        documents = std::move(matched);
        first = false;
      } else {
        Intersect(matched, &documents);
      }
      if (documents.empty()) break;
    }
    for (const auto& [ordinal, score] : documents) {
      hits.push_back({issue, ordinal, score});
    }
  }
  page.total_size = static_cast<int32_t>(hits.size());
  if (after != nullptr) {
    hits.erase(std::remove_if(hits.begin(), hits.end(),
                              [&](const SearchHit& hit) {
                                return !ComesAfter(hit, *after);
                              }),
               hits.end());
  }
  const size_t keep = std::min(hits.size(), static_cast<size_t>(limit));
  std::partial_sort(hits.begin(), hits.begin() + keep, hits.end(), Before);
  hits.resize(keep);
  page.hits = std::move(hits);
  for (const Clause& clause : clauses) {
    if (!clause.scores) continue;
    for (const IndexTerm* term : clause.terms) {
      if (!term->issues.empty()) page.matched_terms.push_back(term->term);
    }
  }
  return page;
}

}  // namespace

absl::StatusOr<SearchPage> ExecuteSearch(rocksdb::DB& db,
                                         const IndexFamilies& families,
                                         const search::Query& query,
                                         const search::Filter& filter,
                                         const SearchCursor* after, int limit) {
  return SearchExecution(db, families, filter).Run(query, after, limit);
}

}  // namespace importai::storage::index
