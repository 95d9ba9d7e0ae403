#ifndef IMPORTAI_SERVICES_GRPC_STATUS_H_
#define IMPORTAI_SERVICES_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "grpcpp/support/status.h"

namespace importai::services {

// The one place where an absl::Status from below becomes a gRPC status: the
// canonical codes are numerically the same, and the message is kept.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The other way, for a call this server makes (a replica to its primary):
// the message is prefixed with `what`, the call that failed.
absl::Status FromGrpcStatus(const grpc::Status& status, absl::string_view what);

}  // namespace importai::services

#endif  // IMPORTAI_SERVICES_GRPC_STATUS_H_
