#ifndef IMPORTAI_SERVICES_REPLY_H_
#define IMPORTAI_SERVICES_REPLY_H_

#include "absl/status/status.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "services/grpc_status.h"

namespace importai::services {

// Finishes a unary callback RPC whose work is already done inline (reads hit
// RocksDB's memtable and block cache, so handing them to another thread would
// cost more than it saves).
inline grpc::ServerUnaryReactor* Reply(grpc::CallbackServerContext* context,
                                       const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

}  // namespace importai::services

#endif  // IMPORTAI_SERVICES_REPLY_H_
