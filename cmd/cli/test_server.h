#ifndef IMPORTAI_CMD_CLI_TEST_SERVER_H_
#define IMPORTAI_CMD_CLI_TEST_SERVER_H_

// For the CLI's tests: fake services on a real loopback gRPC server.

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"

namespace importai::cli {

// Serves `services` (plaintext) on `listen`, e.g. "127.0.0.1:0" for a free
// port, and sets `address` to the HOST:PORT it listens on; `generic`, when
// given, answers every other method. Null if it could not listen.
inline std::unique_ptr<grpc::Server> StartTestServer(
    const std::vector<grpc::Service*>& services, const std::string& listen,
    std::string& address, grpc::CallbackGenericService* generic = nullptr) {
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  for (grpc::Service* service : services) builder.RegisterService(service);
  if (generic != nullptr) builder.RegisterCallbackGenericService(generic);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) return nullptr;
  address = absl::StrCat(listen.substr(0, listen.rfind(':')), ":", port);
  return server;
}

}  // namespace importai::cli

#endif  // IMPORTAI_CMD_CLI_TEST_SERVER_H_
