// importai-server: serves the archive on an embedded RocksDB store.
#include <csignal>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/synchronization/mutex.h"
#include "cmd/preload.h"
#include "services/server.h"
#include "storage/rocksdb_store.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "HOST:PORT to serve on (port 0: any free port)");
ABSL_FLAG(std::string, data_dir, "./data",
          "directory of the RocksDB store (created if missing)");
ABSL_FLAG(int64_t, max_ingest_bytes, importai::kDefaultMaxIngestBytes,
          "largest IngestIssues text accepted, in bytes");
ABSL_FLAG(std::vector<std::string>, preload, {},
          "comma-separated newsletter files to ingest before serving");
ABSL_FLAG(int64_t, retain_revisions, 0,
          "keep at most this many revisions in the feed's log (0: no limit)");
ABSL_FLAG(absl::Duration, retain_for, absl::ZeroDuration(),
          "keep feed log entries this long, e.g. 168h (0: no limit)");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(20),
          "how long in-flight calls may finish after SIGTERM");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  // Debian's abseil checks every absl::Mutex acquisition (gRPC's included)
  // for lock-order cycles, which costs ~10% of the server's CPU; the
  // thread-safety annotations and the TSan build do that job instead.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  // Block the stop signals before gRPC starts its threads, so only the
  // sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto store =
      importai::storage::RocksDbStore::Open(absl::GetFlag(FLAGS_data_dir));
  if (!store.ok()) {
    std::cerr << "importai-server: " << store.status().message() << "\n";
    return 1;
  }
  importai::services::ServerOptions options;
  options.listen = absl::GetFlag(FLAGS_listen);
  options.ingest.max_text_bytes = absl::GetFlag(FLAGS_max_ingest_bytes);
  options.feed.retention.max_revisions = absl::GetFlag(FLAGS_retain_revisions);
  options.feed.retention.max_age = absl::GetFlag(FLAGS_retain_for);
  if (absl::Status preloaded = importai::PreloadFiles(
          **store, absl::GetFlag(FLAGS_preload), options.ingest);
      !preloaded.ok()) {
    std::cerr << "importai-server: " << preloaded.message() << "\n";
    return 1;
  }
  auto server = importai::services::ArchiveServer::Start(store->get(), options);
  if (!server.ok()) {
    std::cerr << "importai-server: " << server.status().message() << "\n";
    return 1;
  }
  std::cout << "importai-server listening on " << (*server)->address()
            << " (data in " << absl::GetFlag(FLAGS_data_dir)
            << ", head revision " << (*store)->HeadRevision() << ")"
            << std::endl;

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  std::cerr << "importai-server: signal " << signal_number
            << ", shutting down\n";
  (*server)->Shutdown(absl::GetFlag(FLAGS_shutdown_grace));
  (*server)->Wait();
  return 0;
}
