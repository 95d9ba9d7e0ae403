#ifndef IMPORTAI_SERVICES_OBSERVABILITY_LOG_H_
#define IMPORTAI_SERVICES_OBSERVABILITY_LOG_H_

#include <initializer_list>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

// Structured logs: one JSON object per line, info to stdout, warnings and
// errors to stderr, so a log collector can parse them and a terminal can
// still read them.
namespace importai::services::log {

enum class Level { kInfo = 0, kWarning = 1, kError = 2 };

// "info", "warning" or "error"; INVALID_ARGUMENT naming the flag otherwise.
absl::StatusOr<Level> ParseLevel(absl::string_view name);

// Lines below `level` are dropped. Default: kInfo.
void SetMinLevel(Level level);
bool Enabled(Level level);

// A field's value: a string (quoted and escaped) or a number (as is).
struct Value {
  Value(absl::string_view text) : text(text), quoted(true) {}   // NOLINT
  Value(const std::string& text) : text(text), quoted(true) {}  // NOLINT
  Value(const char* text) : text(text), quoted(true) {}         // NOLINT
  Value(int64_t number);                                        // NOLINT
  Value(int number) : Value(static_cast<int64_t>(number)) {}    // NOLINT
  Value(double number);                                         // NOLINT
  std::string text;
  bool quoted;
};
using Field = std::pair<absl::string_view, Value>;

// {"ts": ..., "level": ..., "msg": message, fields...}
std::string FormatLine(Level level, absl::string_view message,
                       std::initializer_list<Field> fields);

// Writes one line, whole, if `level` is enabled. Info lines are batched and
// reach stdout within 100 ms; call Flush() before exiting.
void Write(Level level, absl::string_view message,
           std::initializer_list<Field> fields = {});
// Writes one line at once, whatever the minimum level (start-up, shutdown).
void WriteAlways(Level level, absl::string_view message,
                 std::initializer_list<Field> fields = {});

// Writes out batched info lines now.
void Flush();

}  // namespace importai::services::log

#endif  // IMPORTAI_SERVICES_OBSERVABILITY_LOG_H_
