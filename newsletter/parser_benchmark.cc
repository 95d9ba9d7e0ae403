// Throughput of ParseNewsletter over the shared corpus, in bytes per second.

#include <fstream>
#include <sstream>
#include <string>

#include "benchmark/benchmark.h"
#include "newsletter/parser.h"

namespace importai::newsletter {
namespace {

constexpr char kCorpusPath[] = IMPORTAI_CORPUS_DIR "/import-ai-382-387.txt";

void BM_ParseCorpus(benchmark::State& state) {
  std::ifstream file(kCorpusPath, std::ios::binary);
  if (!file) {
    state.SkipWithError(
        (std::string("corpus not found at ") + kCorpusPath).c_str());
    return;
  }
  std::ostringstream buffer;
  buffer << file.rdbuf();
  const std::string text = buffer.str();
  for (auto _ : state) {
    auto parsed = ParseNewsletter(text);
    if (!parsed.ok()) {
      state.SkipWithError(std::string(parsed.status().message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(parsed);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_ParseCorpus);

}  // namespace
}  // namespace importai::newsletter

BENCHMARK_MAIN();
