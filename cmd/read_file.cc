#include "cmd/read_file.h"

#include <fstream>
#include <iterator>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace importai {

absl::StatusOr<std::string> ReadFlagFile(absl::string_view flag,
                                         const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, ": cannot read \"", path, "\""));
  }
  return std::string(std::istreambuf_iterator<char>(in), {});
}

absl::Status ReadFlagFiles(std::initializer_list<FlagFile> files) {
  for (const FlagFile& file : files) {
    if (file.path.empty()) continue;
    absl::StatusOr<std::string> contents = ReadFlagFile(file.flag, file.path);
    if (!contents.ok()) return contents.status();
    *file.contents = *std::move(contents);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadTokenFile(absl::string_view flag,
                                          const std::string& path) {
  absl::StatusOr<std::string> contents = ReadFlagFile(flag, path);
  if (!contents.ok()) return contents.status();
  std::string token(absl::StripAsciiWhitespace(*contents));
  if (token.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, ": \"", path, "\" holds no token"));
  }
  return token;
}

}  // namespace importai
