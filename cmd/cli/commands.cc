#include "cmd/cli/commands.h"

#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cmd/cli/ingest.h"
#include "cmd/cli/text_format.h"
#include "cmd/cli/watch.h"
#include "common/limits.h"
#include "common/metadata.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "importai/v1/admin_service.grpc.pb.h"
#include "importai/v1/archive_service.grpc.pb.h"
#include "importai/v1/ingest_service.grpc.pb.h"

namespace importai::cli {
namespace {

// One invocation: the stubs, the options and where output goes.
class Client {
 public:
  Client(const ServerTarget& target, const CliOptions& options,
         std::ostream& out, std::ostream& err)
      : options_(options),
        several_servers_(target.round_robin),
        out_(out),
        err_(err) {
    auto channel = NewChannel(target, options);
    archive_ = v1::ArchiveService::NewStub(channel);
    ingest_ = v1::IngestService::NewStub(channel);
    admin_ = v1::AdminService::NewStub(channel);
  }

  int Ingest(const std::vector<std::string>& files);
  int Get(const std::string& issue);
  int List();
  int Sections(const std::string& issue);
  int Tale(const std::string& issue);
  int Search(const std::vector<std::string>& words);
  int CitedBy(const std::string& issue);
  int Checkpoint(const std::string& name);
  int Watch(const std::vector<std::string>& operands);

  int Usage(const std::string& problem) {
    err_ << "importai: " << problem << "\n" << kUsage;
    return kExitUsage;
  }

 private:
  std::unique_ptr<grpc::ClientContext> Context() const {
    return NewCallContext(options_, /*write=*/false);
  }

  std::unique_ptr<grpc::ClientContext> WriteContext() const {
    return NewCallContext(options_, /*write=*/true);
  }

  // Prints a page of sections (or its JSON) and where the next page starts.
  template <typename Response>
  int PrintSections(const Response& response) {
    if (options_.json) {
      out_ << FormatJson(response);
      return kExitOk;
    }
    for (const v1::Section& section : response.sections()) {
      out_ << FormatSection(section);
    }
    PrintMore(response.next_page_token());
    return kExitOk;
  }

  void PrintMore(const std::string& next_page_token) {
    if (!next_page_token.empty()) {
      out_ << "more: --page_token=" << next_page_token << "\n";
    }
  }

  // Prints `status` for `what` to stderr; true if it was OK.
  bool Check(const grpc::Status& status, const std::string& what) {
    if (status.ok()) return true;
    err_ << "importai: " << what << ": " << StatusCodeName(status.error_code())
         << ": " << status.error_message() << "\n";
    return false;
  }

