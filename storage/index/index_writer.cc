#include "storage/index/index_writer.h"

#include <vector>

#include "absl/container/btree_map.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "storage/index/document.h"
#include "storage/index/index_keys.h"
#include "storage/index/postings.h"
#include "storage/index/varint.h"
#include "storage/rocksdb_status.h"

namespace importai::storage::index {

void IndexWriter::Stage(const v1::Issue& issue, int sign) {
  const int32_t number = issue.number();
  // One postings row per term for the whole issue.
  absl::btree_map<std::string, std::string> rows;
  for (const Document& document : DocumentsOf(issue)) {
    for (const auto& [term, positions] : document.terms) {
      AppendPostings(document, positions, &rows[term]);
      frequency_deltas_[term] += sign;
    }
    for (const std::string& source : document.sources) {
      std::string term = SourceTerm(source);
      AppendMarker(document.ordinal, &rows[term]);
      frequency_deltas_[term] += sign;
    }
    stats_delta_.documents += sign;
    for (int field = 0; field < kFieldCount; ++field) {
      stats_delta_.total_lengths[field] += sign * document.lengths[field];
    }
  }
  for (const auto& [term, value] : rows) {
    if (sign > 0) {
      batch_.Put(families_.postings, PostingsKey(term, number), value);
    } else {
      batch_.Delete(families_.postings, PostingsKey(term, number));
    }
  }
  for (const v1::Section& section : issue.sections()) {
    for (int32_t cited : section.cited_issues()) {
      std::string key = CitationKey(cited, number, section.ordinal());
      if (sign > 0) {
        batch_.Put(families_.citations, key, "");
      } else {
        batch_.Delete(families_.citations, key);
      }
    }
  }
}

absl::Status IndexWriter::Finish(rocksdb::DB& db) {
  std::vector<std::string> terms;
  std::vector<int64_t> deltas;
  for (const auto& [term, delta] : frequency_deltas_) {
    if (delta == 0) continue;  // an unchanged term of a revised issue
    terms.push_back(term);
    deltas.push_back(delta);
  }
  std::vector<rocksdb::Slice> slices(terms.begin(), terms.end());
  std::vector<rocksdb::PinnableSlice> values(terms.size());
  std::vector<rocksdb::Status> statuses(terms.size());
  db.MultiGet(rocksdb::ReadOptions(), families_.terms, slices.size(),
              slices.data(), values.data(), statuses.data());
  for (size_t i = 0; i < terms.size(); ++i) {
    int64_t frequency = 0;
    if (statuses[i].ok()) {
      absl::string_view value(values[i].data(), values[i].size());
      if (!ReadVarint(&value, &frequency)) {
        return absl::InternalError("read search index: corrupt term frequency");
      }
    } else if (!statuses[i].IsNotFound()) {
      return FromRocksDb(statuses[i], "read search index");
    }
    frequency += deltas[i];
    if (frequency > 0) {
      std::string encoded;
      AppendVarint(static_cast<uint64_t>(frequency), &encoded);
      batch_.Put(families_.terms, terms[i], encoded);
    } else {
      batch_.Delete(families_.terms, terms[i]);
    }
  }

  IndexStats stats;
  std::string stored;
  rocksdb::Status read = db.Get(rocksdb::ReadOptions(), families_.meta,
                                std::string(kIndexStatsKey), &stored);
  if (read.ok()) {
    if (!IndexStats::Decode(stored, &stats)) {
      return absl::InternalError("read search index: corrupt statistics");
    }
  } else if (!read.IsNotFound()) {
    return FromRocksDb(read, "read search index statistics");
  }
  stats.Add(stats_delta_);
  batch_.Put(families_.meta, std::string(kIndexStatsKey), stats.Encode());
  return absl::OkStatus();
}

}  // namespace importai::storage::index
