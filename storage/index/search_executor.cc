#include "storage/index/search_executor.h"

#include <algorithm>
#include <deque>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
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
using IssueSet = absl::flat_hash_set<int32_t>;

// One index term and its postings rows, issue by issue, within the filter's
// issue range (and, once candidates narrow, only for candidate issues).
struct IndexTerm {
  std::string term;
  int64_t frequency = 0;
  double idf = 0;
  absl::flat_hash_map<int32_t, std::string> rows;
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
  std::optional<IssueSet> candidates_;
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
  if (!term.rows.empty() || term.frequency == 0) return absl::OkStatus();
  const std::string prefix = PostingsPrefix(term.term);
  // Few candidates against many rows: look them up instead of scanning.
  if (candidates_ &&
      candidates_->size() * 4 < static_cast<size_t>(term.frequency)) {
    std::vector<std::string> keys;
    std::vector<int32_t> issues(candidates_->begin(), candidates_->end());
    for (int32_t issue : issues) keys.push_back(PostingsKey(term.term, issue));
    std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
    std::vector<rocksdb::PinnableSlice> values(keys.size());
    std::vector<rocksdb::Status> statuses(keys.size());
    db_.MultiGet(read_options_, families_.postings, slices.size(),
                 slices.data(), values.data(), statuses.data());
    for (size_t i = 0; i < keys.size(); ++i) {
      if (statuses[i].IsNotFound()) continue;
      IMPORTAI_RETURN_IF_ERROR(FromRocksDb(statuses[i], "read search index"));
      term.rows.emplace(issues[i], values[i].ToString());
    }
    return absl::OkStatus();
  }
  // Issue keys are inverted: the newest issue in range comes first.
  const std::string lower = PostingsKey(term.term, filter_.max_issue);
  const std::string upper = PostingsKey(term.term, filter_.min_issue - 1);
  rocksdb::Slice upper_bound(upper);
  rocksdb::ReadOptions options = read_options_;
  options.iterate_upper_bound = &upper_bound;
  std::unique_ptr<rocksdb::Iterator> it(
      db_.NewIterator(options, families_.postings));
  for (it->Seek(lower); it->Valid(); it->Next()) {
    const absl::string_view key(it->key().data(), it->key().size());
    const int32_t issue = PostingsIssue(key, prefix.size());
    if (issue == 0) {
      return absl::InternalError("read search index: corrupt postings key");
    }
    if (candidates_ && !candidates_->contains(issue)) continue;
    term.rows.emplace(issue, it->value().ToString());
  }
  return FromRocksDb(it->status(), "read search index");
}

absl::Status SearchExecution::Narrow(Clause& clause) {
  auto in_candidates = [&](int32_t issue) {
    return !candidates_ || candidates_->contains(issue);
  };
  IssueSet matched;
  for (IndexTerm* term : clause.terms) {
    IMPORTAI_RETURN_IF_ERROR(LoadRows(*term));
    // A phrase needs every term, so each narrows the next one's reads; a
    // prefix needs any one of its words.
    const bool every_term = clause.kind != Kind::kPrefix;
    if (every_term) matched.clear();
    for (const auto& [issue, row] : term->rows) {
      if (in_candidates(issue)) matched.insert(issue);
    }
    if (every_term) candidates_ = matched;
  }
  candidates_ = std::move(matched);
  return absl::OkStatus();
}

absl::StatusOr<DocScores> SearchExecution::ScoreClause(const Clause& clause,
                                                       int32_t issue) {
  if (clause.kind == Kind::kPhrase) return ScorePhrase(clause, issue);
  absl::flat_hash_map<int32_t, double> by_ordinal;
  for (const IndexTerm* term : clause.terms) {
    auto row = term->rows.find(issue);
    if (row == term->rows.end()) continue;
    PostingsReader reader(row->second);
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
      by_ordinal[reader.ordinal()] += score;
    }
    if (!reader.ok()) {
      return absl::InternalError(absl::StrCat(
          "read search index: corrupt postings for issue ", issue));
    }
  }
  DocScores scores(by_ordinal.begin(), by_ordinal.end());
  std::sort(scores.begin(), scores.end());
  return scores;
}

absl::StatusOr<DocScores> SearchExecution::ScorePhrase(const Clause& clause,
                                                       int32_t issue) {
  struct Occurrences {
    std::array<std::vector<uint32_t>, kFieldCount> positions;
    std::array<uint32_t, kFieldCount> lengths = {};
  };
  // Per term of the phrase: the documents it occurs in.
  std::vector<absl::flat_hash_map<int32_t, Occurrences>> per_term;
  double idf = 0;
  for (const IndexTerm* term : clause.terms) {
    idf += term->idf;
    auto& documents = per_term.emplace_back();
    auto row = term->rows.find(issue);
    if (row == term->rows.end()) return DocScores();
    PostingsReader reader(row->second);
    while (reader.Next()) {
      if (!KindAllows(reader.ordinal())) continue;
      Occurrences& occurrences = documents[reader.ordinal()];
      for (int field = 0; field < kFieldCount; ++field) {
        occurrences.positions[field] = reader.positions(field);
        occurrences.lengths[field] = reader.length(field);
      }
    }
    if (!reader.ok()) {
      return absl::InternalError(absl::StrCat(
          "read search index: corrupt postings for issue ", issue));
    }
  }
  DocScores scores;
  for (const auto& [ordinal, first] : per_term[0]) {
    FieldCounts counts;
    bool any = false;
    for (int field = 0; field < kFieldCount; ++field) {
      for (uint32_t start : first.positions[field]) {
        bool whole = true;
        for (size_t i = 1; i < per_term.size() && whole; ++i) {
          auto doc = per_term[i].find(ordinal);
          if (doc == per_term[i].end()) {
            whole = false;
            break;
          }
          const auto& list = doc->second.positions[field];
          whole = std::binary_search(list.begin(), list.end(),
                                     start + static_cast<uint32_t>(i));
        }
        if (whole) ++counts.counts[field];
      }
      counts.lengths[field] = first.lengths[field];
      any = any || counts.counts[field] > 0;
    }
    if (any) scores.emplace_back(ordinal, bm25_->Score(idf, counts));
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
      if (!term->rows.empty()) page.matched_terms.push_back(term->term);
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
