// ParseNewsletter and the search analyzer on the pathological inputs of
// pathological_input_test.cc at 100 KB and 1 MB: linear time shows as the
// same bytes per second at both sizes.

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"
#include "benchmark/benchmark.h"
#include "newsletter/parser.h"
#include "newsletter/pathological_inputs.h"
#include "search/analyzer.h"
#include "search/snippet.h"

namespace importai::newsletter {
namespace {

enum class Work { kParse, kTokenize, kSnippet };

void Run(benchmark::State& state, const pathological::Case& test_case,
         Work work) {
  const std::string text =
      test_case.make(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    switch (work) {
      case Work::kParse: {
        auto parsed = ParseNewsletter(text);
        benchmark::DoNotOptimize(parsed);
        break;
      }
      case Work::kTokenize: {
        auto tokens = search::Tokenize(text);
        benchmark::DoNotOptimize(tokens);
        break;
      }
      case Work::kSnippet: {
        auto snippet = search::MakeSnippet(
            text, [](absl::string_view term) { return term == "item"; });
        benchmark::DoNotOptimize(snippet);
        break;
      }
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(text.size()));
}

const int kRegistered = [] {
  for (const pathological::Case& test_case : pathological::AllCases()) {
    for (const auto& [prefix, work] :
         {std::pair{"BM_Parse/", Work::kParse},
          std::pair{"BM_Tokenize/", Work::kTokenize},
          std::pair{"BM_Snippet/", Work::kSnippet}}) {
      benchmark::RegisterBenchmark(
          (std::string(prefix) + test_case.name).c_str(),
          [test_case, work = work](benchmark::State& state) {
            Run(state, test_case, work);
          })
          ->Arg(pathological::kSmall)
          ->Arg(pathological::kLarge)
          ->Unit(benchmark::kMillisecond);
    }
  }
  return 0;
}();

}  // namespace
}  // namespace importai::newsletter

BENCHMARK_MAIN();
