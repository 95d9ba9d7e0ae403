// lookup_benchmark: importai-server's lookups against etcd's KV/Range and a
// do-nothing gRPC server (the ceiling), side by side, all driven by the same
// load generator (h2load) over plaintext HTTP/2 on 127.0.0.1.
//
//   1. Starts importai-server, etcd and (once the answer is known)
//      ceiling_server, each on a fresh temporary directory.
//   2. Loads the corpus into importai (one IngestIssues) and each issue's
//      GetIssue FULL bytes into etcd under issues/N; checks that Range gives
//      back exactly those bytes for every N, and that ListIssues and
//      GetSection answer consistently.
//   3. For each call and shape (1 connection x 1 stream, then 8 x 16):
//      a warm-up h2load run, then the measured one, of as many requests as
//      the warm-up's rate says take --run_seconds. Every response must be
//      HTTP 200 with exactly the expected DATA bytes (a gRPC error is
//      trailers-only, without DATA), or the benchmark fails.
//   4. Ingest throughput: durable 1-issue and 100-issue IngestIssues,
//      validate_only, and the cost of an fdatasync on the same filesystem.
// Prints one table and the ratios; exits 1 if any correctness check failed.
//   scripts/lookup-bench.sh [--rounds=3] [--run_seconds=10] ...
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "cmd/feed_bench/child_process.h"
#include "cmd/feed_bench/issue_text.h"
#include "cmd/lookup_bench/h2load_run.h"
#include "cmd/lookup_bench/ingest_bench.h"
#include "cmd/lookup_bench/systems.h"

ABSL_FLAG(std::string, server_binary, IMPORTAI_SERVER_BINARY,
          "the importai-server binary");
ABSL_FLAG(std::string, ceiling_binary, CEILING_SERVER_BINARY,
          "the ceiling_server binary");
ABSL_FLAG(std::string, etcd_binary, "/usr/bin/etcd", "the etcd binary");
ABSL_FLAG(std::string, h2load_binary, "/usr/bin/h2load", "the h2load binary");
ABSL_FLAG(std::string, corpus, LOOKUP_BENCH_CORPUS_FILE,
          "newsletter text to load into both systems");
ABSL_FLAG(std::string, fallback_corpus, LOOKUP_BENCH_FALLBACK_CORPUS,
          "what to load when --corpus cannot be read");
ABSL_FLAG(double, run_seconds, 5,
          "each measured run sends as many requests as its warm-up's rate "
          "says take this long");
ABSL_FLAG(int, requests, 0,
          "a fixed request count per measured run instead (0: by "
          "--run_seconds)");
ABSL_FLAG(int, c1_warmup_requests, 1000,
          "warm-up requests before each run at 1 connection x 1 stream");
ABSL_FLAG(int, loaded_warmup_requests, 5000,
          "warm-up requests before each run at --connections x --streams");
ABSL_FLAG(int, connections, 8, "connections of the loaded shape");
ABSL_FLAG(int, streams, 16, "concurrent streams per connection, loaded shape");
ABSL_FLAG(int, rounds, 1,
          "measured runs per call and shape: req/s is the median round, "
          "percentiles are over every round's requests");
ABSL_FLAG(bool, etcd_serializable, true,
          "also measure etcd's serializable Range (local read, no raft "
          "round); the ratios use the default, linearizable Range");
ABSL_FLAG(bool, generic_ceiling, true,
          "also measure the ceiling server through gRPC's generic service "
          "(an unregistered method), the slower path");
ABSL_FLAG(bool, ingest, true, "also measure ingest throughput");
ABSL_FLAG(int, ingest_requests, 200,
          "durable 1-issue IngestIssues requests (and as many validate_only, "
          "and as many from several clients at once)");
ABSL_FLAG(int, ingest_batches, 10, "durable 100-issue IngestIssues requests");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(900),
          "overall limit: past it every server is killed and the benchmark "
          "exits with 124");

namespace importai::lookup_bench {
namespace {

using feed_bench::ScopedTempDir;

struct Shape {
  std::string name;
  int connections;
  int streams;
  int warmup_requests;
};

// Every measured run of one call at one shape.
struct Measured {
  std::vector<double> requests_per_second;
  std::vector<double> cpu_us_per_request;
  std::vector<int64_t> micros;  // every round's, sorted once all are in
  int64_t requests = 0;
  std::vector<std::string> errors;

