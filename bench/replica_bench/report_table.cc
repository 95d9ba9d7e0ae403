#include "bench/replica_bench/report_table.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_format.h"
#include "cmd/feed_bench/ledger.h"

namespace importai::replica_bench {
namespace {

std::vector<double> Measured(const std::vector<double>& values) {
  std::vector<double> measured;
  for (double value : values) {
    if (!std::isnan(value)) measured.push_back(value);
  }
  std::sort(measured.begin(), measured.end());
  return measured;
}

std::string Cell(const std::vector<double>& values, int decimals) {
  const std::vector<double> measured = Measured(values);
  if (measured.empty()) return "n/a";
  // The nearest-rank median, as feed_benchmark's quantiles.
  const double median = feed_bench::FeedResult::Quantile(measured, 0.5);
  if (measured.size() == 1) return absl::StrFormat("%.*f", decimals, median);
  return absl::StrFormat("%.*f [%.*f-%.*f]", decimals, median, decimals,
                         measured.front(), decimals, measured.back());
}

}  // namespace

void RepeatedTable::Add(const std::string& label, int column, double value,
                        int decimals) {
  auto row = std::find_if(rows_.begin(), rows_.end(),
                          [&](const Row& r) { return r.label == label; });
  if (row == rows_.end()) {
    rows_.push_back(
        {label, decimals, std::vector<std::vector<double>>(columns_.size())});
    row = rows_.end() - 1;
  }
  row->cells[column].push_back(value);
}

const RepeatedTable::Row* RepeatedTable::Find(const std::string& label) const {
  for (const Row& row : rows_) {
    if (row.label == label) return &row;
  }
  return nullptr;
}

double RepeatedTable::Median(const std::string& label, int column) const {
  const Row* row = Find(label);
  if (row == nullptr) return NAN;
  const std::vector<double> measured = Measured(row->cells[column]);
  return measured.empty() ? NAN
                          : feed_bench::FeedResult::Quantile(measured, 0.5);
}

void RepeatedTable::Print(std::FILE* out) const {
  std::fprintf(out, "\n== %s (median [min-max] of the repetitions)\n",
               title_.c_str());
  std::fprintf(out, "%-40s", "");
  for (const std::string& column : columns_) {
    std::fprintf(out, "%26s", column.c_str());
  }
  std::fprintf(out, "\n");
  for (const Row& row : rows_) {
    std::fprintf(out, "%-40s", row.label.c_str());
    for (const std::vector<double>& cell : row.cells) {
      std::fprintf(out, "%26s", Cell(cell, row.decimals).c_str());
    }
    std::fprintf(out, "\n");
  }
  std::fflush(out);
}

}  // namespace importai::replica_bench
