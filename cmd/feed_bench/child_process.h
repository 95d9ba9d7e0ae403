#ifndef IMPORTAI_CMD_FEED_BENCH_CHILD_PROCESS_H_
#define IMPORTAI_CMD_FEED_BENCH_CHILD_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace importai::feed_bench {

// Makes sure no server outlives the benchmark. Call first thing in main,
// before any thread exists: it blocks SIGINT/SIGTERM/SIGHUP in every thread
// and starts a thread that, on one of them or when `limit` has passed, kills
// every registered child, removes every registered directory and exits.
// Children are also spawned under `setpriv --pdeathsig KILL`, so the kernel
// kills them if the benchmark itself dies (crash, SIGKILL).
void StartGuardian(absl::Duration limit);

// A fresh directory under $TMPDIR (or /tmp), removed with its contents on
// destruction or by the guardian.
class ScopedTempDir {
 public:
  explicit ScopedTempDir(absl::string_view prefix);
  ~ScopedTempDir();
  ScopedTempDir(const ScopedTempDir&) = delete;
  ScopedTempDir& operator=(const ScopedTempDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A server process: stderr (and stdout unless piped) goes to `log_path`.
class ChildProcess {
 public:
  // Starts argv[0] with argv. With `pipe_stdout`, the child's stdout can be
  // read with WaitForLine; it stays open so the child never gets SIGPIPE.
  static absl::StatusOr<std::unique_ptr<ChildProcess>> Spawn(
      const std::vector<std::string>& argv, const std::string& log_path,
      bool pipe_stdout);

  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool Running();

  // Reads stdout lines until one contains `marker` and returns the rest of
  // that line after it; fails at `timeout`, at end of output or if the child
  // died.
  absl::StatusOr<std::string> WaitForLine(absl::string_view marker,
                                          absl::Duration timeout);

  // SIGTERM, then SIGKILL if it has not exited within `grace`.
  void Stop(absl::Duration grace);

  // The last `max_bytes` of the log, for error messages.
  std::string LogTail(size_t max_bytes) const;

 private:
  ChildProcess(pid_t pid, int stdout_fd, std::string log_path)
      : pid_(pid), stdout_fd_(stdout_fd), log_path_(std::move(log_path)) {}

  pid_t pid_;
  int stdout_fd_;
  std::string log_path_;
  std::string pending_;  // stdout read but not yet split into lines
  bool exited_ = false;
};

// Resident set size of `pid` in KiB (VmRSS), or -1 if unreadable.
int64_t ResidentKib(pid_t pid);

// CPU time (user + system) `pid` has used, in seconds, or -1 if unreadable.
double ProcessCpuSeconds(pid_t pid);

// CPU time this process (the subscribers and writers) has used, in seconds.
double OwnCpuSeconds();

// A TCP port on 127.0.0.1 that was free a moment ago (for etcd, which cannot
// report the port it picked).
absl::StatusOr<int> FreeLoopbackPort();

// Raises the soft open-file limit to the hard one; returns the new limit.
int64_t RaiseOpenFileLimit();

}  // namespace importai::feed_bench

#endif  // IMPORTAI_CMD_FEED_BENCH_CHILD_PROCESS_H_