  bool ok() const { return errors.empty() && !requests_per_second.empty(); }
  static double Median(std::vector<double> values) {
    if (values.empty()) return -1;
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
  }
  double Rps() const { return Median(requests_per_second); }
  double CpuPerRequest() const { return Median(cpu_us_per_request); }
  int64_t Percentile(double p) const {
    return lookup_bench::Percentile(micros, p);
  }
};

std::string ReadFile(const std::string& path, bool* ok) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  *ok = static_cast<bool>(in) && !text.str().empty();
  return text.str();
}

bool WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  return static_cast<bool>(out);
}

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one, five;
  in >> one >> five;
  return one.empty() ? "unknown" : one + " (1 min), " + five + " (5 min)";
}

// Returned from Main, so the servers stop and the directory goes.
int Fail(const absl::Status& status) {
  std::fflush(stdout);
  std::fprintf(stderr, "lookup_benchmark: FAILED: %s\n",
               status.ToString().c_str());
  return 1;
}

// One measured run (after its warm-up) of `lookup` at `shape`.
void RunOnce(const Lookup& lookup, const std::string& body_file,
             const Shape& shape, const std::string& work_prefix,
             Measured* measured) {
  H2loadRun run;
  run.h2load_binary = absl::GetFlag(FLAGS_h2load_binary);
  run.address = lookup.address;
  run.path = lookup.method;
  run.body_file = body_file;
  run.connections = shape.connections;
  run.streams = shape.streams;
  run.work_prefix = work_prefix;
  const int64_t framed = static_cast<int64_t>(lookup.response.size()) + 5;
  const int timeout = 300;

  run.requests = std::max(shape.warmup_requests,
                          shape.connections * shape.streams);
  auto warm = RunH2load(run, timeout);
  if (!warm.ok()) {
    measured->errors.push_back("warm-up: " + warm.status().ToString());
    return;
  }
  if (absl::Status checked = Check(*warm, run.requests, framed);
      !checked.ok()) {
    measured->errors.push_back("warm-up: " + std::string(checked.message()));
    return;
  }

  // Enough requests for --run_seconds at the warm-up's rate.
  run.requests = absl::GetFlag(FLAGS_requests);
  if (run.requests <= 0) {
    run.requests = static_cast<int>(std::clamp(
        warm->requests_per_second * absl::GetFlag(FLAGS_run_seconds), 1000.0,
        2e6));
  }
  const double cpu_before = feed_bench::ProcessCpuSeconds(lookup.server_pid);
  auto result = RunH2load(run, timeout);
  const double cpu_after = feed_bench::ProcessCpuSeconds(lookup.server_pid);
  if (!result.ok()) {
    measured->errors.push_back(result.status().ToString());
    return;
  }
  if (absl::Status checked = Check(*result, run.requests, framed);
      !checked.ok()) {
    measured->errors.push_back(std::string(checked.message()));
    return;
  }
  measured->requests += run.requests;
  measured->requests_per_second.push_back(result->requests_per_second);
  measured->cpu_us_per_request.push_back((cpu_after - cpu_before) * 1e6 /
                                         run.requests);
  measured->micros.insert(measured->micros.end(), result->micros.begin(),
                          result->micros.end());
}

void PrintRow(const Lookup& lookup, const Shape& shape,
              const Measured& measured) {
  std::string ok =
      measured.ok() ? absl::StrCat("all ", measured.requests)
                    : "FAILED: " + (measured.errors.empty()
                                        ? std::string("no run")
                                        : measured.errors.front());
  absl::PrintF("%-9s %-20s %-7s %7d %11.0f %8d %8d %10.1f  %s\n",
               lookup.target, lookup.label, shape.name,
               static_cast<int>(lookup.response.size()), measured.Rps(),
               measured.Percentile(0.5), measured.Percentile(0.99),
               measured.CpuPerRequest(), ok);
}

std::string Verdict(bool met) { return met ? "met" : "NOT met"; }

