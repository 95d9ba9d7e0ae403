#ifndef IMPORTAI_SERVICES_GRPC_STATUS_H_
#define IMPORTAI_SERVICES_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace importai::services {

// The one place where an absl::Status from below becomes a gRPC status: the
// canonical codes are numerically the same, and the message is kept.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace importai::services

#endif  // IMPORTAI_SERVICES_GRPC_STATUS_H_
