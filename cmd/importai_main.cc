// importai: the command-line client of Import AI Archive.
#include <unistd.h>

#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "cmd/cli/commands.h"
#include "cmd/cli/ingest.h"
#include "cmd/cli/sigint.h"
#include "cmd/cli/watch.h"
#include "cmd/env_flags.h"
#include "cmd/read_file.h"

ABSL_FLAG(std::string, server, "127.0.0.1:50051",
          "HOST:PORT of importai-server; or several, HOST:PORT,HOST:PORT,..., "
          "or a gRPC name such as dns:///NAME:PORT: calls then go "
          "round-robin over the servers, and watch moves to another one when "
          "its stream breaks");
ABSL_FLAG(bool, json, false, "print the proto3 JSON form instead of text");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(30),
          "deadline of each call (the watch stream has none)");
ABSL_FLAG(int64_t, min_revision, 0,
          "reads (get, list, sections, tale, search, cited-by): answered only "
          "once the server has applied this revision, e.g. the head revision "
          "an ingest printed (sent as the x-importai-min-revision metadata; a "
          "server still behind it at --timeout answers UNAVAILABLE); 0: off");
ABSL_FLAG(std::string, view, "",
          "issue view: basic or full (default: full for get and watch --json, "
          "basic for list and a text watch)");
ABSL_FLAG(int, page_size, 0, "list page size (0: the server's default of 20)");
ABSL_FLAG(std::string, page_token, "", "continue a list from this token");
ABSL_FLAG(
    std::string, source, "",
    "ingest: label for where the text came from (default: the file name)");
ABSL_FLAG(std::string, filter, "",
          "search: AIP-160 filter, e.g. 'issue >= 380 AND source = \"arXiv\"'");
ABSL_FLAG(bool, validate_only, false,
          "ingest: parse and report, store nothing");
ABSL_FLAG(std::string, format, "auto",
          "ingest: how the files are written: auto (the server detects it, "
          "file by file, and says what it found in the warnings), text, "
          "markdown, html or feed");
ABSL_FLAG(bool, allow_partial, false,
          "ingest: store the issues of a file that parse and report each one "
          "that does not as REJECTED (without it, one bad issue fails its "
          "whole file and nothing of that file is stored)");
ABSL_FLAG(int64_t, from, 0,
          "watch: the first revision to print (0: only changes made from now "
          "on)");
ABSL_FLAG(int64_t, max_events, 0,
          "watch: exit after this many CREATED/UPDATED events (0: never)");
ABSL_FLAG(absl::Duration, progress_interval, absl::ZeroDuration(),
          "watch: how often the server reports its head revision while idle, "
          "from the server's floor (1s by default) to 60s (0: the server's "
          "default, 10s); the PROGRESS events "
          "are printed with --json only");

ABSL_FLAG(std::string, token_file, "",
          "file holding the write token, sent as \"authorization: Bearer\" "
          "with ingest and checkpoint");
ABSL_FLAG(std::string, tls_ca, "",
          "PEM file of the CA that signed the server's certificate: turns "
          "TLS on");
ABSL_FLAG(std::string, tls_cert, "",
          "PEM client certificate, for servers that require one (mTLS)");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert");

namespace {

// Reads the files the security flags name into `options`.
absl::Status LoadSecurity(importai::cli::CliOptions& options) {
  if (const std::string file = absl::GetFlag(FLAGS_token_file); !file.empty()) {
    absl::StatusOr<std::string> token =
        importai::ReadTokenFile("token_file", file);
    if (!token.ok()) return token.status();
    options.write_token = *std::move(token);
  }
  const std::string ca = absl::GetFlag(FLAGS_tls_ca);
  const std::string cert = absl::GetFlag(FLAGS_tls_cert);
  const std::string key = absl::GetFlag(FLAGS_tls_key);
  if (cert.empty() != key.empty()) {
    return absl::InvalidArgumentError("tls_cert and tls_key go together");
  }
  if (!cert.empty() && ca.empty()) {
    return absl::InvalidArgumentError(
        "tls_cert needs tls_ca (the CA of the server's certificate)");
  }
  return importai::ReadFlagFiles({{"tls_ca", ca, &options.tls_ca_pem},
                                  {"tls_cert", cert, &options.tls_cert_pem},
                                  {"tls_key", key, &options.tls_key_pem}});
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      absl::StrCat(importai::cli::kUsage,
                   "environment: IMPORTAI_SERVER, IMPORTAI_TOKEN_FILE, "
                   "IMPORTAI_TLS_CA, IMPORTAI_TLS_CERT and IMPORTAI_TLS_KEY "
                   "set the flags of those names (a flag wins)\n"));
  constexpr const char* kEnvironmentFlags[] = {"server", "token_file", "tls_ca",
                                               "tls_cert", "tls_key"};
  if (absl::Status env = importai::ApplyFlagsFromEnvironment(kEnvironmentFlags);
      !env.ok()) {
    std::cerr << "importai: " << env.message() << "\n";
    return importai::cli::kExitUsage;
  }
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);

  importai::cli::CliOptions options;
  options.server = absl::GetFlag(FLAGS_server);
  options.json = absl::GetFlag(FLAGS_json);
  options.timeout = absl::GetFlag(FLAGS_timeout);
  options.min_revision = absl::GetFlag(FLAGS_min_revision);
  if (options.min_revision < 0) {
    std::cerr << "importai: --min_revision must be >= 0, got "
              << options.min_revision << "\n";
    return importai::cli::kExitUsage;
  }
  options.page_size = absl::GetFlag(FLAGS_page_size);
  options.page_token = absl::GetFlag(FLAGS_page_token);
  options.source = absl::GetFlag(FLAGS_source);
  options.filter = absl::GetFlag(FLAGS_filter);
  options.validate_only = absl::GetFlag(FLAGS_validate_only);
  options.allow_partial = absl::GetFlag(FLAGS_allow_partial);
  options.progress = isatty(STDERR_FILENO) == 1;
  const std::string format = absl::GetFlag(FLAGS_format);
  if (std::optional<importai::v1::InputFormat> parsed =
          importai::cli::ParseInputFormat(format)) {
    options.format = *parsed;
  } else {
    std::cerr << "importai: --format must be auto, text, markdown, html or "
                 "feed, got \""
              << format << "\"\n";
    return importai::cli::kExitUsage;
  }
  options.from_revision = absl::GetFlag(FLAGS_from);
  options.max_events = absl::GetFlag(FLAGS_max_events);
  options.progress_interval = absl::GetFlag(FLAGS_progress_interval);
  if (absl::Status security = LoadSecurity(options); !security.ok()) {
    std::cerr << "importai: " << security.message() << "\n";
    return importai::cli::kExitUsage;
  }
  const std::string view = absl::GetFlag(FLAGS_view);
  if (view == "basic") {
    options.view = importai::v1::ISSUE_VIEW_BASIC;
  } else if (view == "full") {
    options.view = importai::v1::ISSUE_VIEW_FULL;
  } else if (!view.empty()) {
    std::cerr << "importai: --view must be basic or full, got \"" << view
              << "\"\n";
    return importai::cli::kExitUsage;
  }
  const std::vector<std::string> args(positional.begin() + 1, positional.end());
  if (!args.empty() && args[0] == "watch") {
    // Leaked on purpose: the SIGINT thread may still use it during exit.
    auto* stop = new importai::cli::WatchStop();
    importai::cli::StopOnSigint(stop);
    options.watch_stop = stop;
  }
  return importai::cli::RunCommand(args, options, std::cout, std::cerr);
}