  const CliOptions& options_;
  const bool several_servers_;
  std::ostream& out_;
  std::ostream& err_;
  std::unique_ptr<v1::ArchiveService::Stub> archive_;
  std::unique_ptr<v1::IngestService::Stub> ingest_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
};

// "387" or "issues/387" -> "issues/387"; "-" stays the wildcard.
std::string IssueNameFromArg(const std::string& arg) {
  if (arg == "-") return "issues/-";
  return absl::StartsWith(arg, "issues/") ? arg : absl::StrCat("issues/", arg);
}

int Client::Ingest(const std::vector<std::string>& files) {
  if (files.empty())
    return Usage("ingest: name at least one FILE, or - for stdin");
  return RunIngest(*ingest_, options_, files, out_, err_);
}

int Client::Get(const std::string& issue) {
  v1::GetIssueRequest request;
  request.set_name(IssueNameFromArg(issue));
  request.set_view(options_.view);
  v1::Issue response;
  if (!Check(archive_->GetIssue(Context().get(), request, &response),
             "get " + request.name())) {
    return kExitFailed;
  }
  out_ << (options_.json ? FormatJson(response) : FormatIssue(response));
  return kExitOk;
}

int Client::List() {
  v1::ListIssuesRequest request;
  request.set_page_size(options_.page_size);
  request.set_page_token(options_.page_token);
  request.set_view(options_.view);
  v1::ListIssuesResponse response;
  if (!Check(archive_->ListIssues(Context().get(), request, &response),
             "list")) {
    return kExitFailed;
  }
  if (options_.json) {
    out_ << FormatJson(response);
    return kExitOk;
  }
  for (const v1::Issue& issue : response.issues())
    out_ << FormatIssueLine(issue);
  PrintMore(response.next_page_token());
  return kExitOk;
}

int Client::Sections(const std::string& issue) {
  v1::ListSectionsRequest request;
  request.set_parent(IssueNameFromArg(issue));
  request.set_page_size(options_.page_size);
  request.set_page_token(options_.page_token);
  v1::ListSectionsResponse response;
  if (!Check(archive_->ListSections(Context().get(), request, &response),
             "sections " + request.parent())) {
    return kExitFailed;
  }
  return PrintSections(response);
}

int Client::Search(const std::vector<std::string>& words) {
  if (words.empty()) return Usage("search: give a query");
  v1::SearchRequest request;
  request.set_query(absl::StrJoin(words, " "));
  request.set_filter(options_.filter);
  request.set_page_size(options_.page_size);
  request.set_page_token(options_.page_token);
  v1::SearchResponse response;
  if (!Check(archive_->Search(Context().get(), request, &response),
             absl::StrCat("search \"", request.query(), "\""))) {
    return kExitFailed;
  }
  if (options_.json) {
    out_ << FormatJson(response);
    return kExitOk;
  }
  for (const v1::SearchResult& result : response.results()) {
    out_ << FormatSearchResult(result);
  }
  out_ << response.total_size()
       << (response.total_size() == 1 ? " match" : " matches") << "\n";
  PrintMore(response.next_page_token());
  return kExitOk;
}

int Client::Checkpoint(const std::string& name) {
  v1::CreateCheckpointRequest request;
  request.set_directory(name);
  v1::Checkpoint response;
  if (!Check(admin_->CreateCheckpoint(WriteContext().get(), request, &response),
             "checkpoint " + name)) {
    return kExitFailed;
  }
  if (options_.json) {
    out_ << FormatJson(response);
  } else {
    out_ << "checkpoint " << response.directory() << " at revision "
         << response.head_revision() << "\n";
  }
  return kExitOk;
}

int Client::CitedBy(const std::string& issue) {
  v1::ListCitingSectionsRequest request;
  request.set_parent(IssueNameFromArg(issue));
  request.set_page_size(options_.page_size);
  request.set_page_token(options_.page_token);
  v1::ListCitingSectionsResponse response;
  if (!Check(archive_->ListCitingSections(Context().get(), request, &response),
             "cited-by " + request.parent())) {
    return kExitFailed;
  }
  return PrintSections(response);
}

int Client::Tale(const std::string& issue) {
  v1::GetTaleRequest request;
  request.set_name(IssueNameFromArg(issue) + "/tale");
  v1::Tale response;
  if (!Check(archive_->GetTale(Context().get(), request, &response),
             "tale " + request.name())) {
    return kExitFailed;
  }
  out_ << (options_.json ? FormatJson(response) : FormatTale(response));
  return kExitOk;
}

int Client::Watch(const std::vector<std::string>& operands) {
  if (!operands.empty()) return Usage("watch: takes no operands");
  if (options_.from_revision < 0) return Usage("watch: --from must be >= 0");
  if (options_.max_events < 0) return Usage("watch: --max_events must be >= 0");
  WatchOptions watch;
  watch.from_revision = options_.from_revision;
  watch.view = options_.view;
  watch.progress_interval = options_.progress_interval;
  watch.json = options_.json;
  watch.max_events = options_.max_events;
  watch.call_timeout = options_.timeout;
  // A replica that copied a snapshot keeps no log before it, while the
  // others may: ask them before giving up.
  watch.out_of_range_retries = several_servers_ ? 3 : 0;
  WatchStop never_stopped;
  WatchStop& stop =
      options_.watch_stop != nullptr ? *options_.watch_stop : never_stopped;
  return RunWatch(*archive_, watch, stop, out_, err_);
}

}  // namespace

std::unique_ptr<grpc::ClientContext> NewCallContext(const CliOptions& options,
                                                    bool write) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        absl::ToChronoNanoseconds(options.timeout));
  if (write && !options.write_token.empty()) {
    context->AddMetadata("authorization",
                         absl::StrCat("Bearer ", options.write_token));
  }
  if (!write && options.min_revision > 0) {
    context->AddMetadata(kMinRevisionMetadata,
                         absl::StrCat(options.min_revision));
  }
  return context;
}

