#ifndef IMPORTAI_SERVICES_OBSERVABILITY_RPC_INTERCEPTOR_H_
#define IMPORTAI_SERVICES_OBSERVABILITY_RPC_INTERCEPTOR_H_

#include "grpcpp/support/server_interceptor.h"
#include "services/observability/server_metrics.h"

namespace importai::services {

// Sees every RPC's end: records its method, status code and duration in
// `metrics` and writes one log line (info; error for codes that mean the
// server failed: UNKNOWN, INTERNAL, DATA_LOSS, UNIMPLEMENTED).
class RpcObserverFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit RpcObserverFactory(ServerMetrics* metrics) : metrics_(*metrics) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  ServerMetrics& metrics_;
};

}  // namespace importai::services

#endif  // IMPORTAI_SERVICES_OBSERVABILITY_RPC_INTERCEPTOR_H_
