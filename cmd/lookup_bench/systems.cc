#include "cmd/lookup_bench/systems.h"

#include <algorithm>
#include <future>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "etcdserverpb/rpc_subset.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/channel_arguments.h"
#include "importai/v1/archive_service.grpc.pb.h"
#include "importai/v1/ingest_service.grpc.pb.h"

namespace importai::lookup_bench {
namespace {

using feed_bench::ChildProcess;

constexpr absl::string_view kListeningMarker =
    "\"msg\":\"listening\",\"address\":\"";
constexpr absl::Duration kStartTimeout = absl::Seconds(30);
constexpr absl::Duration kCallTimeout = absl::Seconds(30);

constexpr char kGetIssue[] = "/importai.v1.ArchiveService/GetIssue";
constexpr char kListIssues[] = "/importai.v1.ArchiveService/ListIssues";
constexpr char kGetSection[] = "/importai.v1.ArchiveService/GetSection";
constexpr char kRange[] = "/etcdserverpb.KV/Range";

absl::Status FromGrpc(absl::string_view what, const grpc::Status& status) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(what, ": ", status.error_message()));
}

// Starts a server that prints the listening line and reads its address.
absl::StatusOr<Server> StartAnnouncing(const std::vector<std::string>& argv,
                                       const std::string& log_path) {
  auto process = ChildProcess::Spawn(argv, log_path, /*pipe_stdout=*/true);
  if (!process.ok()) return process.status();
  Server server;
  server.process = std::move(*process);
  auto listening = server.process->WaitForLine(kListeningMarker, kStartTimeout);
  if (!listening.ok()) return listening.status();
  server.address = listening->substr(0, listening->find('"'));
  return server;
}

std::string IssueKey(int number) { return absl::StrCat("issues/", number); }

absl::Status EtcdPut(etcdserverpb::KV::Stub& kv, const std::string& key,
                     const std::string& value, absl::Duration timeout) {
  etcdserverpb::PutRequest put;
  put.set_key(key);
  put.set_value(value);
  etcdserverpb::PutResponse response;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  context.set_wait_for_ready(true);
  const grpc::Status status = kv.Put(&context, put, &response);
  return status.ok() ? absl::OkStatus() : FromGrpc("etcd Put", status);
}

absl::Status Mismatch(absl::string_view what) {
  return absl::DataLossError(absl::StrCat("correctness check failed: ", what));
}

}  // namespace

std::shared_ptr<grpc::Channel> Connect(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetMaxReceiveMessageSize(-1);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(),
                                   args);
}

absl::StatusOr<Server> StartImportAi(const std::string& binary,
                                     const std::string& data_dir,
                                     const std::string& log_path) {
  return StartAnnouncing({binary, "--listen=127.0.0.1:0",
                          "--data_dir=" + data_dir, "--log_level=warning",
                          "--shutdown_grace=2s"},
                         log_path);
}

absl::StatusOr<Server> StartCeiling(const std::string& binary,
                                    const std::string& response_file,
                                    const std::string& log_path) {
  return StartAnnouncing(
      {binary, "--listen=127.0.0.1:0", "--response_file=" + response_file},
      log_path);
}

absl::StatusOr<Server> StartEtcd(const std::string& binary,
                                 const std::string& data_dir,
                                 const std::string& log_path) {
  auto client_port = feed_bench::FreeLoopbackPort();
  auto peer_port = feed_bench::FreeLoopbackPort();
  if (!client_port.ok()) return client_port.status();
  if (!peer_port.ok()) return peer_port.status();
  const std::string client = absl::StrCat("http://127.0.0.1:", *client_port);
  const std::string peer = absl::StrCat("http://127.0.0.1:", *peer_port);
  auto process = ChildProcess::Spawn(
      {binary, "--name=lookup-bench", "--data-dir=" + data_dir,
       "--listen-client-urls=" + client, "--advertise-client-urls=" + client,
       "--listen-peer-urls=" + peer, "--initial-advertise-peer-urls=" + peer,
       "--initial-cluster=lookup-bench=" + peer, "--logger=zap",
       "--log-level=warn"},
      log_path, /*pipe_stdout=*/false);
  if (!process.ok()) return process.status();
  Server server;
  server.process = std::move(*process);
  server.address = absl::StrCat("127.0.0.1:", *client_port);
  // etcd says nothing on stdout when ready; a Put that succeeds is the sign.
  auto kv = etcdserverpb::KV::NewStub(Connect(server.address));
  const absl::Time deadline = absl::Now() + kStartTimeout;
  absl::Status last;
  while (absl::Now() < deadline && server.process->Running()) {
    last = EtcdPut(*kv, "lookup-bench/ready", "1", absl::Seconds(1));
    if (last.ok()) return server;
    absl::SleepFor(absl::Milliseconds(100));
  }
  return absl::UnavailableError(
      absl::StrCat("etcd is not serving (", last.ToString(),
                   "); its log ends with:\n", server.process->LogTail(2000)));
}

