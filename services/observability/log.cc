#include "services/observability/log.h"

#include <atomic>
#include <cstdio>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace importai::services::log {
namespace {

std::atomic<int> min_level{static_cast<int>(Level::kInfo)};

const char* LevelName(Level level) {
  switch (level) {
    case Level::kInfo:
      return "info";
    case Level::kWarning:
      return "warning";
    default:
      return "error";
  }
}

void AppendJsonString(absl::string_view text, std::string* out) {
  out->push_back('"');
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      default:
        if (c < 0x20) {
          absl::StrAppendFormat(out, "\\u%04x", c);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

// Info lines (one per RPC) are written in batches: a write(2) per RPC would
// cost more than the RPC. They reach stdout within kFlushInterval, or at once
// when kFlushBytes pile up; warnings and errors are never delayed.
class BufferedStdout {
 public:
  static constexpr absl::Duration kFlushInterval = absl::Milliseconds(100);
  static constexpr size_t kFlushBytes = 64 << 10;

  void Append(const std::string& line) {
    bool full = false;
    {
      absl::MutexLock lock(&mu_);
      pending_.append(line);
      full = pending_.size() >= kFlushBytes;
      if (!flusher_started_) {
        flusher_started_ = true;
        // Lives as long as the process; Flush() at exit writes the rest.
        std::thread([this] {
          while (true) {
            absl::SleepFor(kFlushInterval);
            Flush();
          }
        }).detach();
      }
    }
    if (full) Flush();
  }

  void Flush() {
    std::string lines;
    {
      absl::MutexLock lock(&mu_);
      lines.swap(pending_);
    }
    if (lines.empty()) return;
    absl::MutexLock lock(&write_mu_);  // batches leave in order
    std::fwrite(lines.data(), 1, lines.size(), stdout);
    std::fflush(stdout);
  }

 private:
  absl::Mutex mu_;
  std::string pending_ ABSL_GUARDED_BY(mu_);
  bool flusher_started_ ABSL_GUARDED_BY(mu_) = false;
  absl::Mutex write_mu_;
};

BufferedStdout& InfoBuffer() {
  static auto* buffer = new BufferedStdout();  // never destroyed: see Flush
  return *buffer;
}

}  // namespace

Value::Value(int64_t number) : text(absl::StrCat(number)), quoted(false) {}

Value::Value(double number)
    : text(absl::StrFormat("%.6g", number)), quoted(false) {}

absl::StatusOr<Level> ParseLevel(absl::string_view name) {
  const std::string lower = absl::AsciiStrToLower(name);
  if (lower == "info") return Level::kInfo;
  if (lower == "warning") return Level::kWarning;
  if (lower == "error") return Level::kError;
  return absl::InvalidArgumentError(
      absl::StrCat("log_level: \"", name, "\" is not info, warning or error"));
}

void SetMinLevel(Level level) { min_level.store(static_cast<int>(level)); }

bool Enabled(Level level) {
  return static_cast<int>(level) >= min_level.load(std::memory_order_relaxed);
}

std::string FormatLine(Level level, absl::string_view message,
                       std::initializer_list<Field> fields) {
  std::string line = "{\"ts\":";
  AppendJsonString(absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", absl::Now(),
                                    absl::UTCTimeZone()),
                   &line);
  absl::StrAppend(&line, ",\"level\":\"", LevelName(level), "\",\"msg\":");
  AppendJsonString(message, &line);
  for (const auto& [key, value] : fields) {
    line.push_back(',');
    AppendJsonString(key, &line);
    line.push_back(':');
    if (value.quoted) {
      AppendJsonString(value.text, &line);
    } else {
      line.append(value.text);
    }
  }
  line.append("}\n");
  return line;
}

void Write(Level level, absl::string_view message,
           std::initializer_list<Field> fields) {
  if (!Enabled(level)) return;
  if (level != Level::kInfo) {
    WriteAlways(level, message, fields);
    return;
  }
  InfoBuffer().Append(FormatLine(level, message, fields));
}

void WriteAlways(Level level, absl::string_view message,
                 std::initializer_list<Field> fields) {
  // Earlier info lines go first, so the output keeps its order.
  Flush();
  const std::string line = FormatLine(level, message, fields);
  std::FILE* stream = level == Level::kInfo ? stdout : stderr;
  std::fwrite(line.data(), 1, line.size(), stream);
  std::fflush(stream);
}

void Flush() { InfoBuffer().Flush(); }

}  // namespace importai::services::log
