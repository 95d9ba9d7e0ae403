#include "cmd/env_flags.h"

#include <cstdlib>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace importai {

std::string EnvVarForFlag(absl::string_view name) {
  return absl::StrCat("IMPORTAI_", absl::AsciiStrToUpper(name));
}

absl::Status ApplyFlagsFromEnvironment(absl::Span<const char* const> names) {
  for (const char* name : names) {
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (flag == nullptr) {
      return absl::InternalError(absl::StrCat("no flag --", name));
    }
    const std::string variable = EnvVarForFlag(name);
    const char* value = std::getenv(variable.c_str());
    if (value == nullptr) continue;
    std::string error;
    if (!flag->ParseFrom(value, &error)) {
      return absl::InvalidArgumentError(absl::StrCat(
          variable, "=\"", value, "\" is not a valid --", name, ": ", error));
    }
  }
  return absl::OkStatus();
}

}  // namespace importai
