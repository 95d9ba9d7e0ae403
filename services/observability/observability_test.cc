#include <string>

#include "absl/strings/str_cat.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/observability/log.h"
#include "services/observability/metrics_http_server.h"
#include "services/observability/server_metrics.h"
#include "services/testing/http_get.h"

namespace importai::services {
namespace {

using ::importai::testing::IsOk;
using ::importai::testing::StatusIs;
using ::testing::AllOf;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::StartsWith;

TEST(LogTest, FormatsOneJsonObjectPerLineWithEscapes) {
  const std::string line =
      log::FormatLine(log::Level::kInfo, "rpc",
                      {{"method", "/importai.v1.ArchiveService/GetIssue"},
                       {"error", "bad \"name\"\n\\ here"},
                       {"code", 5},
                       {"duration_ms", 0.25}});
  EXPECT_THAT(line,
              MatchesRegex("\\{\"ts\":\"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z\","
                           "\"level\":\"info\",\"msg\":\"rpc\",.*\\}\n"));
  EXPECT_THAT(line,
              HasSubstr("\"method\":\"/importai.v1.ArchiveService/GetIssue\","
                        "\"error\":\"bad \\\"name\\\"\\n\\\\ here\","
                        "\"code\":5,\"duration_ms\":0.25}"));
  EXPECT_THAT(log::FormatLine(log::Level::kError, "x\x01", {}),
              HasSubstr("\"level\":\"error\",\"msg\":\"x\\u0001\""));
}

TEST(LogTest, LevelsParseAndFilter) {
  EXPECT_THAT(log::ParseLevel("WARNING"), IsOk());
  EXPECT_THAT(log::ParseLevel("loud"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("log_level: \"loud\"")));
  log::SetMinLevel(log::Level::kWarning);
  EXPECT_FALSE(log::Enabled(log::Level::kInfo));
  EXPECT_TRUE(log::Enabled(log::Level::kError));
  log::SetMinLevel(log::Level::kInfo);
  EXPECT_TRUE(log::Enabled(log::Level::kInfo));
}

TEST(ServerMetricsTest, RendersCountsCumulativeHistogramsAndGauges) {
  ServerMetrics metrics;
  const std::string get = "/importai.v1.ArchiveService/GetIssue";
  metrics.RecordRpc(get, "OK", absl::Microseconds(80));
  metrics.RecordRpc(get, "OK", absl::Milliseconds(3));
  metrics.RecordRpc(get, "NOT_FOUND", absl::Microseconds(50));
  metrics.RecordRpc(get, "OK", absl::Seconds(100));  // beyond every bucket
  metrics.RecordIngestOutcome(v1::INGEST_OUTCOME_CREATED);
  metrics.RecordIngestOutcome(v1::INGEST_OUTCOME_CREATED);
  metrics.RecordIngestOutcome(v1::INGEST_OUTCOME_UNCHANGED);
  MetricGauges gauges;
  gauges.active_subscribers = 7;
  gauges.head_revision = 42;
  gauges.block_cache_hits = 3;
  gauges.block_cache_misses = 1;
  const std::string text = metrics.RenderPrometheus(gauges);
  const std::string ok =
      "grpc_service=\"importai.v1.ArchiveService\",grpc_method=\"GetIssue\","
      "grpc_code=\"OK\"";
  EXPECT_THAT(
      text, HasSubstr(absl::StrCat("grpc_server_handled_total{", ok, "} 3\n")));
  EXPECT_THAT(text, HasSubstr("grpc_code=\"NOT_FOUND\"} 1\n"));
  EXPECT_THAT(text,
              HasSubstr(absl::StrCat("grpc_server_handling_seconds_bucket{", ok,
                                     ",le=\"0.0001\"} 1\n")));
  EXPECT_THAT(text,
              HasSubstr(absl::StrCat("grpc_server_handling_seconds_bucket{", ok,
                                     ",le=\"0.005\"} 2\n")));
  EXPECT_THAT(text,
              HasSubstr(absl::StrCat("grpc_server_handling_seconds_bucket{", ok,
                                     ",le=\"30\"} 2\n")));
  EXPECT_THAT(text,
              HasSubstr(absl::StrCat("grpc_server_handling_seconds_bucket{", ok,
                                     ",le=\"+Inf\"} 3\n")));
  EXPECT_THAT(text, HasSubstr(absl::StrCat(
                        "grpc_server_handling_seconds_count{", ok, "} 3\n")));
  EXPECT_THAT(text, HasSubstr("importai_ingest_outcomes_total{outcome=\""
                              "INGEST_OUTCOME_CREATED\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("importai_feed_subscribers 7\n"));
  EXPECT_THAT(text, HasSubstr("importai_head_revision 42\n"));
  EXPECT_THAT(text, HasSubstr("importai_rocksdb_block_cache_hit_ratio 0.75\n"));
  EXPECT_THAT(text,
              HasSubstr("# TYPE grpc_server_handling_seconds histogram\n"));
}

TEST(MetricsHttpServerTest, ServesMetricsAndRefusesOtherPaths) {
  int renders = 0;
  auto server = MetricsHttpServer::Start("127.0.0.1:0", [&] {
    ++renders;
    return std::string("importai_head_revision 5\n");
  });
  ASSERT_THAT(server, IsOk());
  const int port = (*server)->port();
  ASSERT_GT(port, 0);
  auto metrics = testing::HttpGet(port, "/metrics");
  ASSERT_THAT(metrics, IsOk());
  EXPECT_THAT(*metrics,
              AllOf(StartsWith("HTTP/1.1 200 OK\r\n"),
                    HasSubstr("Content-Type: text/plain; version=0.0.4"),
                    HasSubstr("Content-Length: 25\r\n"),
                    EndsWith("\r\n\r\nimportai_head_revision 5\n")));
  auto other = testing::HttpGet(port, "/");
  ASSERT_THAT(other, IsOk());
  EXPECT_THAT(*other, StartsWith("HTTP/1.1 404 Not Found"));
  EXPECT_EQ(renders, 1);
}

TEST(MetricsHttpServerTest, ABusyAddressIsUnavailableNamingTheFlag) {
  auto first = MetricsHttpServer::Start("127.0.0.1:0", [] { return ""; });
  ASSERT_THAT(first, IsOk());
  EXPECT_THAT(
      MetricsHttpServer::Start(absl::StrCat("127.0.0.1:", (*first)->port()),
                               [] { return ""; }),
      StatusIs(absl::StatusCode::kUnavailable, HasSubstr("metrics_listen")));
  EXPECT_THAT(MetricsHttpServer::Start("no-port", [] { return ""; }),
              StatusIs(absl::StatusCode::kUnavailable));
}

}  // namespace
}  // namespace importai::services
