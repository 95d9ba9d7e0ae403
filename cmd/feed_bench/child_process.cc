#include "cmd/feed_bench/child_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"

extern char** environ;

namespace importai::feed_bench {
namespace {

constexpr char kSetpriv[] = "/usr/bin/setpriv";

// What the guardian cleans up when the benchmark is cut short.
struct Registry {
  absl::Mutex mutex;
  std::set<pid_t> children ABSL_GUARDED_BY(mutex);
  std::set<std::string> dirs ABSL_GUARDED_BY(mutex);
};

Registry& GetRegistry() {
  static Registry* const registry = new Registry;  // never destroyed
  return *registry;
}

sigset_t StopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  return signals;
}

// Kills the children, removes the directories and exits: the benchmark's
// results are void at this point, leaving nothing behind is what matters.
[[noreturn]] void Abandon(const std::string& why, int exit_code) {
  std::fflush(stdout);
  std::fprintf(stderr, "feed_benchmark: %s; stopping the servers\n",
               why.c_str());
  Registry& registry = GetRegistry();
  absl::MutexLock lock(&registry.mutex);
  for (pid_t pid : registry.children) kill(pid, SIGKILL);
  for (pid_t pid : registry.children) waitpid(pid, nullptr, 0);
  for (const std::string& dir : registry.dirs) {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
  std::fflush(stderr);
  _exit(exit_code);
}

void GuardUntil(absl::Time deadline, absl::Duration limit) {
  const sigset_t signals = StopSignals();
  while (true) {
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) {
      Abandon(absl::StrCat("overall timeout (", absl::FormatDuration(limit),
                           ") reached"),
              124);
    }
    const timespec wait = absl::ToTimespec(left);
    const int signal_number = sigtimedwait(&signals, nullptr, &wait);
    if (signal_number > 0) {
      Abandon(absl::StrCat("got signal ", signal_number), 128 + signal_number);
    }
  }
}

void RegisterChild(pid_t pid) {
  absl::MutexLock lock(&GetRegistry().mutex);
  GetRegistry().children.insert(pid);
}

void UnregisterChild(pid_t pid) {
  absl::MutexLock lock(&GetRegistry().mutex);
  GetRegistry().children.erase(pid);
}

absl::Status ErrnoStatus(absl::string_view what) {
  return absl::InternalError(absl::StrCat(what, ": ", std::strerror(errno)));
}

// The child gets an empty signal mask and default dispositions: it must not
// inherit the blocked stop signals or the ignored SIGPIPE of this process.
void InitSpawnAttributes(posix_spawnattr_t* attributes) {
  posix_spawnattr_init(attributes);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(attributes, &none);
  sigset_t defaults = StopSignals();
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(attributes, &defaults);
  // Its own process group: a terminal's Ctrl-C reaches only the benchmark,
  // whose guardian then stops the servers.
  posix_spawnattr_setpgroup(attributes, 0);
  posix_spawnattr_setflags(attributes, POSIX_SPAWN_SETSIGMASK |
                                           POSIX_SPAWN_SETSIGDEF |
                                           POSIX_SPAWN_SETPGROUP);
}

std::vector<std::string> WithDeathSignal(const std::vector<std::string>& argv) {
  if (access(kSetpriv, X_OK) != 0) return argv;
  std::vector<std::string> wrapped = {kSetpriv, "--pdeathsig", "KILL", "--"};
  wrapped.insert(wrapped.end(), argv.begin(), argv.end());
  return wrapped;
}

}  // namespace

void StartGuardian(absl::Duration limit) {
  const sigset_t signals = StopSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // A server dying mid-write must show up as an error, not kill us.
  signal(SIGPIPE, SIG_IGN);
  const absl::Time deadline = absl::Now() + limit;
  std::thread(GuardUntil, deadline, limit).detach();
}

ScopedTempDir::ScopedTempDir(absl::string_view prefix) {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = absl::StrCat(tmp != nullptr && *tmp ? tmp : "/tmp", "/",
                                     prefix, "-XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) {
    std::perror("feed_benchmark: mkdtemp");
    std::exit(1);
  }
  path_ = pattern;
  absl::MutexLock lock(&GetRegistry().mutex);
  GetRegistry().dirs.insert(path_);
}