absl::StatusOr<std::string> CallRaw(const std::shared_ptr<grpc::Channel>& channel,
                                    const std::string& method,
                                    const std::string& request) {
  grpc::GenericStub stub(channel);
  grpc::Slice slice(request);
  grpc::ByteBuffer request_buffer(&slice, 1);
  grpc::ByteBuffer response_buffer;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + kCallTimeout));
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, method, grpc::StubOptions(), &request_buffer,
                 &response_buffer,
                 [&done](grpc::Status status) { done.set_value(status); });
  const grpc::Status status = done.get_future().get();
  if (!status.ok()) return FromGrpc(method, status);
  std::vector<grpc::Slice> slices;
  if (!response_buffer.Dump(&slices).ok()) {
    return absl::InternalError(absl::StrCat(method, ": unreadable response"));
  }
  std::string bytes;
  for (const grpc::Slice& part : slices) {
    bytes.append(reinterpret_cast<const char*>(part.begin()), part.size());
  }
  return bytes;
}

absl::StatusOr<LoadedCorpus> LoadCorpus(const Server& importai,
                                        const Server& etcd,
                                        absl::string_view text) {
  auto ours = Connect(importai.address);
  auto theirs = Connect(etcd.address);
  LoadedCorpus loaded;

  // 1. The whole corpus in one IngestIssues.
  auto ingest = v1::IngestService::NewStub(ours);
  v1::IngestIssuesRequest ingest_request;
  ingest_request.set_text(std::string(text));
  ingest_request.set_source("lookup_benchmark");
  v1::IngestIssuesResponse ingested;
  {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + kCallTimeout));
    const grpc::Status status =
        ingest->IngestIssues(&context, ingest_request, &ingested);
    if (!status.ok()) return FromGrpc("IngestIssues", status);
  }
  // One result per issue copy; the corpus may hold an issue more than once,
  // but its first copy must be CREATED in a fresh store.
  for (const v1::IngestResult& result : ingested.results()) {
    if (std::find(loaded.numbers.begin(), loaded.numbers.end(),
                  result.number()) != loaded.numbers.end()) {
      continue;
    }
    if (result.outcome() != v1::INGEST_OUTCOME_CREATED) {
      return Mismatch(absl::StrCat("issue ", result.number(),
                                   " was not CREATED in a fresh store"));
    }
    loaded.numbers.push_back(result.number());
  }
  if (loaded.numbers.empty()) return Mismatch("the corpus holds no issue");

  // 2. Every issue's GetIssue FULL bytes, into etcd under issues/N, and
  //    back out through Range: the same bytes or the run stops here.
  auto kv = etcdserverpb::KV::NewStub(theirs);
  size_t largest_size = 0;
  for (int number : loaded.numbers) {
    v1::GetIssueRequest get;
    get.set_name(IssueKey(number));
    get.set_view(v1::ISSUE_VIEW_FULL);
    auto bytes = CallRaw(ours, kGetIssue, get.SerializeAsString());
    if (!bytes.ok()) return bytes.status();
    v1::Issue issue;
    if (!issue.ParseFromString(*bytes) || issue.number() != number ||
        issue.sections_size() == 0) {
      return Mismatch(absl::StrCat("GetIssue ", get.name(),
                                   " is not that issue with its sections"));
    }
    if (absl::Status put = EtcdPut(*kv, IssueKey(number), *bytes, kCallTimeout);
        !put.ok()) {
      return put;
    }
    etcdserverpb::RangeRequest range;
    range.set_key(IssueKey(number));
    auto ranged = CallRaw(theirs, kRange, range.SerializeAsString());
    if (!ranged.ok()) return ranged.status();
    etcdserverpb::RangeResponse answer;
    if (!answer.ParseFromString(*ranged) || answer.kvs_size() != 1 ||
        answer.kvs(0).key() != IssueKey(number) ||
        answer.kvs(0).value() != *bytes) {
      return Mismatch(absl::StrCat("etcd Range ", IssueKey(number),
                                   " does not return GetIssue's bytes"));
    }
    if (bytes->size() > largest_size) {
      largest_size = bytes->size();
      loaded.largest = number;
      loaded.get_issue = {"importai", "GetIssue FULL", importai.address,
                          kGetIssue, get.SerializeAsString(), *bytes,
                          importai.process->pid()};
      loaded.range = {"etcd", "Range", etcd.address, kRange,
                      range.SerializeAsString(), *ranged,
                      etcd.process->pid()};
      range.set_serializable(true);
      auto serializable = CallRaw(theirs, kRange, range.SerializeAsString());
      if (!serializable.ok()) return serializable.status();
      etcdserverpb::RangeResponse local;
      if (!local.ParseFromString(*serializable) || local.kvs_size() != 1 ||
          local.kvs(0).value() != *bytes) {
        return Mismatch(absl::StrCat("etcd serializable Range ",
                                     IssueKey(number),
                                     " does not return GetIssue's bytes"));
      }
      loaded.range_serializable = {
          "etcd", "Range serializable", etcd.address, kRange,
          range.SerializeAsString(), *serializable, etcd.process->pid()};
      // 3. GetSection of its first section: that section, as in the issue.
      v1::GetSectionRequest section_request;
      section_request.set_name(issue.sections(0).name());
      auto section_bytes =
          CallRaw(ours, kGetSection, section_request.SerializeAsString());
      if (!section_bytes.ok()) return section_bytes.status();
      v1::Section section;
      if (!section.ParseFromString(*section_bytes) ||
          section.SerializeAsString() !=
              issue.sections(0).SerializeAsString()) {
        return Mismatch(absl::StrCat("GetSection ", section_request.name(),
                                     " differs from the issue's section"));
      }
      loaded.get_section = {"importai", "GetSection", importai.address,
                            kGetSection, section_request.SerializeAsString(),
                            *section_bytes, importai.process->pid()};
    }
  }

  // 4. ListIssues BASIC, page 20: the newest issues first, their sections
  //    without bodies or links.
  v1::ListIssuesRequest list;
  list.set_page_size(20);
  list.set_view(v1::ISSUE_VIEW_BASIC);
  auto list_bytes = CallRaw(ours, kListIssues, list.SerializeAsString());
  if (!list_bytes.ok()) return list_bytes.status();
  v1::ListIssuesResponse page;
  std::vector<int> newest_first = loaded.numbers;
  std::sort(newest_first.rbegin(), newest_first.rend());
  newest_first.resize(std::min<size_t>(newest_first.size(), 20));
  bool page_ok = page.ParseFromString(*list_bytes) &&
                 page.issues_size() == static_cast<int>(newest_first.size());
  for (int i = 0; page_ok && i < page.issues_size(); ++i) {
    const v1::Issue& issue = page.issues(i);
    page_ok = issue.number() == newest_first[i] && issue.sections_size() > 0;
    for (const v1::Section& section : issue.sections()) {
      page_ok = page_ok && section.body().empty() && section.links().empty();
    }
  }
  if (!page_ok) {
    return Mismatch(
        "ListIssues BASIC is not the newest issues, newest first, in brief");
  }
  loaded.list_issues = {"importai", "ListIssues BASIC/20", importai.address,
                        kListIssues, list.SerializeAsString(), *list_bytes,
                        importai.process->pid()};
  return loaded;
}

}  // namespace importai::lookup_bench
