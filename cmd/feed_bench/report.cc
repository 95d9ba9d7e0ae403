#include "cmd/feed_bench/report.h"

#include <cmath>
#include <functional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace importai::feed_bench {
namespace {

struct Row {
  const char* label;
  // The cell of one system; empty when it has no figure.
  std::function<std::string(const FeedResult&)> cell;
  // The number compared in the ratio column; null for no ratio.
  std::function<double(const FeedResult&)> ratio_value;
};

std::string Fixed(double value, int decimals) {
  if (std::isnan(value) || value < 0) return "";
  return absl::StrFormat("%.*f", decimals, value);
}

std::string Latency(const FeedResult& result, double quantile) {
  return result.measured() ? Fixed(result.LatencyMs(quantile), 2) : "";
}

std::vector<Row> Rows() {
  return {
      {"latency p50 (ms)", [](auto& r) { return Latency(r, 0.50); },
       [](auto& r) { return r.LatencyMs(0.50); }},
      {"latency p99 (ms)", [](auto& r) { return Latency(r, 0.99); },
       [](auto& r) { return r.LatencyMs(0.99); }},
      {"latency max (ms)", [](auto& r) { return Latency(r, 1.0); },
       [](auto& r) { return r.LatencyMs(1.0); }},
      {"write acknowledged p50 (ms)",
       [](auto& r) { return r.measured() ? Fixed(r.WriteMs(0.50), 2) : ""; },
       [](auto& r) { return r.WriteMs(0.50); }},
      {"delivered events/s",
       [](auto& r) {
         return r.measured() ? Fixed(r.events_per_second, 0) : "";
       },
       nullptr},
      {"server CPU during writes (s)",
       [](auto& r) { return r.measured() ? Fixed(r.server_cpu_s, 2) : ""; },
       [](auto& r) { return r.server_cpu_s; }},
      {"benchmark client CPU, same span (s)",
       [](auto& r) { return r.measured() ? Fixed(r.client_cpu_s, 2) : ""; },
       nullptr},
      {"all streams confirmed open (ms)",
       [](auto& r) { return r.error.empty() ? Fixed(r.open_ms, 0) : ""; },
       nullptr},
      {"RSS per idle subscriber (KiB)",
       [](auto& r) { return Fixed(r.RssPerSubscriberKib(), 2); },
       [](auto& r) { return r.RssPerSubscriberKib(); }},
      {"server RSS before/idle (MiB)",
       [](auto& r) {
         if (r.rss_idle_kib < 0) return std::string();
         return absl::StrFormat("%.1f/%.1f", r.rss_before_kib / 1024.0,
                                r.rss_idle_kib / 1024.0);
       },
       nullptr},
      {"events delivered/expected",
       [](auto& r) {
         return absl::StrCat(r.delivered, "/",
                             int64_t{r.subscribers} * r.writes_sent);
       },
       nullptr},
      {"missing/duplicate/out of order",
       [](auto& r) {
         return absl::StrCat(r.missing, "/", r.duplicates, "/", r.out_of_order);
       },
       nullptr},
      {"bad revision or payload/unexpected",
       [](auto& r) { return absl::StrCat(r.mismatched, "/", r.unexpected); },
       nullptr},
      {"failed subscribers",
       [](auto& r) { return absl::StrCat(r.failed_subscribers); }, nullptr},
      {"verdict", [](auto& r) { return std::string(r.ok() ? "ok" : "FAIL"); },
       nullptr},
  };
}

// The ratio importai/etcd of a row, or empty unless both have a figure.
std::string Ratio(const Row& row, const std::vector<FeedResult>& results) {
  const FeedResult* ours = nullptr;
  const FeedResult* etcd = nullptr;
  for (const FeedResult& result : results) {
    if (result.system == "importai") ours = &result;
    if (result.system == "etcd") etcd = &result;
  }
  if (row.ratio_value == nullptr || ours == nullptr || etcd == nullptr ||
      row.cell(*ours).empty() || row.cell(*etcd).empty()) {
    return "";
  }
  const double denominator = row.ratio_value(*etcd);
  if (!(denominator > 0)) return "";
  return Fixed(row.ratio_value(*ours) / denominator, 2);
}

void PrintNotes(const std::vector<FeedResult>& results, std::FILE* out) {
  for (const FeedResult& result : results) {
    if (!result.error.empty()) {
      std::fprintf(out, "  %s: error: %s\n", result.system.c_str(),
                   result.error.c_str());
    }
    for (const std::string& note : result.notes) {
      std::fprintf(out, "  %s: %s\n", result.system.c_str(), note.c_str());
    }
  }
}

}  // namespace

void PrintComparison(const Setup& setup, const std::vector<FeedResult>& results,
                     std::FILE* out) {
  std::fprintf(out,
               "\n== %d subscribers (%d per connection), %d writes, "
               "%zu-byte Issue per event (load average before: %s)\n",
               setup.subscribers, setup.per_connection, setup.writes,
               setup.payload_bytes, setup.load_average.c_str());
  std::fprintf(out, "%-36s", "");
  for (const FeedResult& result : results) {
    std::fprintf(out, "%14s", result.system.c_str());
  }
  if (results.size() == 2) std::fprintf(out, "%16s", "importai/etcd");
  std::fprintf(out, "\n");
  for (const Row& row : Rows()) {
    std::fprintf(out, "%-36s", row.label);
    for (const FeedResult& result : results) {
      const std::string cell = row.cell(result);
      std::fprintf(out, "%14s", cell.empty() ? "n/a" : cell.c_str());
    }
    if (results.size() == 2) {
      std::fprintf(out, "%16s", Ratio(row, results).c_str());
    }
    std::fprintf(out, "\n");
  }
  PrintNotes(results, out);
  std::fflush(out);
}

}  // namespace importai::feed_bench
