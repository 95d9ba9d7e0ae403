// importai-server: serves the archive on an embedded RocksDB store.
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "cmd/env_flags.h"
#include "cmd/preload.h"
#include "cmd/read_file.h"
#include "services/admin_service.h"
#include "services/observability/log.h"
#include "services/server.h"
#include "storage/rocksdb_store.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "HOST:PORT to serve gRPC on (port 0: any free port)");
ABSL_FLAG(std::string, data_dir, "./data",
          "directory of the RocksDB store (created, with its parents, if "
          "missing)");
ABSL_FLAG(std::string, metrics_listen, "",
          "HOST:PORT for Prometheus metrics at GET /metrics (empty: off)");
ABSL_FLAG(int64_t, max_ingest_bytes, importai::kDefaultMaxIngestBytes,
          "largest IngestIssues text accepted, in bytes");
ABSL_FLAG(std::vector<std::string>, preload, {},
          "comma-separated newsletter files to ingest before serving");
ABSL_FLAG(int64_t, retain_revisions, 0,
          "keep at most this many revisions in the feed's log (0: no limit)");
ABSL_FLAG(absl::Duration, retain_for, absl::ZeroDuration(),
          "keep feed log entries this long, e.g. 168h (0: no limit)");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(20),
          "after SIGTERM, how long in-flight calls may finish");
ABSL_FLAG(int64_t, block_cache_mb, 64, "RocksDB block cache, in MiB");
ABSL_FLAG(int64_t, issue_cache_mb, 64,
          "cache of serialized issues for GetIssue, in MiB");
ABSL_FLAG(std::string, log_level, "info",
          "info (a line per RPC), warning or error");
ABSL_FLAG(std::string, ingest_token_file, "",
          "file holding the token that IngestService and AdminService calls "
          "must send as \"authorization: Bearer <token>\" (empty: writes "
          "are open); reads stay open");
ABSL_FLAG(bool, allow_unauthenticated_writes, false,
          "on a non-loopback --listen address, serve writes to everyone when "
          "there is neither --ingest_token_file nor --tls_client_ca, with a "
          "warning (otherwise the server refuses to start)");
ABSL_FLAG(std::string, tls_cert, "",
          "PEM certificate (chain) of the server: serve TLS only");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert");
ABSL_FLAG(std::string, tls_client_ca, "",
          "PEM CA bundle: require client certificates it signed (mTLS)");
ABSL_FLAG(int64_t, max_subscribers, 50'000,
          "open WatchIssues streams allowed at once (more: "
          "RESOURCE_EXHAUSTED)");
ABSL_FLAG(int64_t, feed_catch_up_budget_mb, 64,
          "memory for log events read for WatchIssues subscribers behind the "
          "live window, in MiB (past it, their reads wait)");
ABSL_FLAG(absl::Duration, feed_stall_timeout, absl::Seconds(30),
          "when catch-up reads have waited this long for the budget, end the "
          "WatchIssues streams that have held a catch-up event unsent as long");
ABSL_FLAG(absl::Duration, min_progress_interval,
          importai::kDefaultMinProgressInterval,
          "shortest WatchIssues progress_interval a client may ask for");
ABSL_FLAG(int32_t, max_streams_per_connection, 1000,
          "concurrent HTTP/2 streams one client connection may open");
ABSL_FLAG(absl::Duration, keepalive_time, absl::Minutes(1),
          "ping a connection idle this long; close it when unanswered for "
          "--keepalive_timeout (reaps dead peers)");
ABSL_FLAG(absl::Duration, keepalive_timeout, absl::Seconds(20),
          "how long a keepalive ping may go unanswered");
ABSL_FLAG(std::string, checkpoint_root, "",
          "directory that checkpoints are written under, by name (empty: "
          "the folder \"checkpoints\" inside --data_dir; made on demand)");
ABSL_FLAG(std::string, follow, "",
          "PRIMARY_HOST:PORT: run as a read replica that keeps a full copy "
          "of that server's archive by following its feed (writes and admin "
          "calls here are refused)");
