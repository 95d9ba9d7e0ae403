#ifndef IMPORTAI_CMD_CLI_SERVER_TARGET_H_
#define IMPORTAI_CMD_CLI_SERVER_TARGET_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/support/channel_arguments.h"

// `importai --server=...`: what it names, as one gRPC channel target.
namespace importai::cli {

// What a --server value becomes.
struct ServerTarget {
  // The target the channel is created with.
  std::string uri;
  // Calls spread over every address (gRPC's round_robin, which picks only
  // servers it is connected to) rather than all going to the first address
  // that connects (pick_first, gRPC's default).
  bool round_robin = false;
  // Non-empty: the channel's authority (the :authority header, and the name
  // TLS verifies the server's certificate against) instead of the one gRPC
  // derives from `uri`.
  std::string authority;
};

// The IP addresses of a host name, as literals ("127.0.0.1", "::1").
struct HostAddresses {
  std::vector<std::string> ipv4;
  std::vector<std::string> ipv6;
};

// Looks a host name up; an error (naming the host) when it has no address.
using HostResolver =
    std::function<absl::StatusOr<HostAddresses>(const std::string& host)>;

// The system's resolver (getaddrinfo): /etc/hosts, DNS and so on.
absl::StatusOr<HostAddresses> ResolveHost(const std::string& host);

// Parses --server:
//  - HOST:PORT ("127.0.0.1:50051", "[::1]:50051", "archive:50051") stays as
//    it is: gRPC resolves the name and uses pick_first, as always.
//  - A target with a scheme is passed to gRPC as it is; dns: ("dns:///NAME:
//    PORT", which must have its port), ipv4: and ipv6: (which may list
//    several addresses) get round_robin over every address they stand for.
//    Other schemes (unix:, ...) keep gRPC's default policy.
//  - HOST:PORT,HOST:PORT,... becomes one channel with round_robin over all of
//    them. gRPC 1.51 takes such a list only as IP literals (an ipv4: or an
//    ipv6: URI), so host names in it are resolved here, once, with
//    `resolve`: a name added to DNS later, or whose addresses change, is not
//    seen until the next run (a dns:/// name is, as gRPC re-resolves it).
//    Each name stands for its IPv4 addresses when it has any (importai-server
//    listens on 127.0.0.1 by default, and "localhost" often also has ::1),
//    else its IPv6 ones. One URI holds one family, so a list that needs IPv6
//    is written as ipv6: with its IPv4 addresses v4-mapped ([::ffff:1.2.3.4]),
//    which is how gRPC connects to IPv4 addresses anyway (a dual-stack socket,
//    falling back to IPv4 where there is no IPv6). The authority is the first
//    element as written, so with TLS every server of a list must have a
//    certificate valid for the first host.
// Errors (INVALID_ARGUMENT, or the resolver's) name the element at fault: an
// empty one, a missing or bad port (1 to 65535), an IPv6 address without
// brackets, a URI inside a list, a name that does not resolve.
absl::StatusOr<ServerTarget> ParseServerTarget(
    absl::string_view server, const HostResolver& resolve = ResolveHost);

// Sets what `target` needs beyond its URI on a channel's arguments: the
// round_robin policy (as the default service config) and the authority.
void ApplyServerTarget(const ServerTarget& target,
                       grpc::ChannelArguments& args);

}  // namespace importai::cli

#endif  // IMPORTAI_CMD_CLI_SERVER_TARGET_H_
