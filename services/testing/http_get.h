#ifndef IMPORTAI_SERVICES_TESTING_HTTP_GET_H_
#define IMPORTAI_SERVICES_TESTING_HTTP_GET_H_

#include <string>

#include "absl/status/statusor.h"

namespace importai::services::testing {

// A TCP connection to 127.0.0.1:`port`; the caller closes the descriptor.
absl::StatusOr<int> ConnectLoopback(int port);

// Sends "GET `path`" to 127.0.0.1:`port` and returns the whole response,
// status line and headers included.
absl::StatusOr<std::string> HttpGet(int port, const std::string& path);

}  // namespace importai::services::testing

#endif  // IMPORTAI_SERVICES_TESTING_HTTP_GET_H_
