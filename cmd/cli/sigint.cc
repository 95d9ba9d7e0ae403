#include "cmd/cli/sigint.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace importai::cli {

namespace {

int sigint_pipe[2] = {-1, -1};

void WriteToSigintPipe(int) {
  const int saved_errno = errno;
  const char byte = 1;
  (void)!write(sigint_pipe[1], &byte, 1);
  errno = saved_errno;
}

}  // namespace

// A watch runs until interrupted: the first SIGINT stops it cleanly (exit 0).
// The handler may only do async-signal-safe things, so it writes to a pipe
// and a thread calls Stop(). SA_RESETHAND lets a second SIGINT kill at once.
void StopOnSigint(WatchStop* stop) {
  if (pipe(sigint_pipe) != 0) return;
  std::thread([stop] {
    char byte;
    ssize_t n;
    do {
      n = read(sigint_pipe[0], &byte, 1);
    } while (n < 0 && errno == EINTR);
    if (n == 1) stop->Stop();
  }).detach();
  struct sigaction action;
  std::memset(&action, 0, sizeof(action));
  action.sa_handler = WriteToSigintPipe;
  action.sa_flags = SA_RESETHAND | SA_RESTART;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
}

}  // namespace importai::cli
