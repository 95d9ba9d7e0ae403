// Full-text search latency and index size at 5 000 issues.
//
// At start-up the program builds, once, a 5 000-issue archive in a temporary
// RocksDB store: the distinct issues of the shared corpus (or, if the corpus
// is absent, parsed SampleIssueText issues) are renumbered 1..5000 and lightly
// varied per copy (fresh content hash, a few words swapped in from a small
// vocabulary with a fixed-seed RNG, one made-up project name per section, and
// "DiLoCo" kept in only a few copies so it stays a rare term). It prints the
// ingest throughput and the index size against the raw indexed text, then
// runs one benchmark per query shape, each reporting p50/p99 latency.
//
// Targets: p99 <= 5 ms for a two-term query; index (postings + terms)
// <= 1.5x the raw text.
//
// Run: search_benchmark [--benchmark_filter=...]

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "benchmark/benchmark.h"
#include "common/testing/fixtures.h"
#include "common/testing/temp_dir.h"
#include "newsletter/parser.h"
#include "search/filter.h"
#include "search/query.h"
#include "storage/rocksdb_store.h"

namespace importai::storage {
namespace {

constexpr int kIssueCount = 5000;
constexpr int kWriteBatch = 100;
constexpr int kLimit = 20;
// "DiLoCo" survives in one copy in this many of the issue that mentions it.
constexpr int kRareTermEvery = 100;
constexpr double kTargetP99Us = 5000;
constexpr double kTargetIndexRatio = 1.5;

// Words swapped into bodies so term statistics differ between copies.
constexpr const char* kVocabulary[] = {
    "training",  "distributed", "model",      "models",    "compute",
    "data",      "robots",      "agents",     "benchmark", "safety",
    "chips",     "policy",      "scaling",    "inference", "reasoning",
    "language",  "vision",      "datacenter", "GPU",       "cluster",
    "synthetic", "evaluation",  "alignment",  "open",      "weights"};

// The generated archive, built once by main before any benchmark runs.
struct Archive {
  testing::TempDir dir;  // Outlives `store` (declared first).
  std::unique_ptr<RocksDbStore> store;
  std::string source;  // "corpus" or "SampleIssueText fallback"
  int base_issues = 0;
  uint64_t raw_text_bytes = 0;
  uint64_t index_bytes = 0;  // postings + terms
  uint64_t citations_bytes = 0;
  uint64_t total_bytes = 0;
  double ingest_seconds = 0;
  std::vector<std::pair<std::string, uint64_t>> families;
};

Archive* g_archive = nullptr;

// The distinct issues (one copy of each number), ascending by number.
std::vector<v1::Issue> BaseIssues(std::string* source) {
  std::string where;
  std::string text = testing::ReadCorpusFile("import-ai-382-387.txt", &where);
  if (!text.empty()) {
    *source = "corpus";
    std::printf("Source: shared corpus %s\n", where.c_str());
  } else {
    *source = "SampleIssueText fallback";
    std::printf(
        "Source: corpus NOT found at %s; using 6 parsed "
        "importai::testing::SampleIssueText issues (FALLBACK)\n",
        where.c_str());
    for (int n = 1; n <= 6; ++n) {
      absl::StrAppend(&text, testing::SampleIssueText(n, n), "\n");
    }
  }
  auto parsed = newsletter::ParseNewsletter(text);
  if (!parsed.ok()) {
    std::fprintf(stderr, "parse failed: %s\n",
                 std::string(parsed.status().message()).c_str());
    std::exit(1);
  }
  std::vector<v1::Issue> issues;
  for (newsletter::ParsedIssue& copy : *parsed) {
    const bool seen =
        std::any_of(issues.begin(), issues.end(), [&](const v1::Issue& issue) {
          return issue.number() == copy.issue.number();
        });
    if (!seen) issues.push_back(std::move(copy.issue));
  }
  std::sort(issues.begin(), issues.end(),
            [](const v1::Issue& a, const v1::Issue& b) {
              return a.number() < b.number();
            });
  return issues;
}

bool IsPlainWord(absl::string_view word) {
  if (word.size() < 3) return false;
  return std::all_of(word.begin(), word.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  });
}

// Replaces `count` random plain words of `text` with vocabulary words and
// appends `extra` (if any) after one of them.
void PerturbWords(std::string* text, int count, const std::string& extra,
                  std::mt19937* rng) {
  std::vector<std::string> words = absl::StrSplit(*text, ' ');
  std::vector<size_t> plain;
  for (size_t i = 0; i < words.size(); ++i) {
    if (IsPlainWord(words[i])) plain.push_back(i);
  }
  if (plain.empty()) return;
  constexpr size_t kVocabularySize = sizeof(kVocabulary) / sizeof(*kVocabulary);
  for (int k = 0; k < count; ++k) {
    words[plain[(*rng)() % plain.size()]] =
        kVocabulary[(*rng)() % kVocabularySize];
  }
  if (!extra.empty()) {
    std::string& word = words[plain[(*rng)() % plain.size()]];
    absl::StrAppend(&word, " ", extra);
  }
  *text = absl::StrJoin(words, " ");
}

// Applies `replace` to every indexed text field of `issue`.
template <typename Fn>
void ForEachIndexedText(v1::Issue* issue, Fn replace) {
  for (v1::Section& section : *issue->mutable_sections()) {
    replace(section.mutable_title());
    replace(section.mutable_summary());
    replace(section.mutable_body());
    replace(section.mutable_why_it_matters());
    for (v1::Link& link : *section.mutable_links()) {
      replace(link.mutable_title());
      replace(link.mutable_source());
    }
  }
  if (issue->has_tale()) {
    v1::Tale* tale = issue->mutable_tale();
    replace(tale->mutable_title());
    replace(tale->mutable_setting());
    replace(tale->mutable_body());
    for (std::string& inspiration : *tale->mutable_inspirations()) {
      replace(&inspiration);
    }
  }
}

// Copy `number` of the archive: base issue (number - 1) % bases, renumbered
// and varied.
v1::Issue MakeIssue(const std::vector<v1::Issue>& bases, int number) {
  const int copy_index = (number - 1) / static_cast<int>(bases.size());
  v1::Issue issue = bases[(number - 1) % bases.size()];
  issue.set_number(number);
  issue.set_name(absl::StrCat("issues/", number));
  issue.set_content_hash(absl::StrFormat("%064x", number));
  std::mt19937 rng(static_cast<uint32_t>(number) * 2654435761u + 17);
  if (copy_index % kRareTermEvery != 0) {
    ForEachIndexedText(&issue, [](std::string* text) {
      if (text->find("DiLoCo") != std::string::npos) {
        *text = absl::StrReplaceAll(*text, {{"DiLoCo", "LocalSGD"}});
      }
    });
  }
  for (v1::Section& section : *issue.mutable_sections()) {
    section.set_name(
        absl::StrCat("issues/", number, "/sections/", section.ordinal()));
    section.set_issue_number(number);
    PerturbWords(section.mutable_body(), 2 + static_cast<int>(rng() % 5),
                 absl::StrCat("Proj", number, "x", section.ordinal()), &rng);
    if (rng() % 4 == 0) {
      PerturbWords(section.mutable_why_it_matters(), 1, "", &rng);
    }
  }
  if (issue.has_tale()) {
    v1::Tale* tale = issue.mutable_tale();
    tale->set_name(absl::StrCat("issues/", number, "/tale"));
    tale->set_issue_number(number);
    PerturbWords(tale->mutable_body(), 1 + static_cast<int>(rng() % 3), "",
                 &rng);
  }
  return issue;
}

// Bytes of every text field the index reads (see index/document.h).
uint64_t RawTextBytes(const v1::Issue& issue) {
  uint64_t bytes = 0;
  for (const v1::Section& section : issue.sections()) {
    bytes += section.title().size() + section.summary().size() +
             section.body().size() + section.why_it_matters().size();
    for (const v1::Link& link : section.links()) {
      bytes += link.title().size() + link.source().size();
    }
  }
  if (issue.has_tale()) {
    const v1::Tale& tale = issue.tale();
    bytes += tale.title().size() + tale.setting().size() + tale.body().size();
    for (const std::string& inspiration : tale.inspirations()) {
      bytes += inspiration.size();
    }
  }
  return bytes;
}

void Die(const std::string& what, const absl::Status& status) {
  std::fprintf(stderr, "%s: %s\n", what.c_str(), status.ToString().c_str());
  std::exit(1);
}

std::unique_ptr<Archive> BuildArchive() {
  auto archive = std::make_unique<Archive>();
  const std::vector<v1::Issue> bases = BaseIssues(&archive->source);
  archive->base_issues = static_cast<int>(bases.size());
  if (bases.empty()) Die("no issues", absl::InternalError("empty corpus"));
  std::printf("Distinct base issues: %d (", archive->base_issues);
  for (const v1::Issue& issue : bases) std::printf(" %d", issue.number());
  std::printf(" ); generating %d issues\n", kIssueCount);

  auto store = RocksDbStore::Open(archive->dir.path());
  if (!store.ok()) Die("open", store.status());
  archive->store = *std::move(store);

  const absl::Time commit_time = absl::FromUnixSeconds(1700000000);
  double generate_seconds = 0;
  for (int first = 1; first <= kIssueCount; first += kWriteBatch) {
    const auto generate_start = std::chrono::steady_clock::now();
    std::vector<v1::Issue> batch;
    for (int n = first; n < first + kWriteBatch && n <= kIssueCount; ++n) {
      batch.push_back(MakeIssue(bases, n));
      archive->raw_text_bytes += RawTextBytes(batch.back());
    }
    const auto write_start = std::chrono::steady_clock::now();
    auto result = archive->store->WriteIssues(batch, commit_time,
                                              /*dry_run=*/false);
    const auto write_end = std::chrono::steady_clock::now();
    generate_seconds +=
        std::chrono::duration<double>(write_start - generate_start).count();
    archive->ingest_seconds +=
        std::chrono::duration<double>(write_end - write_start).count();
    if (!result.ok()) Die("WriteIssues", result.status());
    for (const WriteOutcome& outcome : result->outcomes) {
      if (outcome.outcome != v1::INGEST_OUTCOME_CREATED) {
        Die("WriteIssues", absl::InternalError(absl::StrCat(
                               "outcome ", outcome.outcome, " not CREATED")));
      }
    }
  }

  const auto compact_start = std::chrono::steady_clock::now();
  auto families = archive->store->FamilyBytes(/*compact_first=*/true);
  const double compact_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                    compact_start)
          .count();
  if (!families.ok()) Die("FamilyBytes", families.status());
  archive->families = *std::move(families);
  for (const auto& [name, bytes] : archive->families) {
    if (name == "postings" || name == "terms") archive->index_bytes += bytes;
    if (name == "citations") archive->citations_bytes += bytes;
    archive->total_bytes += bytes;
  }

