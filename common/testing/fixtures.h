#ifndef IMPORTAI_COMMON_TESTING_FIXTURES_H_
#define IMPORTAI_COMMON_TESTING_FIXTURES_H_

#include <string>

#include "absl/strings/string_view.h"

namespace importai::testing {

// An original issue in the newsletter's format (two sections, one citing
// "Import AI #850", and a tale with a setting), numbered `number`, with
// `variant` worked into its first section so two variants differ in content.
std::string SampleIssueText(int number, int variant = 0);

// The shared newsletter corpus, read from IMPORTAI_CORPUS_DIR. Empty when
// the folder is absent; `*where` says where it was looked for.
std::string ReadCorpusFile(absl::string_view file_name, std::string* where);

}  // namespace importai::testing

#endif  // IMPORTAI_COMMON_TESTING_FIXTURES_H_