ScopedTempDir::~ScopedTempDir() {
  {
    absl::MutexLock lock(&GetRegistry().mutex);
    GetRegistry().dirs.erase(path_);
  }
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

absl::StatusOr<std::unique_ptr<ChildProcess>> ChildProcess::Spawn(
    const std::vector<std::string>& argv, const std::string& log_path,
    bool pipe_stdout) {
  int out[2] = {-1, -1};
  if (pipe_stdout && pipe2(out, O_CLOEXEC) != 0) return ErrnoStatus("pipe");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null",
                                   O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(
      &actions, pipe_stdout ? out[1] : STDERR_FILENO, STDOUT_FILENO);
  posix_spawnattr_t attributes;
  InitSpawnAttributes(&attributes);

  const std::vector<std::string> full_argv = WithDeathSignal(argv);
  std::vector<char*> raw_argv;
  for (const std::string& arg : full_argv) {
    raw_argv.push_back(const_cast<char*>(arg.c_str()));
  }
  raw_argv.push_back(nullptr);
  pid_t pid = 0;
  const int error = posix_spawn(&pid, raw_argv[0], &actions, &attributes,
                                raw_argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (pipe_stdout) close(out[1]);
  if (error != 0) {
    if (pipe_stdout) close(out[0]);
    return absl::InternalError(
        absl::StrCat("cannot start ", argv[0], ": ", std::strerror(error)));
  }
  RegisterChild(pid);
  return std::unique_ptr<ChildProcess>(new ChildProcess(pid, out[0], log_path));
}

ChildProcess::~ChildProcess() {
  Stop(absl::Seconds(5));
  if (stdout_fd_ >= 0) close(stdout_fd_);
}

bool ChildProcess::Running() {
  if (!exited_ && waitpid(pid_, nullptr, WNOHANG) == pid_) exited_ = true;
  return !exited_;
}

absl::StatusOr<std::string> ChildProcess::WaitForLine(absl::string_view marker,
                                                      absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    for (size_t end; (end = pending_.find('\n')) != std::string::npos;) {
      std::string line = pending_.substr(0, end);
      pending_.erase(0, end + 1);
      if (size_t at = absl::string_view(line).find(marker);
          at != absl::string_view::npos) {
        return line.substr(at + marker.size());
      }
    }
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration() || !Running()) break;
    pollfd ready = {stdout_fd_, POLLIN, 0};
    const int wait_ms = static_cast<int>(
        absl::ToInt64Milliseconds(std::min(left, absl::Milliseconds(100))));
    if (poll(&ready, 1, wait_ms) <= 0) continue;
    char buffer[4096];
    const ssize_t got = read(stdout_fd_, buffer, sizeof(buffer));
    if (got <= 0) break;
    pending_.append(buffer, static_cast<size_t>(got));
  }
  return absl::UnavailableError(
      absl::StrCat("process ", pid_, " did not print \"", marker,
                   "\"; its log ends with:\n", LogTail(2000)));
}

void ChildProcess::Stop(absl::Duration grace) {
  if (Running()) {
    kill(pid_, SIGTERM);
    const absl::Time deadline = absl::Now() + grace;
    while (Running() && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(10));
    }
    if (Running()) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
      exited_ = true;
    }
  }
  UnregisterChild(pid_);
}

std::string ChildProcess::LogTail(size_t max_bytes) const {
  std::ifstream in(log_path_, std::ios::binary);
  std::stringstream contents;
  contents << in.rdbuf();
  std::string text = contents.str();
  if (text.size() > max_bytes) text.erase(0, text.size() - max_bytes);
  return text;
}

int64_t ResidentKib(pid_t pid) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(status, line)) {
    absl::string_view rest = line;
    if (!absl::ConsumePrefix(&rest, "VmRSS:")) continue;
    rest = absl::StripAsciiWhitespace(rest);
    int64_t kib = -1;
    if (absl::SimpleAtoi(rest.substr(0, rest.find(' ')), &kib)) return kib;
  }
  return -1;
}

double ProcessCpuSeconds(pid_t pid) {
  std::ifstream stat_file(absl::StrCat("/proc/", pid, "/stat"));
  std::string stat;
  std::getline(stat_file, stat);
  // Fields after the command name, which may hold spaces but ends at the
  // last ')': state is field 3, utime and stime are fields 14 and 15.
  const size_t name_end = stat.rfind(')');
  if (name_end == std::string::npos) return -1;
  std::vector<std::string> fields =
      absl::StrSplit(absl::string_view(stat).substr(name_end + 2), ' ');
  int64_t user = 0;
  int64_t system = 0;
  if (fields.size() < 13 || !absl::SimpleAtoi(fields[11], &user) ||
      !absl::SimpleAtoi(fields[12], &system)) {
    return -1;
  }
  return static_cast<double>(user + system) / sysconf(_SC_CLK_TCK);
}

double OwnCpuSeconds() {
  rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& time) {
    return static_cast<double>(time.tv_sec) + time.tv_usec / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

absl::StatusOr<int> FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return ErrnoStatus("socket");
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  const bool ok =
      bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  close(fd);
  if (!ok) return ErrnoStatus("bind 127.0.0.1:0");
  return ntohs(address.sin_port);
}

int64_t RaiseOpenFileLimit() {
  rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return -1;
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
  getrlimit(RLIMIT_NOFILE, &limit);
  return static_cast<int64_t>(limit.rlim_cur);
}

}  // namespace importai::feed_bench
