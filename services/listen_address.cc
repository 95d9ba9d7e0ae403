#include "services/listen_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"

namespace importai::services {
namespace {

// The host part of "HOST:PORT" or "[HOST]:PORT" ("" when there is none).
absl::string_view HostOf(absl::string_view listen) {
  if (absl::ConsumePrefix(&listen, "[")) {
    const size_t close = listen.find(']');
    return close == absl::string_view::npos ? "" : listen.substr(0, close);
  }
  const size_t colon = listen.rfind(':');
  return colon == absl::string_view::npos ? listen : listen.substr(0, colon);
}

bool IsLoopbackHost(absl::string_view host) {
  if (absl::AsciiStrToLower(host) == "localhost") return true;
  const std::string text(host);
  in_addr v4;
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6;
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    return IN6_IS_ADDR_LOOPBACK(&v6) ||
           (IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127);
  }
  return false;
}

}  // namespace

bool IsLoopbackListen(absl::string_view listen) {
  // gRPC's Unix socket schemes: reachable through the filesystem only.
  if (absl::StartsWith(listen, "unix:") ||
      absl::StartsWith(listen, "unix-abstract:")) {
    return true;
  }
  return IsLoopbackHost(HostOf(listen));
}

}  // namespace importai::services
