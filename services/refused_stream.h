#ifndef IMPORTAI_SERVICES_REFUSED_STREAM_H_
#define IMPORTAI_SERVICES_REFUSED_STREAM_H_

#include "absl/status/status.h"
#include "grpcpp/support/server_callback.h"
#include "services/grpc_status.h"

namespace importai::services {

// A server-streaming call ended with `status` before it sent anything.
template <typename Message>
class RefusedStream final : public grpc::ServerWriteReactor<Message> {
 public:
  explicit RefusedStream(const absl::Status& status) {
    this->Finish(ToGrpcStatus(status));
  }
  void OnDone() override { delete this; }
};

}  // namespace importai::services

#endif  // IMPORTAI_SERVICES_REFUSED_STREAM_H_
