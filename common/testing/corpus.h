#ifndef IMPORTAI_COMMON_TESTING_CORPUS_H_
#define IMPORTAI_COMMON_TESTING_CORPUS_H_

#include <cstdlib>
#include <cstring>

#include "gtest/gtest.h"

namespace importai::testing {

// Whether a missing corpus fails a test instead of skipping it: under CI
// (CI=true), so that CI never passes without the golden tests.
inline bool CorpusRequired() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::strcmp(ci, "true") == 0;
}

}  // namespace importai::testing

// Ends the test: skipped, saying `message`, or failed under CI=true.
#define IMPORTAI_SKIP_WITHOUT_CORPUS(message)                 \
  do {                                                        \
    if (::importai::testing::CorpusRequired()) {              \
      GTEST_FAIL() << message << " (required under CI=true)"; \
    } else {                                                  \
      GTEST_SKIP() << message;                                \
    }                                                         \
  } while (0)

#endif  // IMPORTAI_COMMON_TESTING_CORPUS_H_
