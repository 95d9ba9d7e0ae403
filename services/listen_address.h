#ifndef IMPORTAI_SERVICES_LISTEN_ADDRESS_H_
#define IMPORTAI_SERVICES_LISTEN_ADDRESS_H_

#include "absl/strings/string_view.h"

namespace importai::services {

// Whether a gRPC listen address ("HOST:PORT", "[IPV6]:PORT", "unix:PATH")
// is reachable from this machine only: a host in 127.0.0.0/8, ::1 (or
// ::ffff:127.x.x.x), "localhost", or a Unix socket. Anything else is not,
// including the wildcards 0.0.0.0 and ::, an empty host and every other
// name, which may resolve to any interface.
bool IsLoopbackListen(absl::string_view listen);

}  // namespace importai::services

#endif  // IMPORTAI_SERVICES_LISTEN_ADDRESS_H_