  const double ratio = static_cast<double>(archive->index_bytes) /
                       static_cast<double>(archive->raw_text_bytes);
  std::printf(
      "Ingest: %d issues in %.2f s of WriteIssues (batches of %d) = %.0f "
      "issues/s, %.1f MB/s of raw text (generation %.2f s, full compaction "
      "%.2f s)\n",
      kIssueCount, archive->ingest_seconds, kWriteBatch,
      kIssueCount / archive->ingest_seconds,
      archive->raw_text_bytes / 1e6 / archive->ingest_seconds, generate_seconds,
      compact_seconds);
  std::printf("Column families after full compaction (SST bytes):\n");
  for (const auto& [name, bytes] : archive->families) {
    std::printf("  %-10s %12llu\n", name.c_str(),
                static_cast<unsigned long long>(bytes));
  }
  std::printf("  %-10s %12llu\n", "(total)",
              static_cast<unsigned long long>(archive->total_bytes));
  std::printf(
      "INDEX SIZE: raw indexed text %llu bytes; index (postings+terms) %llu "
      "bytes; ratio %.3f (target <= %.2f: %s); citations %llu bytes\n\n",
      static_cast<unsigned long long>(archive->raw_text_bytes),
      static_cast<unsigned long long>(archive->index_bytes), ratio,
      kTargetIndexRatio, ratio <= kTargetIndexRatio ? "MET" : "MISSED",
      static_cast<unsigned long long>(archive->citations_bytes));
  std::fflush(stdout);
  return archive;
}

