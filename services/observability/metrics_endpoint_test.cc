// MetricsEndpoint over real sockets: what it serves, binding errors, and
// clients that connect and stall.
#include "services/observability/metrics_endpoint.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prometheus/counter.h"
#include "prometheus/registry.h"
#include "services/observability/scrape_gauges.h"
#include "services/testing/http_get.h"

namespace importai::services {
namespace {

using ::importai::testing::IsOk;
using ::importai::testing::StatusIs;
using ::testing::AllOf;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::shared_ptr<prometheus::Registry> OneCounter() {
  auto registry = std::make_shared<prometheus::Registry>();
  prometheus::BuildCounter()
      .Name("importai_test_total")
      .Help("A counter.")
      .Register(*registry)
      .Add({{"kind", "a"}})
      .Increment(5);
  return registry;
}

absl::StatusOr<std::unique_ptr<MetricsEndpoint>> Start(
    const std::string& listen) {
  return MetricsEndpoint::Start(listen, {OneCounter()});
}

// Whether the peer has neither sent anything nor closed `fd`.
bool StillOpenAndSilent(int fd) {
  pollfd readable = {fd, POLLIN, 0};
  return poll(&readable, 1, 0) == 0;
}

TEST(MetricsEndpointTest, ServesEveryCollectableAtMetricsOnly) {
  int reads = 0;
  auto gauges = std::make_shared<ScrapeGauges>([&reads] {
    ++reads;
    MetricGauges values;
    values.head_revision = 5;
    return values;
  });
  auto endpoint = MetricsEndpoint::Start("127.0.0.1:0", {OneCounter(), gauges});
  ASSERT_THAT(endpoint, IsOk());
  const int port = (*endpoint)->port();
  ASSERT_GT(port, 0);
  EXPECT_EQ(reads, 0);
  auto metrics = testing::HttpGet(port, "/metrics");
  ASSERT_THAT(metrics, IsOk());
  EXPECT_THAT(*metrics,
              AllOf(StartsWith("HTTP/1.1 200 OK\r\n"),
                    HasSubstr("Content-Type: text/plain"),
                    HasSubstr("# HELP importai_test_total A counter.\n"),
                    HasSubstr("importai_test_total{kind=\"a\"} 5\n"),
                    EndsWith("importai_rocksdb_block_cache_lookups_total{"
                             "result=\"miss\"} 0\n")));
  EXPECT_THAT(*metrics, HasSubstr("\nimportai_head_revision 5\n"));
  EXPECT_EQ(reads, 1);
  auto other = testing::HttpGet(port, "/");
  ASSERT_THAT(other, IsOk());
  EXPECT_THAT(*other, StartsWith("HTTP/1.1 404 Not Found"));
  EXPECT_EQ(reads, 1);
}

TEST(MetricsEndpointTest, ABusyOrMalformedAddressIsUnavailableNamingTheFlag) {
  auto first = Start("127.0.0.1:0");
  ASSERT_THAT(first, IsOk());
  EXPECT_THAT(Start(absl::StrCat("127.0.0.1:", (*first)->port())),
              StatusIs(absl::StatusCode::kUnavailable,
                       HasSubstr("metrics_listen: cannot serve on")));
  for (const char* listen :
       {"no-port", "127.0.0.1:", "127.0.0.1:80s", "127.0.0.1:0,127.0.0.1:0",
        "256.0.0.1:0", "[::1]:0"}) {
    EXPECT_THAT(Start(listen), StatusIs(absl::StatusCode::kUnavailable,
                                        HasSubstr("metrics_listen")))
        << listen;
  }
}

TEST(MetricsEndpointTest, TheHostMayBeANameOrEmpty) {
  for (const char* listen : {"localhost:0", ":0"}) {
    auto endpoint = Start(listen);
    ASSERT_THAT(endpoint, IsOk()) << listen;
    auto metrics = testing::HttpGet((*endpoint)->port(), "/metrics");
    ASSERT_THAT(metrics, IsOk());
    EXPECT_THAT(*metrics, StartsWith("HTTP/1.1 200 OK\r\n")) << listen;
  }
}

TEST(MetricsEndpointTest, ClientsThatStallDoNotHoldUpAScrape) {
  auto endpoint = Start("127.0.0.1:0");
  ASSERT_THAT(endpoint, IsOk());
  const int port = (*endpoint)->port();
  // Connected before the scrape, so queued ahead of it: each holds one of
  // the endpoint's threads until kRequestTimeout.
  const std::vector<std::string> partial_requests = {
      "", "GET /metr", "GET /metrics HTTP/1.1\r\nHost: x\r\n"};
  ASSERT_LT(partial_requests.size(), MetricsEndpoint::kThreads);
  std::vector<int> stalled;
  for (const std::string& partial : partial_requests) {
    auto fd = testing::ConnectLoopback(port);
    ASSERT_THAT(fd, IsOk());
    stalled.push_back(*fd);
    ASSERT_EQ(send(*fd, partial.data(), partial.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(partial.size()));
  }
  auto metrics = testing::HttpGet(port, "/metrics");
  ASSERT_THAT(metrics, IsOk());
  EXPECT_THAT(*metrics,
              AllOf(StartsWith("HTTP/1.1 200 OK\r\n"),
                    HasSubstr("importai_test_total{kind=\"a\"} 5\n")));
  // Still open: the scrape was answered beside them, not after the server
  // timed them out.
  for (int fd : stalled) {
    EXPECT_TRUE(StillOpenAndSilent(fd));
    close(fd);
  }
}

}  // namespace
}  // namespace importai::services
