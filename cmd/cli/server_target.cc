#include "cmd/cli/server_target.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/status_macros.h"

namespace importai::cli {
namespace {

constexpr char kRoundRobinServiceConfig[] =
    R"({"loadBalancingConfig":[{"round_robin":{}}]})";

// The resolver schemes gRPC 1.51 has, which a target may start with without
// "//" ("dns:name:port", "unix:path").
constexpr absl::string_view kKnownSchemes[] = {
    "dns", "ipv4", "ipv6", "unix", "unix-abstract", "vsock", "xds"};

// The scheme of a target that has one: a known one before the first colon,
// or any "SCHEME://". "host:port" has none.
std::optional<absl::string_view> SchemeOf(absl::string_view target) {
  const size_t colon = target.find(':');
  if (colon == absl::string_view::npos) return std::nullopt;
  const absl::string_view scheme = target.substr(0, colon);
  if (std::find(std::begin(kKnownSchemes), std::end(kKnownSchemes), scheme) !=
      std::end(kKnownSchemes)) {
    return scheme;
  }
  const bool looks_like_a_scheme =
      !scheme.empty() && std::all_of(scheme.begin(), scheme.end(), [](char c) {
        return absl::ascii_isalnum(c) || c == '+' || c == '-' || c == '.';
      });
  if (looks_like_a_scheme && absl::StartsWith(target.substr(colon), "://")) {
    return scheme;
  }
  return std::nullopt;
}

absl::Status BadAddress(absl::string_view address, absl::string_view problem) {
  return absl::InvalidArgumentError(
      absl::StrCat("\"", address, "\": ", problem));
}

struct HostPort {
  std::string host;  // IPv6 without its brackets
  int port = 0;
};

// "host:port", "1.2.3.4:port" or "[v6]:port"; the port is required.
absl::StatusOr<HostPort> SplitHostPort(absl::string_view address) {
  absl::string_view rest = address;
  absl::string_view host, port;
  if (absl::ConsumePrefix(&rest, "[")) {
    const size_t close = rest.find(']');
    if (close == absl::string_view::npos) {
      return BadAddress(address, "no ] after the IPv6 address");
    }
    host = rest.substr(0, close);
    rest.remove_prefix(close + 1);
    if (!absl::ConsumePrefix(&rest, ":")) {
      return BadAddress(address, "no :PORT after the ]");
    }
    port = rest;
  } else {
    const size_t colon = rest.rfind(':');
    if (colon == absl::string_view::npos) {
      return BadAddress(address, "no :PORT (HOST:PORT)");
    }
    host = rest.substr(0, colon);
    if (absl::StrContains(host, ':')) {
      return BadAddress(address,
                        "an IPv6 address goes in brackets: [ADDRESS]:PORT");
    }
    port = rest.substr(colon + 1);
  }
  if (host.empty()) return BadAddress(address, "no host before the :PORT");
  HostPort parsed{std::string(host)};
  if (port.empty() ||
      !std::all_of(port.begin(), port.end(), absl::ascii_isdigit) ||
      !absl::SimpleAtoi(port, &parsed.port) || parsed.port < 1 ||
      parsed.port > 65535) {
    return BadAddress(
        address,
        absl::StrCat("the port must be 1 to 65535, got \"", port, "\""));
  }
  return parsed;
}

// dns:NAME:PORT, dns:///NAME:PORT or dns://DNS-SERVER/NAME:PORT: the name
// must have its port (gRPC would otherwise use 443).
absl::Status CheckDnsTarget(absl::string_view target) {
  absl::string_view name = target;
  absl::ConsumePrefix(&name, "dns:");
  if (absl::ConsumePrefix(&name, "//")) {
    const size_t slash = name.find('/');
    if (slash == absl::string_view::npos) {
      return BadAddress(target, "expected dns:///NAME:PORT");
    }
    name.remove_prefix(slash + 1);
  }
  absl::Status status = SplitHostPort(name).status();
  if (status.ok()) return status;
  return absl::InvalidArgumentError(
      absl::StrCat("\"", target, "\": ", status.message()));
}

bool IsIpv4Literal(const std::string& host) {
  in_addr address;
  return inet_pton(AF_INET, host.c_str(), &address) == 1;
}

bool IsIpv6Literal(const std::string& host) {
  in6_addr address;
  return inet_pton(AF_INET6, host.c_str(), &address) == 1;
}

// One address of a list, resolved.
struct Endpoint {
  std::string ip;  // a literal
  bool ipv6 = false;
  int port = 0;
};

// "HOST:PORT,HOST:PORT,...": round_robin over every address (see the header
// for the choice of addresses and of the URI's family).
absl::StatusOr<ServerTarget> ParseList(absl::string_view server,
                                       const HostResolver& resolve) {
  // Every element's syntax first, so a typo costs no lookups.
  std::vector<absl::string_view> elements = absl::StrSplit(server, ',');
  std::vector<HostPort> parsed;
  for (size_t i = 0; i < elements.size(); ++i) {
    elements[i] = absl::StripAsciiWhitespace(elements[i]);
    if (elements[i].empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("element ", i + 1, " of the list is empty"));
    }
    if (SchemeOf(elements[i]).has_value()) {
      return BadAddress(elements[i],
                        "a list takes HOST:PORT addresses; a URI such as "
                        "dns:///NAME:PORT goes alone");
    }
    IMPORTAI_ASSIGN_OR_RETURN(HostPort address, SplitHostPort(elements[i]));
    parsed.push_back(std::move(address));
  }
  std::vector<Endpoint> endpoints;
  for (size_t i = 0; i < elements.size(); ++i) {
    const HostPort& address = parsed[i];
    HostAddresses found;
    if (IsIpv4Literal(address.host)) {
      found.ipv4.push_back(address.host);
    } else if (IsIpv6Literal(address.host)) {
      found.ipv6.push_back(address.host);
    } else {
      absl::StatusOr<HostAddresses> resolved = resolve(address.host);
      if (!resolved.ok()) {
        return absl::Status(resolved.status().code(),
                            absl::StrCat("\"", elements[i],
                                         "\": ", resolved.status().message()));
      }
      found = *std::move(resolved);
    }
    if (found.ipv4.empty() && found.ipv6.empty()) {
      return BadAddress(elements[i], "its host has no address");
    }
    // IPv4 when the host has it: see the header.
    const bool ipv6 = found.ipv4.empty();
    for (const std::string& ip : ipv6 ? found.ipv6 : found.ipv4) {
      endpoints.push_back({ip, ipv6, address.port});
    }
  }
  const bool any_ipv6 =
      std::any_of(endpoints.begin(), endpoints.end(),
                  [](const Endpoint& endpoint) { return endpoint.ipv6; });
  std::vector<std::string> addresses;
  std::set<std::string> seen;  // The same server named twice counts once.
  for (const Endpoint& endpoint : endpoints) {
    std::string address =
        !any_ipv6
            ? absl::StrCat(endpoint.ip, ":", endpoint.port)
            : absl::StrCat("[", endpoint.ipv6 ? "" : "::ffff:", endpoint.ip,
                           "]:", endpoint.port);
    if (seen.insert(address).second) addresses.push_back(std::move(address));
  }
  ServerTarget target;
  target.uri =
      absl::StrCat(any_ipv6 ? "ipv6:" : "ipv4:", absl::StrJoin(addresses, ","));
  target.round_robin = true;
  target.authority = std::string(elements[0]);
  return target;
}

}  // namespace

