#ifndef IMPORTAI_CMD_ENV_FLAGS_H_
#define IMPORTAI_CMD_ENV_FLAGS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace importai {

// The environment variable that sets flag `name`: "data_dir" ->
// "IMPORTAI_DATA_DIR".
std::string EnvVarForFlag(absl::string_view name);

// Sets each named flag from its environment variable, when that is set.
// Call before absl::ParseCommandLine, so the command line wins. An unparsable
// value is INVALID_ARGUMENT naming the variable.
absl::Status ApplyFlagsFromEnvironment(absl::Span<const char* const> names);

}  // namespace importai

#endif  // IMPORTAI_CMD_ENV_FLAGS_H_