// Index size and ingest throughput of the generated archive, as counters.
void BM_ArchiveSize(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(g_archive->index_bytes);
  }
  state.counters["issues"] = kIssueCount;
  state.counters["raw_text_bytes"] =
      static_cast<double>(g_archive->raw_text_bytes);
  state.counters["index_bytes"] = static_cast<double>(g_archive->index_bytes);
  state.counters["index_ratio"] =
      static_cast<double>(g_archive->index_bytes) /
      static_cast<double>(g_archive->raw_text_bytes);
  state.counters["citations_bytes"] =
      static_cast<double>(g_archive->citations_bytes);
  state.counters["ingest_issues_per_s"] =
      kIssueCount / g_archive->ingest_seconds;
  state.SetLabel(g_archive->source);
}
BENCHMARK(BM_ArchiveSize)->Iterations(1);

// Runs `query_text` (limit 20) against the archive, optionally only for
// issues >= `min_issue`, timing each search.
void BM_Search(benchmark::State& state, const char* query_text,
               int32_t min_issue) {
  auto query = search::ParseQuery(query_text);
  if (!query.ok()) {
    state.SkipWithError(std::string(query.status().message()).c_str());
    return;
  }
  search::Filter filter;
  if (min_issue > 0) filter.min_issue = min_issue;
  RocksDbStore& store = *g_archive->store;

  SearchPage page;
  for (int i = 0; i < 20; ++i) {  // warm the block cache
    auto warm = store.Search(*query, filter, nullptr, kLimit);
    if (!warm.ok()) {
      state.SkipWithError(std::string(warm.status().message()).c_str());
      return;
    }
    page = *std::move(warm);
  }

  std::vector<double> latencies_us;
  latencies_us.reserve(static_cast<size_t>(state.max_iterations));
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    auto result = store.Search(*query, filter, nullptr, kLimit);
    const auto end = std::chrono::steady_clock::now();
    latencies_us.push_back(
        std::chrono::duration<double, std::micro>(end - start).count());
    if (!result.ok()) {
      state.SkipWithError(std::string(result.status().message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(result->hits.data());
  }

  std::sort(latencies_us.begin(), latencies_us.end());
  auto percentile = [&](double p) {
    // Nearest rank.
    size_t rank = static_cast<size_t>(p / 100.0 * latencies_us.size() + 0.5);
    rank = std::clamp<size_t>(rank, 1, latencies_us.size());
    return latencies_us[rank - 1];
  };
  double total_us = 0;
  for (double us : latencies_us) total_us += us;
  const double p99_us = percentile(99);
  state.counters["p50_us"] = percentile(50);
  state.counters["p99_us"] = p99_us;
  state.counters["max_us"] = latencies_us.back();
  state.counters["qps"] = latencies_us.size() / (total_us / 1e6);
  state.counters["total_hits"] = page.total_size;
  state.counters["hits"] = static_cast<double>(page.hits.size());
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(absl::StrCat(
      query_text,
      min_issue > 0 ? absl::StrCat(" [issue>=", min_issue, "]") : "",
      " p99<=5ms:", p99_us <= kTargetP99Us ? "MET" : "MISSED", " (",
      g_archive->source, ")"));
}

BENCHMARK_CAPTURE(BM_Search, one_term, "training", 0)
    ->UseRealTime()
    ->Iterations(2000)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Search, rare_term, "DiLoCo", 0)
    ->UseRealTime()
    ->Iterations(2000)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Search, two_term, "distributed training", 0)
    ->UseRealTime()
    ->Iterations(2000)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Search, phrase, "\"distributed training\"", 0)
    ->UseRealTime()
    ->Iterations(2000)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Search, prefix, "distrib*", 0)
    ->UseRealTime()
    ->Iterations(2000)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Search, two_term_filtered, "distributed training", 4000)
    ->UseRealTime()
    ->Iterations(2000)
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace importai::storage

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  std::printf("search_benchmark: corpus dir %s\n", IMPORTAI_CORPUS_DIR);
  std::unique_ptr<importai::storage::Archive> archive =
      importai::storage::BuildArchive();
  importai::storage::g_archive = archive.get();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  importai::storage::g_archive = nullptr;
  archive.reset();
  return 0;
}