absl::StatusOr<HostAddresses> ResolveHost(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (const int error = getaddrinfo(host.c_str(), nullptr, &hints, &found);
      error != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot resolve \"", host, "\": ", gai_strerror(error)));
  }
  HostAddresses addresses;
  auto add = [](std::vector<std::string>& to, int family, const void* ip) {
    char text[INET6_ADDRSTRLEN];
    if (inet_ntop(family, ip, text, sizeof(text)) == nullptr) return;
    if (std::find(to.begin(), to.end(), text) == to.end()) to.push_back(text);
  };
  for (const addrinfo* info = found; info != nullptr; info = info->ai_next) {
    if (info->ai_family == AF_INET) {
      add(addresses.ipv4, AF_INET,
          &reinterpret_cast<const sockaddr_in*>(info->ai_addr)->sin_addr);
    } else if (info->ai_family == AF_INET6) {
      add(addresses.ipv6, AF_INET6,
          &reinterpret_cast<const sockaddr_in6*>(info->ai_addr)->sin6_addr);
    }
  }
  freeaddrinfo(found);
  if (addresses.ipv4.empty() && addresses.ipv6.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot resolve \"", host, "\": no IP address"));
  }
  return addresses;
}

absl::StatusOr<ServerTarget> ParseServerTarget(absl::string_view server,
                                               const HostResolver& resolve) {
  server = absl::StripAsciiWhitespace(server);
  if (server.empty()) return absl::InvalidArgumentError("no address given");
  ServerTarget target;
  if (std::optional<absl::string_view> scheme = SchemeOf(server)) {
    if (*scheme == "dns") IMPORTAI_RETURN_IF_ERROR(CheckDnsTarget(server));
    target.uri = std::string(server);
    target.round_robin =
        *scheme == "dns" || *scheme == "ipv4" || *scheme == "ipv6";
    return target;
  }
  if (absl::StrContains(server, ',')) return ParseList(server, resolve);
  IMPORTAI_RETURN_IF_ERROR(SplitHostPort(server).status());
  target.uri = std::string(server);
  return target;
}

void ApplyServerTarget(const ServerTarget& target,
                       grpc::ChannelArguments& args) {
  if (target.round_robin) args.SetServiceConfigJSON(kRoundRobinServiceConfig);
  if (!target.authority.empty()) {
    args.SetString(GRPC_ARG_DEFAULT_AUTHORITY, target.authority);
  }
}

}  // namespace importai::cli
