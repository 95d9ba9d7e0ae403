#ifndef IMPORTAI_BENCH_REPLICA_BENCH_REPORT_TABLE_H_
#define IMPORTAI_BENCH_REPLICA_BENCH_REPORT_TABLE_H_

#include <cstdio>
#include <string>
#include <vector>

namespace importai::replica_bench {

// Figures measured once per repetition, printed as "median [min-max]" over
// the repetitions; NaN stands for "no figure".
class RepeatedTable {
 public:
  RepeatedTable(std::string title, std::vector<std::string> columns)
      : title_(std::move(title)), columns_(std::move(columns)) {}

  // Adds this repetition's `value` to the cell (row `label`, `column`); the
  // row is created, printed with `decimals`, on first use.
  void Add(const std::string& label, int column, double value, int decimals);

  // The median of a cell over the repetitions; NaN if it has no figure.
  double Median(const std::string& label, int column) const;

  void Print(std::FILE* out) const;

 private:
  struct Row {
    std::string label;
    int decimals = 0;
    std::vector<std::vector<double>> cells;  // per column, per repetition
  };
  const Row* Find(const std::string& label) const;

  std::string title_;
  std::vector<std::string> columns_;
  std::vector<Row> rows_;
};

}  // namespace importai::replica_bench

#endif  // IMPORTAI_BENCH_REPLICA_BENCH_REPORT_TABLE_H_
