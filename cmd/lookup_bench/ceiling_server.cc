// ceiling_server: a do-nothing gRPC server that answers every call, whatever
// its method, with the same pre-built message (the bytes of --response_file)
// and status OK. It never parses a request. Under the same load as
// importai-server it shows what this machine and this gRPC library can do
// at best: lookup_benchmark's "ceiling".
//   ceiling_server --listen=127.0.0.1:0 --response_file=FILE
// importai.v1.ArchiveService's unary methods are registered as raw
// callback methods, as importai-server registers GetIssue, so a call takes
// the same path through gRPC; any other method (a WatchIssues stream gets one
// message) goes to a callback generic service, gRPC's slower path for
// unregistered methods.
// Prints {"msg":"listening","address":"HOST:PORT"} once serving; stops on
// SIGTERM or SIGINT.
#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/slice.h"
#include "importai/v1/archive_service.grpc.pb.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:0", "HOST:PORT (port 0: any free)");
ABSL_FLAG(std::string, response_file, "",
          "the serialized response message every call gets");

namespace {

// One call: read the request (unparsed), answer with the shared bytes.
class Answer final : public grpc::ServerGenericBidiReactor {
 public:
  explicit Answer(const grpc::ByteBuffer& response) : response_(response) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "no request"));
      return;
    }
    StartWriteAndFinish(&response_, grpc::WriteOptions(), grpc::Status::OK);
  }

  void OnDone() override { delete this; }

 private:
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;  // shares the one slice, by reference count
};

// The unregistered methods: a bidi stream per call.
class GenericCeiling final : public grpc::CallbackGenericService {
 public:
  explicit GenericCeiling(const grpc::ByteBuffer& response)
      : response_(response) {}

  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* /*context*/) override {
    return new Answer(response_);
  }

 private:
  const grpc::ByteBuffer& response_;
};

using v1 = importai::v1::ArchiveService;
using RawArchive = v1::WithRawCallbackMethod_GetIssue<
    v1::WithRawCallbackMethod_ListIssues<v1::WithRawCallbackMethod_GetSection<
        v1::WithRawCallbackMethod_ListSections<
            v1::WithRawCallbackMethod_GetTale<
                v1::WithRawCallbackMethod_ListTales<
                    v1::WithRawCallbackMethod_WatchIssues<
                        v1::WithRawCallbackMethod_GetFeedInfo<
                            v1::WithRawCallbackMethod_Search<
                                v1::WithRawCallbackMethod_ListCitingSections<
                                    v1::Service>>>>>>>>>>;

#define CEILING_UNARY(Method)                                          \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* context, \
                                   const grpc::ByteBuffer* /*request*/,  \
                                   grpc::ByteBuffer* response) override { \
    return Canned(context, response);                                   \
  }

// Every method of importai.v1.ArchiveService, registered, without parsing.
class ArchiveCeiling final : public RawArchive {
 public:
  explicit ArchiveCeiling(const grpc::ByteBuffer& response)
      : response_(response) {}

  CEILING_UNARY(GetIssue)
  CEILING_UNARY(ListIssues)
  CEILING_UNARY(GetSection)
  CEILING_UNARY(ListSections)
  CEILING_UNARY(GetTale)
  CEILING_UNARY(ListTales)
  CEILING_UNARY(GetFeedInfo)
  CEILING_UNARY(Search)
  CEILING_UNARY(ListCitingSections)

  grpc::ServerWriteReactor<grpc::ByteBuffer>* WatchIssues(
      grpc::CallbackServerContext* /*context*/,
      const grpc::ByteBuffer* /*request*/) override {
    class OneEvent final : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
     public:
      explicit OneEvent(const grpc::ByteBuffer& event) : event_(event) {
        StartWriteAndFinish(&event_, grpc::WriteOptions(), grpc::Status::OK);
      }
      void OnDone() override { delete this; }

     private:
      grpc::ByteBuffer event_;
    };
    return new OneEvent(response_);
  }

 private:
  grpc::ServerUnaryReactor* Canned(grpc::CallbackServerContext* context,
                                   grpc::ByteBuffer* response) {
    *response = response_;  // a new reference to the one slice
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

  const grpc::ByteBuffer& response_;
};

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  // As in importai-server, so neither pays for abseil's lock-order checks.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  std::ifstream in(absl::GetFlag(FLAGS_response_file), std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  if (!in) {
    std::fprintf(stderr, "ceiling_server: cannot read --response_file\n");
    return 2;
  }
  grpc::Slice slice(bytes.str());
  const grpc::ByteBuffer response(&slice, 1);
  ArchiveCeiling archive(response);
  GenericCeiling generic(response);
  // The builder as importai-server's, minus keepalive (nothing per call),
  // interceptors, health and reflection.
  grpc::ServerBuilder builder;
  int port = 0;
  const std::string listen = absl::GetFlag(FLAGS_listen);
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, 1000);
  builder.RegisterService(&archive);
  builder.RegisterCallbackGenericService(&generic);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::fprintf(stderr, "ceiling_server: cannot listen on %s\n",
                 listen.c_str());
    return 1;
  }
  std::printf("{\"msg\":\"listening\",\"address\":\"%s:%d\"}\n",
              listen.substr(0, listen.rfind(':')).c_str(), port);
  std::fflush(stdout);
  int signal_number = 0;
  sigwait(&stop, &signal_number);
  server->Shutdown();
  return 0;
}
