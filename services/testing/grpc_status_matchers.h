#ifndef IMPORTAI_SERVICES_TESTING_GRPC_STATUS_MATCHERS_H_
#define IMPORTAI_SERVICES_TESTING_GRPC_STATUS_MATCHERS_H_

#include <string>

#include "gmock/gmock.h"
#include "grpcpp/support/status.h"

namespace importai::services::testing {

// StatusIs (common/testing/status_matchers.h) for a grpc::Status, as a call
// returns it: its code is `code` and its message matches `message_matcher`.
MATCHER_P2(GrpcStatusIs, code, message_matcher,
           "has gRPC code " + ::testing::PrintToString(code)) {
  *result_listener << "status is " << arg.error_code() << ": "
                   << arg.error_message();
  return arg.error_code() == code &&
         ::testing::ExplainMatchResult(message_matcher, arg.error_message(),
                                       result_listener);
}

}  // namespace importai::services::testing

#endif  // IMPORTAI_SERVICES_TESTING_GRPC_STATUS_MATCHERS_H_