int Main() {
  feed_bench::StartGuardian(absl::GetFlag(FLAGS_timeout));
  ScopedTempDir work("lookup-bench");

  bool read = false;
  std::string corpus_path = absl::GetFlag(FLAGS_corpus);
  std::string corpus = ReadFile(corpus_path, &read);
  if (!read) {
    std::printf("corpus: %s is missing; using %s instead\n",
                corpus_path.c_str(),
                absl::GetFlag(FLAGS_fallback_corpus).c_str());
    corpus_path = absl::GetFlag(FLAGS_fallback_corpus);
    corpus = ReadFile(corpus_path, &read);
    if (!read) return Fail(absl::NotFoundError("cannot read " + corpus_path));
  }
  std::printf("corpus: %s (%zu bytes)\n", corpus_path.c_str(), corpus.size());
  std::printf("machine: %u CPUs, load average %s at start\n",
              std::thread::hardware_concurrency(), LoadAverage().c_str());

  auto importai =
      StartImportAi(absl::GetFlag(FLAGS_server_binary),
                    work.path() + "/importai-data", work.path() + "/importai.log");
  if (!importai.ok()) return Fail(importai.status());
  auto etcd = StartEtcd(absl::GetFlag(FLAGS_etcd_binary),
                        work.path() + "/etcd-data", work.path() + "/etcd.log");
  if (!etcd.ok()) return Fail(etcd.status());

  auto loaded = LoadCorpus(*importai, *etcd, corpus);
  if (!loaded.ok()) return Fail(loaded.status());
  std::printf(
      "loaded %zu issues into both; etcd Range returns GetIssue FULL's exact "
      "bytes for every one; ListIssues and GetSection check out\n",
      loaded->numbers.size());
  std::printf("payload: issue %d, GetIssue FULL answer %zu bytes, etcd "
              "RangeResponse %zu bytes\n",
              loaded->largest, loaded->get_issue.response.size(),
              loaded->range.response.size());

  const std::string ceiling_response = work.path() + "/ceiling.response";
  if (!WriteFile(ceiling_response, loaded->get_issue.response)) {
    return Fail(absl::InternalError("cannot write " + ceiling_response));
  }
  auto ceiling = StartCeiling(absl::GetFlag(FLAGS_ceiling_binary),
                              ceiling_response, work.path() + "/ceiling.log");
  if (!ceiling.ok()) return Fail(ceiling.status());
  Lookup ceiling_lookup = loaded->get_issue;
  ceiling_lookup.target = "ceiling";
  ceiling_lookup.label = "GetIssue (canned)";
  ceiling_lookup.address = ceiling->address;
  ceiling_lookup.server_pid = ceiling->process->pid();
  Lookup generic_lookup = ceiling_lookup;
  generic_lookup.label = "generic (canned)";
  generic_lookup.method = "/lookup_bench.Unregistered/Get";

  std::vector<const Lookup*> lookups = {&loaded->get_issue, &loaded->range};
  if (absl::GetFlag(FLAGS_etcd_serializable)) {
    lookups.push_back(&loaded->range_serializable);
  }
  lookups.push_back(&ceiling_lookup);
  if (absl::GetFlag(FLAGS_generic_ceiling)) lookups.push_back(&generic_lookup);
  lookups.push_back(&loaded->list_issues);
  lookups.push_back(&loaded->get_section);
  std::vector<std::string> bodies;
  for (size_t i = 0; i < lookups.size(); ++i) {
    bodies.push_back(absl::StrCat(work.path(), "/request-", i, ".bin"));
    if (!WriteFile(bodies.back(), GrpcFramed(lookups[i]->request))) {
      return Fail(absl::InternalError("cannot write " + bodies.back()));
    }
  }

  const std::vector<Shape> shapes = {
      {"c1 m1", 1, 1, absl::GetFlag(FLAGS_c1_warmup_requests)},
      {absl::StrCat("c", absl::GetFlag(FLAGS_connections), " m",
                    absl::GetFlag(FLAGS_streams)),
       absl::GetFlag(FLAGS_connections), absl::GetFlag(FLAGS_streams),
       absl::GetFlag(FLAGS_loaded_warmup_requests)}};
  // measured[shape][lookup]
  std::vector<std::vector<Measured>> measured(
      shapes.size(), std::vector<Measured>(lookups.size()));
  const int rounds = std::max(1, absl::GetFlag(FLAGS_rounds));
  std::printf("running h2load: %d round(s) of every call at %s and %s...\n",
              rounds, shapes[0].name.c_str(), shapes[1].name.c_str());
  std::fflush(stdout);
  for (int round = 0; round < rounds; ++round) {
    for (size_t s = 0; s < shapes.size(); ++s) {
      for (size_t i = 0; i < lookups.size(); ++i) {
        RunOnce(*lookups[i], bodies[i], shapes[s],
                absl::StrCat(work.path(), "/h2load-", s, "-", i),
                &measured[s][i]);
      }
    }
  }
  for (auto& row : measured) {
    for (Measured& one : row) std::sort(one.micros.begin(), one.micros.end());
  }

  std::printf(
      "\nLookups: h2load -t1, plaintext HTTP/2 on 127.0.0.1; req/s of the "
      "median round, per-request times (µs, h2load --log-file) over all "
      "rounds; server CPU = the server process' user+system time per "
      "request. Load average now %s\n",
      LoadAverage().c_str());
  absl::PrintF("%-9s %-20s %-7s %7s %11s %8s %8s %10s  %s\n", "target",
               "call", "shape", "bytes", "req/s", "p50 µs", "p99 µs",
               "CPU µs/req", "responses ok (HTTP 200, exact DATA bytes)");
  bool all_ok = true;
  for (size_t s = 0; s < shapes.size(); ++s) {
    for (size_t i = 0; i < lookups.size(); ++i) {
      PrintRow(*lookups[i], shapes[s], measured[s][i]);
      all_ok = all_ok && measured[s][i].ok();
    }
  }

  // Indexes into `lookups`: 0 GetIssue, 1 Range, then the ceiling.
  const size_t ceiling_index = absl::GetFlag(FLAGS_etcd_serializable) ? 3 : 2;
  const Measured& get_c1 = measured[0][0];
  const Measured& range_c1 = measured[0][1];
  const Measured& get_loaded = measured[1][0];
  const Measured& range_loaded = measured[1][1];
  std::printf("\nRatios\n");
  const double ratio = get_loaded.Rps() / range_loaded.Rps();
  absl::PrintF("  GetIssue FULL / etcd Range, req/s at %s: %.2f  (target >= "
               "2.0: %s)\n",
               shapes[1].name, ratio, Verdict(ratio >= 2.0));
  if (absl::GetFlag(FLAGS_etcd_serializable)) {
    absl::PrintF(
        "  GetIssue FULL / etcd serializable Range, req/s at %s: %.2f\n",
        shapes[1].name, get_loaded.Rps() / measured[1][2].Rps());
  }
  absl::PrintF("  GetIssue FULL / etcd Range, req/s at c1 m1: %.2f\n",
               get_c1.Rps() / range_c1.Rps());
  for (size_t s = 0; s < shapes.size(); ++s) {
    absl::PrintF("  GetIssue FULL / ceiling, req/s at %s: %.0f%%\n",
                 shapes[s].name,
                 100 * measured[s][0].Rps() / measured[s][ceiling_index].Rps());
  }
  absl::PrintF(
      "  p50 at c1 m1: importai %d µs vs etcd %d µs (below etcd: %s)\n",
      get_c1.Percentile(0.5), range_c1.Percentile(0.5),
      Verdict(get_c1.Percentile(0.5) < range_c1.Percentile(0.5)));
  absl::PrintF(
      "  p99 at c1 m1: importai %d µs vs etcd %d µs (below etcd: %s)\n",
      get_c1.Percentile(0.99), range_c1.Percentile(0.99),
      Verdict(get_c1.Percentile(0.99) < range_c1.Percentile(0.99)));
  absl::PrintF("  server CPU per request at %s: importai %.1f µs, etcd %.1f "
               "µs, ceiling %.1f µs\n",
               shapes[1].name, get_loaded.CpuPerRequest(),
               range_loaded.CpuPerRequest(),
               measured[1][ceiling_index].CpuPerRequest());
  std::fflush(stdout);

  if (absl::GetFlag(FLAGS_ingest)) {
    // Last: it adds issues, which would change ListIssues' answer.
    auto text = feed_bench::IssueText::LargestIn(corpus);
    if (!text.ok()) return Fail(text.status());
    IngestBenchOptions options;
    options.single_requests = absl::GetFlag(FLAGS_ingest_requests);
    options.batch_requests = absl::GetFlag(FLAGS_ingest_batches);
    if (absl::Status ingest = RunIngestBench(
            importai->address, work.path() + "/importai-data", *text,
            options, stdout);
        !ingest.ok()) {
      std::printf("  ingest FAILED: %s\n", ingest.ToString().c_str());
      all_ok = false;
    }
  }

  std::printf("\n%s\n", all_ok ? "lookup_benchmark: every response checked out"
                               : "lookup_benchmark: FAILED (see above)");
  std::fflush(stdout);
  return all_ok ? 0 : 1;
}

}  // namespace
}  // namespace importai::lookup_bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  return importai::lookup_bench::Main();
}