std::shared_ptr<grpc::Channel> NewChannel(const std::string& server) {
  ServerTarget target;
  target.uri = server;
  return NewChannel(target, CliOptions());
}

std::shared_ptr<grpc::Channel> NewChannel(const ServerTarget& target,
                                          const CliOptions& options) {
  grpc::ChannelArguments args;
  ApplyServerTarget(target, args);
  args.SetMaxReceiveMessageSize(-1);
  args.SetMaxSendMessageSize(-1);
  // A watch stream can sit idle between events; pings find a connection
  // that died silently, so the watch gets UNAVAILABLE and reconnects.
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30'000);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10'000);
  // Calls fail fast while the channel is disconnected, and the channel
  // retries connecting on its own backoff (1 s growing to 120 s by default).
  // Kept short, it has reconnected by the time the watch's own backoff, which
  // spreads clients' calls out, lets the next call go.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1'000);
  std::shared_ptr<grpc::ChannelCredentials> credentials =
      grpc::InsecureChannelCredentials();
  if (!options.tls_ca_pem.empty()) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = options.tls_ca_pem;
    ssl.pem_cert_chain = options.tls_cert_pem;
    ssl.pem_private_key = options.tls_key_pem;
    credentials = grpc::SslCredentials(ssl);
  }
  return grpc::CreateCustomChannel(target.uri, credentials, args);
}

int RunCommand(const std::vector<std::string>& args, const CliOptions& options,
               std::ostream& out, std::ostream& err) {
  const absl::StatusOr<ServerTarget> target = ParseServerTarget(options.server);
  if (!target.ok()) {
    err << "importai: --server=" << options.server << ": "
        << target.status().message() << "\n";
    return kExitUsage;
  }
  Client client(*target, options, out, err);
  if (args.empty()) return client.Usage("no command given");
  const std::string& command = args[0];
  const std::vector<std::string> operands(args.begin() + 1, args.end());
  auto one_operand = [&](auto run) {
    if (operands.size() != 1) {
      return client.Usage(absl::StrCat(command, ": expects one issue number"));
    }
    return run(operands[0]);
  };
  if (command == "ingest") return client.Ingest(operands);
  if (command == "get") {
    return one_operand([&](const std::string& n) { return client.Get(n); });
  }
  if (command == "list") {
    if (!operands.empty()) return client.Usage("list: takes no operands");
    return client.List();
  }
  if (command == "sections") {
    return one_operand(
        [&](const std::string& n) { return client.Sections(n); });
  }
  if (command == "tale") {
    return one_operand([&](const std::string& n) { return client.Tale(n); });
  }
  if (command == "search") return client.Search(operands);
  if (command == "cited-by") {
    return one_operand([&](const std::string& n) { return client.CitedBy(n); });
  }
  if (command == "checkpoint") {
    if (operands.size() != 1) {
      return client.Usage(
          "checkpoint: expects one name (relative to the server's "
          "checkpoint root)");
    }
    return client.Checkpoint(operands[0]);
  }
  if (command == "watch") return client.Watch(operands);
  return client.Usage(absl::StrCat("unknown command \"", command, "\""));
}

}  // namespace importai::cli
