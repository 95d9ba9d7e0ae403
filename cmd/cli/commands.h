#ifndef IMPORTAI_CMD_CLI_COMMANDS_H_
#define IMPORTAI_CMD_CLI_COMMANDS_H_

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "cmd/cli/server_target.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "importai/v1/ingest_service.pb.h"
#include "importai/v1/resources.pb.h"

namespace importai::cli {

class WatchStop;

struct CliOptions {
  // --server as given: see ParseServerTarget.
  std::string server = "127.0.0.1:50051";
  bool json = false;
  absl::Duration timeout = absl::Seconds(30);
  // Sent with every read (not with ingest, checkpoint or watch) as
  // kMinRevisionMetadata, so a server that has not applied this revision yet
  // waits for it; 0: not sent.
  int64_t min_revision = 0;
  v1::IssueView view = v1::ISSUE_VIEW_UNSPECIFIED;
  int page_size = 0;
  std::string page_token;
  std::string source;
  // ingest: how the files are written (unspecified: the server detects it),
  // whether a copy that does not parse is REJECTED rather than failing its
  // file, and whether to keep a progress line on stderr (main sets it when
  // stderr is a terminal).
  v1::InputFormat format = v1::INPUT_FORMAT_UNSPECIFIED;
  bool allow_partial = false;
  bool progress = false;
  // search: the AIP-160 filter.
  std::string filter;
  bool validate_only = false;
  // watch: the first revision (0: only new changes), when to stop (0:
  // never), and how often the server reports while idle (zero: its default).
  int64_t from_revision = 0;
  int64_t max_events = 0;
  absl::Duration progress_interval = absl::ZeroDuration();
  // Sent as "authorization: Bearer <token>" with writes (ingest,
  // checkpoint); empty: none.
  std::string write_token;
  // PEM contents. A CA turns TLS on and verifies the server with it; a
  // certificate and key are presented to a server that asks (mTLS).
  std::string tls_ca_pem;
  std::string tls_cert_pem;
  std::string tls_key_pem;
  // Ends a running watch (main stops it on SIGINT); may be null.
  WatchStop* watch_stop = nullptr;
};

// Exit codes: success, a failed call, a command line that makes no sense.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

inline constexpr const char kUsage[] =
    "usage: importai [--server=ADDRESS] [--json] [--min_revision=N] COMMAND\n"
    "ADDRESS: HOST:PORT; or HOST:PORT,HOST:PORT,... or dns:///NAME:PORT, and\n"
    "  calls go round-robin over every server it names (host names in a list\n"
    "  are looked up once, at the start); writes (ingest, checkpoint) need\n"
    "  the primary, so name it alone for them\n"
    "--min_revision=N: reads (get, list, sections, tale, search, cited-by)\n"
    "  are answered only once the server has applied revision N, e.g. the\n"
    "  head revision an ingest printed; a server still behind it when\n"
    "  --timeout runs out answers UNAVAILABLE (0, the default: off)\n"
    "commands:\n"
    "  ingest FILE...|-     store the issues in each file (- reads stdin):\n"
    "                       one request per file, stored whole or not at all\n"
    "                       [--format=auto|text|markdown|html|feed]\n"
    "                       [--allow_partial: store what parses and report\n"
    "                       the rest REJECTED] [--validate_only]\n"
    "                       [--source=LABEL]; a file that fails is reported\n"
    "                       and the next one still goes (not after\n"
    "                       UNAVAILABLE or a credential error); ends with a\n"
    "                       summary with the head revision (for\n"
    "                       --min_revision); --json: one line per file, with\n"
    "                       its headRevision\n"
    "  get N                one issue [--view=basic|full]\n"
    "  list                 issues, newest first [--page_size=N]\n"
    "                       [--page_token=T] [--view=basic|full]\n"
    "  sections N|-         the sections of issue N, or of every issue\n"
    "  tale N               the Tech Tales story of issue N\n"
    "  search QUERY...      sections and tales matching every word, "
    "\"phrase\"\n"
    "                       and prefix*, best first [--filter=EXPR]\n"
    "                       [--page_size=N] [--page_token=T]; EXPR like\n"
    "                       'issue >= 380 AND kind = \"section\"'\n"
    "  cited-by N           the sections that cite issue N\n"
    "  checkpoint NAME      the server writes a backup of its store as NAME\n"
    "                       (new, relative, e.g. 2026-11-26) under its\n"
    "                       --checkpoint_root, and prints where\n"
    "  watch                each change as it is stored, until interrupted\n"
    "                       [--from=REV] [--view=basic|full] [--max_events=N]\n"
    "                       [--progress_interval=DURATION]; reconnects and\n"
    "                       resumes by itself after the last revision it\n"
    "                       printed, on another server of --server when\n"
    "                       there is one; --json adds PROGRESS events\n"
    "exit status: 0 done; 1 a call failed (ingest: a file could not be read\n"
    "or ingested, or a copy was REJECTED); 2 a command line that makes no\n"
    "sense\n";

// The channel every command uses, to `target` (parsed from
// `options.server`): no message size limits, keepalive pings for idle watch
// streams, and reconnect backoff bounded like the watch's. TLS when
// `options` has a CA.
std::shared_ptr<grpc::Channel> NewChannel(const ServerTarget& target,
                                          const CliOptions& options);
// Plaintext, to `server`, a gRPC target taken as it is (tests).
std::shared_ptr<grpc::Channel> NewChannel(const std::string& server);

// A context for one call: the options' deadline; for a `write`, the write
// token when there is one; for a read, --min_revision when it is set.
std::unique_ptr<grpc::ClientContext> NewCallContext(const CliOptions& options,
                                                    bool write);

// Runs `args` (command and its operands) against the server: results to
// `out`, errors to `err`. Returns one of the exit codes above; a --server
// that ParseServerTarget refuses is a usage error.
int RunCommand(const std::vector<std::string>& args, const CliOptions& options,
               std::ostream& out, std::ostream& err);

}  // namespace importai::cli

#endif  // IMPORTAI_CMD_CLI_COMMANDS_H_
