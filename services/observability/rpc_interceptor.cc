#include "services/observability/rpc_interceptor.h"

#include <string>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "grpcpp/server_context.h"
#include "services/observability/log.h"

namespace importai::services {
namespace {

bool IsServerFault(grpc::StatusCode code) {
  return code == grpc::StatusCode::UNKNOWN ||
         code == grpc::StatusCode::INTERNAL ||
         code == grpc::StatusCode::DATA_LOSS ||
         code == grpc::StatusCode::UNIMPLEMENTED;
}

class RpcObserver final : public grpc::experimental::Interceptor {
 public:
  RpcObserver(grpc::experimental::ServerRpcInfo* info, ServerMetrics& metrics)
      : info_(*info), metrics_(metrics), start_(absl::Now()) {}

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
      Observe(methods->GetSendStatus());
    }
    methods->Proceed();
  }

 private:
  void Observe(const grpc::Status& status) {
    const absl::Duration duration = absl::Now() - start_;
    const std::string method = info_.method();
    const auto code = static_cast<absl::StatusCode>(status.error_code());
    metrics_.RecordRpc(method, code, duration);
    const log::Level level = IsServerFault(status.error_code())
                                 ? log::Level::kError
                                 : log::Level::kInfo;
    if (!log::Enabled(level)) return;
    const grpc::ServerContextBase* context = info_.server_context();
    const std::string peer = context != nullptr ? context->peer() : "";
    log::Write(level, "rpc",
               {{"method", method},
                {"peer", peer},
                {"code", absl::StatusCodeToString(code)},
                {"duration_ms", absl::ToDoubleMilliseconds(duration)},
                {"error", status.error_message()}});
  }

  grpc::experimental::ServerRpcInfo& info_;
  ServerMetrics& metrics_;
  const absl::Time start_;
};

}  // namespace

grpc::experimental::Interceptor* RpcObserverFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new RpcObserver(info, metrics_);
}

}  // namespace importai::services
