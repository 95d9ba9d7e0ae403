#ifndef IMPORTAI_CMD_READ_FILE_H_
#define IMPORTAI_CMD_READ_FILE_H_

#include <initializer_list>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace importai {

// The whole file, for a flag naming it (keys, certificates, tokens). An
// unreadable file is INVALID_ARGUMENT naming the flag and the path.
absl::StatusOr<std::string> ReadFlagFile(absl::string_view flag,
                                         const std::string& path);

// A flag that names a file, and where its contents go.
struct FlagFile {
  absl::string_view flag;
  std::string path;  // empty: the flag is unset and `contents` left alone
  std::string* contents;
};

// Reads every named file; the first unreadable one is the error.
absl::Status ReadFlagFiles(std::initializer_list<FlagFile> files);

// A token file's contents without surrounding whitespace; an empty token is
// INVALID_ARGUMENT.
absl::StatusOr<std::string> ReadTokenFile(absl::string_view flag,
                                          const std::string& path);

}  // namespace importai

#endif  // IMPORTAI_CMD_READ_FILE_H_
