#include "cmd/cli/server_target.h"

#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace importai::cli {
namespace {

using ::testing::HasSubstr;

// Knows a few names; anything else does not resolve.
absl::StatusOr<HostAddresses> FakeResolve(const std::string& host) {
  if (host == "both") return HostAddresses{{"10.0.0.1"}, {"fd00::1"}};
  if (host == "two-a") return HostAddresses{{"10.0.0.2", "10.0.0.3"}, {}};
  if (host == "v6-only") return HostAddresses{{}, {"fd00::2"}};
  if (host == "nothing") return HostAddresses{};
  return absl::InvalidArgumentError("cannot resolve \"" + host +
                                    "\": Name or service not known");
}

absl::StatusOr<ServerTarget> Parse(absl::string_view server) {
  return ParseServerTarget(server, FakeResolve);
}

// The message of the error `server` gets (empty if it parsed).
std::string Error(absl::string_view server) {
  return std::string(Parse(server).status().message());
}

TEST(ParseServerTargetTest, OneHostPortStaysAsItIsWithPickFirst) {
  for (const char* server :
       {"127.0.0.1:50051", "[::1]:50051", "archive.example:443", "unknown:1"}) {
    const absl::StatusOr<ServerTarget> target = Parse(server);
    ASSERT_TRUE(target.ok()) << server << ": " << target.status();
    EXPECT_EQ(target->uri, server);
    EXPECT_FALSE(target->round_robin) << server;
    EXPECT_EQ(target->authority, "") << server;
  }
  // Surrounding spaces (e.g. from the environment) do not count.
  EXPECT_EQ(Parse(" 127.0.0.1:1 ")->uri, "127.0.0.1:1");
}

TEST(ParseServerTargetTest, DnsNamesGetRoundRobinAndKeepTheirUri) {
  for (const char* server : {"dns:///archive.example:50051", "dns:archive:1",
                             "dns://8.8.8.8/archive:1", "dns:///[::1]:1"}) {
    const absl::StatusOr<ServerTarget> target = Parse(server);
    ASSERT_TRUE(target.ok()) << server << ": " << target.status();
    EXPECT_EQ(target->uri, server);
    EXPECT_TRUE(target->round_robin) << server;
    EXPECT_EQ(target->authority, "") << server;  // gRPC's: the name
  }
}

TEST(ParseServerTargetTest, OtherUrisPassThrough) {
  const absl::StatusOr<ServerTarget> list = Parse("ipv4:10.0.0.1:1,10.0.0.2:1");
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ(list->uri, "ipv4:10.0.0.1:1,10.0.0.2:1");
  EXPECT_TRUE(list->round_robin);
  const absl::StatusOr<ServerTarget> unix_socket =
      Parse("unix:/run/importai.sock");
  ASSERT_TRUE(unix_socket.ok()) << unix_socket.status();
  EXPECT_EQ(unix_socket->uri, "unix:/run/importai.sock");
  EXPECT_FALSE(unix_socket->round_robin);
}

// A list becomes one round_robin URI of IP literals, its authority the first
// element as written.
TEST(ParseServerTargetTest, AListIsOneRoundRobinUriOfIpLiterals) {
  struct Case {
    const char* server;
    const char* uri;
  };
  const Case cases[] = {
      {"127.0.0.1:50051, 127.0.0.1:50052,10.1.2.3:7",
       "ipv4:127.0.0.1:50051,127.0.0.1:50052,10.1.2.3:7"},
      {"[::1]:1,[fd00::9]:2", "ipv6:[::1]:1,[fd00::9]:2"},
      // A name stands for its IPv4 addresses when it has any ("both" also
      // has IPv6), and for all of them ("two-a" has two).
      {"both:1,two-a:2", "ipv4:10.0.0.1:1,10.0.0.2:2,10.0.0.3:2"},
      // A list that needs IPv6 is an ipv6: URI, its IPv4 addresses mapped.
      {"127.0.0.1:1,v6-only:2,[::1]:3,both:4",
       "ipv6:[::ffff:127.0.0.1]:1,[fd00::2]:2,[::1]:3,[::ffff:10.0.0.1]:4"},
      // The same server named twice counts once.
      {"both:1,10.0.0.1:1,both:2", "ipv4:10.0.0.1:1,10.0.0.1:2"},
  };
  for (const Case& c : cases) {
    const absl::StatusOr<ServerTarget> target = Parse(c.server);
    ASSERT_TRUE(target.ok()) << c.server << ": " << target.status();
    EXPECT_EQ(target->uri, c.uri) << c.server;
    EXPECT_TRUE(target->round_robin) << c.server;
    const absl::string_view server = c.server;
    EXPECT_EQ(target->authority, server.substr(0, server.find(',')));
  }
}

TEST(ParseServerTargetTest, ResolvesLocalhostWithTheSystemResolver) {
  const absl::StatusOr<HostAddresses> localhost = ResolveHost("localhost");
  ASSERT_TRUE(localhost.ok()) << localhost.status();
  EXPECT_FALSE(localhost->ipv4.empty() && localhost->ipv6.empty());
  const absl::StatusOr<ServerTarget> target =
      ParseServerTarget("localhost:1,localhost:2");
  ASSERT_TRUE(target.ok()) << target.status();
  EXPECT_TRUE(target->round_robin);
  EXPECT_EQ(target->authority, "localhost:1");
  EXPECT_THAT(ResolveHost("no-such-host.invalid").status().message(),
              HasSubstr("cannot resolve \"no-such-host.invalid\""));
}

TEST(ParseServerTargetTest, ErrorsNameTheElementAtFault) {
  EXPECT_EQ(Error(""), "no address given");
  EXPECT_EQ(Error("localhost"), "\"localhost\": no :PORT (HOST:PORT)");
  EXPECT_EQ(Error("a:1,,b:2"), "element 2 of the list is empty");
  EXPECT_EQ(Error("a:1,"), "element 2 of the list is empty");
  EXPECT_EQ(Error("127.0.0.1:1,b"), "\"b\": no :PORT (HOST:PORT)");
  EXPECT_EQ(Error("127.0.0.1:1,b:x"),
            "\"b:x\": the port must be 1 to 65535, got \"x\"");
  EXPECT_EQ(Error("127.0.0.1:1,b:0"),
            "\"b:0\": the port must be 1 to 65535, got \"0\"");
  EXPECT_EQ(Error("127.0.0.1:1,b:65536"),
            "\"b:65536\": the port must be 1 to 65535, got \"65536\"");
  EXPECT_EQ(Error("127.0.0.1:1,b:+1"),
            "\"b:+1\": the port must be 1 to 65535, got \"+1\"");
  EXPECT_EQ(Error("127.0.0.1:1,:2"), "\":2\": no host before the :PORT");
  EXPECT_EQ(Error("::1:50051"),
            "\"::1:50051\": an IPv6 address goes in brackets: "
            "[ADDRESS]:PORT");
  EXPECT_EQ(Error("[::1:50051"), "\"[::1:50051\": no ] after the IPv6 address");
  EXPECT_EQ(Error("[::1]50051"), "\"[::1]50051\": no :PORT after the ]");
  EXPECT_EQ(Error("127.0.0.1:1,dns:///b:2"),
            "\"dns:///b:2\": a list takes HOST:PORT addresses; a URI such as "
            "dns:///NAME:PORT goes alone");
  EXPECT_EQ(Error("127.0.0.1:1,nowhere:2"),
            "\"nowhere:2\": cannot resolve \"nowhere\": Name or service not "
            "known");
  EXPECT_EQ(Error("127.0.0.1:1,nothing:2"),
            "\"nothing:2\": its host has no address");
  EXPECT_EQ(Error("dns:///archive"),
            "\"dns:///archive\": \"archive\": no :PORT (HOST:PORT)");
  EXPECT_EQ(Error("dns://archive:1"),
            "\"dns://archive:1\": expected dns:///NAME:PORT");
  EXPECT_EQ(Parse("a:1,b").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ApplyServerTargetTest, SetsRoundRobinAndTheAuthority) {
  grpc::ChannelArguments args;
  ServerTarget target;
  target.uri = "ipv4:127.0.0.1:1,127.0.0.1:2";
  target.round_robin = true;
  target.authority = "localhost:1";
  ApplyServerTarget(target, args);
  const grpc_channel_args c_args = args.c_channel_args();
  std::string service_config, authority;
  for (size_t i = 0; i < c_args.num_args; ++i) {
    const grpc_arg& arg = c_args.args[i];
    if (arg.type != GRPC_ARG_STRING) continue;
    if (std::string(arg.key) == GRPC_ARG_SERVICE_CONFIG) {
      service_config = arg.value.string;
    } else if (std::string(arg.key) == GRPC_ARG_DEFAULT_AUTHORITY) {
      authority = arg.value.string;
    }
  }
  EXPECT_EQ(service_config, R"({"loadBalancingConfig":[{"round_robin":{}}]})");
  EXPECT_EQ(authority, "localhost:1");
}

}  // namespace
}  // namespace importai::cli