ABSL_FLAG(std::string, follow_token_file, "",
          "file holding the primary's write token, which a replica sends "
          "when it copies the primary's snapshot (a new replica, or one "
          "behind the primary's retained log)");
ABSL_FLAG(std::string, follow_tls_ca, "",
          "PEM CA bundle: a replica reaches its primary over TLS, verified "
          "against it, presenting --tls_cert/--tls_key if set (for a primary "
          "with --tls_client_ca)");
ABSL_FLAG(absl::Duration, max_lag, importai::kDefaultMaxReplicaLag,
          "a replica's health is NOT_SERVING while it is farther than this "
          "behind its primary");
ABSL_FLAG(std::string, checkpoint_to, "",
          "instead of serving: write a checkpoint of --data_dir as this new "
          "name under --checkpoint_root and exit (a running server: "
          "`importai checkpoint NAME`)");

namespace {

// Every flag above, each also read from IMPORTAI_<NAME>.
constexpr const char* kFlagNames[] = {"listen",
                                      "data_dir",
                                      "metrics_listen",
                                      "max_ingest_bytes",
                                      "preload",
                                      "retain_revisions",
                                      "retain_for",
                                      "shutdown_grace",
                                      "block_cache_mb",
                                      "issue_cache_mb",
                                      "log_level",
                                      "ingest_token_file",
                                      "allow_unauthenticated_writes",
                                      "tls_cert",
                                      "tls_key",
                                      "tls_client_ca",
                                      "max_subscribers",
                                      "feed_catch_up_budget_mb",
                                      "feed_stall_timeout",
                                      "min_progress_interval",
                                      "max_streams_per_connection",
                                      "keepalive_time",
                                      "keepalive_timeout",
                                      "checkpoint_root",
                                      "follow",
                                      "follow_token_file",
                                      "follow_tls_ca",
                                      "max_lag",
                                      "checkpoint_to"};

// --checkpoint_root's default: this folder inside --data_dir, so checkpoints
// land on the data's volume, where they are mostly hard links.
constexpr char kCheckpointFolder[] = "checkpoints";

// The token deploy/k8s ships in its Secret (write-token files), refused so
// that an unedited deployment fails to start instead of serving writes to
// whoever can read this repository.
constexpr absl::string_view kPlaceholderWriteToken =
    "REPLACE_ME_with_openssl_rand_hex_32";

// The write token in `file`, which `flag` names; refuses the placeholder.
absl::StatusOr<std::string> ReadWriteToken(absl::string_view flag,
                                           const std::string& file) {
  absl::StatusOr<std::string> token = importai::ReadTokenFile(flag, file);
  if (!token.ok()) return token.status();
  if (*token == kPlaceholderWriteToken) {
    return absl::InvalidArgumentError(absl::StrCat(
        flag, ": \"", file,
        "\" holds the placeholder token that deploy/k8s ships; put a real "
        "one in its place (openssl rand -hex 32), see deploy/README.md"));
  }
  return token;
}

// Reads the files the security flags name into `options`.
absl::Status LoadSecurity(importai::services::ServerOptions& options) {
  if (const std::string file = absl::GetFlag(FLAGS_ingest_token_file);
      !file.empty()) {
    absl::StatusOr<std::string> token =
        ReadWriteToken("ingest_token_file", file);
    if (!token.ok()) return token.status();
    options.write_token = *std::move(token);
  }
  if (const std::string file = absl::GetFlag(FLAGS_follow_token_file);
      !file.empty()) {
    absl::StatusOr<std::string> token =
        ReadWriteToken("follow_token_file", file);
    if (!token.ok()) return token.status();
    options.follow.token = *std::move(token);
  }
  const std::string cert = absl::GetFlag(FLAGS_tls_cert);
  const std::string key = absl::GetFlag(FLAGS_tls_key);
  const std::string client_ca = absl::GetFlag(FLAGS_tls_client_ca);
  if (cert.empty() != key.empty()) {
    return absl::InvalidArgumentError("tls_cert and tls_key go together");
  }
  if (!client_ca.empty() && cert.empty()) {
    return absl::InvalidArgumentError(
        "tls_client_ca needs tls_cert and tls_key (mTLS is TLS first)");
  }
  const std::string follow_ca = absl::GetFlag(FLAGS_follow_tls_ca);
  absl::Status read = importai::ReadFlagFiles(
      {{"tls_cert", cert, &options.tls_cert_pem},
       {"tls_key", key, &options.tls_key_pem},
       {"tls_client_ca", client_ca, &options.tls_client_ca_pem},
       {"follow_tls_ca", follow_ca, &options.follow.tls_ca_pem}});
  if (read.ok() && !follow_ca.empty()) {
    options.follow.tls_cert_pem = options.tls_cert_pem;
    options.follow.tls_key_pem = options.tls_key_pem;
  }
  return read;
}

std::string Usage() {
  std::string usage =
      "importai-server: serves the Import AI archive over gRPC.\n"
      "Every flag can also be set by an environment variable; a flag on the "
      "command line wins:\n";
  for (const char* name : kFlagNames) {
    absl::StrAppend(&usage, "  --", name, "  ", importai::EnvVarForFlag(name),
                    "\n");
  }
  return usage;
}

int Fail(absl::string_view message) {
  importai::services::log::Write(importai::services::log::Level::kError,
                                 message);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(Usage());
  if (absl::Status env = importai::ApplyFlagsFromEnvironment(kFlagNames);
      !env.ok()) {
    std::cerr << "importai-server: " << env.message() << "\n";
    return 2;
  }
  absl::ParseCommandLine(argc, argv);
  namespace log = importai::services::log;
  absl::StatusOr<log::Level> level =
      log::ParseLevel(absl::GetFlag(FLAGS_log_level));
  if (!level.ok()) {
    std::cerr << "importai-server: " << level.status().message() << "\n";
    return 2;
  }
  log::SetMinLevel(*level);
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

  const std::string data_dir = absl::GetFlag(FLAGS_data_dir);
  std::string checkpoint_root = absl::GetFlag(FLAGS_checkpoint_root);
  if (checkpoint_root.empty()) {
    checkpoint_root =
        (std::filesystem::path(data_dir) / kCheckpointFolder).string();
  }
  checkpoint_root =
      std::filesystem::absolute(checkpoint_root).lexically_normal().string();

  importai::services::ServerOptions options;
  options.listen = absl::GetFlag(FLAGS_listen);
  options.metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  options.allow_unauthenticated_writes =
      absl::GetFlag(FLAGS_allow_unauthenticated_writes);
  options.checkpoint_root = checkpoint_root;
  options.ingest.max_text_bytes = absl::GetFlag(FLAGS_max_ingest_bytes);
  options.feed.retention.max_revisions = absl::GetFlag(FLAGS_retain_revisions);
  options.feed.retention.max_age = absl::GetFlag(FLAGS_retain_for);
  options.feed.max_subscribers =
      static_cast<size_t>(absl::GetFlag(FLAGS_max_subscribers));
  const int64_t catch_up_budget_mb =
      absl::GetFlag(FLAGS_feed_catch_up_budget_mb);
  if (catch_up_budget_mb < 1) {
    return Fail("--feed_catch_up_budget_mb: must be at least 1");
  }
  options.feed.catch_up.budget_bytes = static_cast<size_t>(catch_up_budget_mb)
                                       << 20;
  options.feed.catch_up.stall_timeout = absl::GetFlag(FLAGS_feed_stall_timeout);
  if (options.feed.catch_up.stall_timeout <= absl::ZeroDuration()) {
    return Fail("--feed_stall_timeout: must be above 0");
  }
  options.feed.min_progress_interval =
      absl::GetFlag(FLAGS_min_progress_interval);
  if (options.feed.min_progress_interval <= absl::ZeroDuration() ||
      options.feed.min_progress_interval > importai::kMaxProgressInterval) {
    return Fail(
        absl::StrCat("--min_progress_interval: must be above 0 and at most ",
                     absl::FormatDuration(importai::kMaxProgressInterval)));
  }
  options.max_streams_per_connection =
      absl::GetFlag(FLAGS_max_streams_per_connection);
  options.keepalive_time = absl::GetFlag(FLAGS_keepalive_time);
  options.keepalive_timeout = absl::GetFlag(FLAGS_keepalive_timeout);
  options.follow.primary = absl::GetFlag(FLAGS_follow);
  options.follow.max_lag = absl::GetFlag(FLAGS_max_lag);
  if (options.follow.max_lag <= absl::ZeroDuration()) {
    return Fail("--max_lag: must be above 0");
  }
  if (!options.follow.primary.empty() &&
      !absl::GetFlag(FLAGS_preload).empty()) {
    return Fail(
        "--preload: a replica (--follow) takes every issue from its primary; "
        "preload the primary instead");
  }
  const std::string checkpoint_to = absl::GetFlag(FLAGS_checkpoint_to);
  if (checkpoint_to.empty()) {
    // Refused before the store is opened or anything preloaded into it.
    absl::Status security = LoadSecurity(options);
    if (security.ok()) {
      security = importai::services::CheckWritesAreGuarded(options);
    }
    if (!security.ok()) return Fail(security.message());
  }

  std::error_code made;
  std::filesystem::create_directories(data_dir, made);
  if (made) {
    return Fail(absl::StrCat("data_dir: cannot create \"", data_dir,
                             "\": ", made.message()));
  }
  importai::storage::RocksDbStoreOptions store_options;
  store_options.block_cache_bytes =
      static_cast<size_t>(absl::GetFlag(FLAGS_block_cache_mb)) << 20;
  store_options.issue_cache_bytes =
      static_cast<size_t>(absl::GetFlag(FLAGS_issue_cache_mb)) << 20;
  auto store = importai::storage::RocksDbStore::Open(data_dir, store_options);
  if (!store.ok()) return Fail(store.status().message());
  if (const auto& rebuild = (*store)->index_rebuild(); rebuild.rebuilt) {
    log::WriteAlways(log::Level::kInfo, "search index rebuilt",
                     {{"previous_analyzer", rebuild.previous_version},
                      {"analyzer", rebuild.version},
                      {"issues", rebuild.issues}});
  }

  if (!checkpoint_to.empty()) {
    absl::StatusOr<std::string> directory =
        importai::services::CheckpointDirectory(checkpoint_root, checkpoint_to,
                                                "checkpoint_to");
    if (!directory.ok()) return Fail(directory.status().message());
    absl::StatusOr<int64_t> head = (*store)->CreateCheckpoint(*directory);
    if (!head.ok()) return Fail(head.status().message());
    log::Write(log::Level::kWarning, "checkpoint written",
               {{"directory", *directory}, {"head_revision", *head}});
    return 0;
  }

  if (absl::Status preloaded = importai::PreloadFiles(
          **store, absl::GetFlag(FLAGS_preload), options.ingest);
      !preloaded.ok()) {
    return Fail(preloaded.message());
  }
  auto server = importai::services::ArchiveServer::Start(store->get(), options);
  if (!server.ok()) return Fail(server.status().message());
  // Written whatever the level: scripts and people wait for this line.
  log::WriteAlways(log::Level::kInfo, "listening",
                   {{"address", (*server)->address()},
                    {"metrics_port", (*server)->metrics_port()},
                    {"data_dir", data_dir},
                    {"checkpoint_root", checkpoint_root},
                    {"head_revision", (*store)->HeadRevision()},
                    {"follow", options.follow.primary}});

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  log::Write(log::Level::kWarning, "stop signal received",
             {{"signal", signal_number}});
  // A second signal means "now": exit at once. Every acknowledged write is
  // already in RocksDB's synced log, so nothing acknowledged is lost.
  std::thread([stop_signals] {
    int again = 0;
    sigwait(&stop_signals, &again);
    log::WriteAlways(log::Level::kError, "second stop signal: exiting at once",
                     {{"signal", again}});
    _exit(1);
  }).detach();
  (*server)->Shutdown(absl::GetFlag(FLAGS_shutdown_grace));
  (*server)->Wait();
  server->reset();
  store->reset();  // closes RocksDB cleanly before exit
  log::WriteAlways(log::Level::kWarning, "stopped");
  return 0;
}
