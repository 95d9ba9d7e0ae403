// ServerMetrics, RpcMethods and ScrapeGauges, read through prometheus-cpp's
// text format as a scrape sees them.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "importai/v1/archive_service.pb.h"
#include "importai/v1/ingest_service.pb.h"
#include "prometheus/text_serializer.h"
#include "services/observability/scrape_gauges.h"
#include "services/observability/server_metrics.h"

namespace importai::services {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

RpcMethods ArchiveAndIngest() {
  return RpcMethods(
      {v1::GetIssueRequest::descriptor()->file()->FindServiceByName(
           "ArchiveService"),
       v1::IngestIssuesRequest::descriptor()->file()->FindServiceByName(
           "IngestService"),
       nullptr});
}

std::string Scrape(const prometheus::Collectable& collectable) {
  return prometheus::TextSerializer().Serialize(collectable.Collect());
}

// The series of family `name` a scrape of `collectable` holds.
size_t SeriesCount(const prometheus::Collectable& collectable,
                   const std::string& name) {
  for (const prometheus::MetricFamily& family : collectable.Collect()) {
    if (family.name == name) return family.metric.size();
  }
  return 0;
}

TEST(RpcMethodsTest, KnowsTheServicesMethodsAndNothingElse) {
  const RpcMethods methods = ArchiveAndIngest();
  const size_t get = methods.Find("/importai.v1.ArchiveService/GetIssue");
  ASSERT_NE(get, methods.unknown());
  EXPECT_EQ(methods.labels(get).service, "importai.v1.ArchiveService");
  EXPECT_EQ(methods.labels(get).method, "GetIssue");
  EXPECT_NE(methods.Find("/importai.v1.IngestService/IngestIssues"),
            methods.unknown());
  for (const char* path :
       {"/importai.v1.ArchiveService/Nope",
        "importai.v1.ArchiveService/GetIssue",
        "/importai.v1.AdminService/CreateCheckpoint", "", "/"}) {
    EXPECT_EQ(methods.Find(path), methods.unknown()) << path;
  }
  EXPECT_EQ(methods.labels(methods.unknown()).method, "unknown");
  EXPECT_EQ(methods.labels(methods.unknown()).service, "unknown");
}

TEST(ServerMetricsTest, CountsRpcsInCumulativeHistograms) {
  ServerMetrics metrics(ArchiveAndIngest());
  const std::string get = "/importai.v1.ArchiveService/GetIssue";
  metrics.RecordRpc(get, absl::StatusCode::kOk, absl::Microseconds(80));
  metrics.RecordRpc(get, absl::StatusCode::kOk, absl::Milliseconds(3));
  metrics.RecordRpc(get, absl::StatusCode::kNotFound, absl::Microseconds(50));
  // Beyond every bucket.
  metrics.RecordRpc(get, absl::StatusCode::kOk, absl::Seconds(100));
  metrics.RecordIngestOutcome(v1::INGEST_OUTCOME_CREATED);
  metrics.RecordIngestOutcome(v1::INGEST_OUTCOME_CREATED);
  metrics.RecordIngestOutcome(v1::INGEST_OUTCOME_UNCHANGED);
  const std::string text = Scrape(*metrics.registry());
  // prometheus-cpp writes labels sorted by name.
  const std::string ok =
      "grpc_code=\"OK\",grpc_method=\"GetIssue\","
      "grpc_service=\"importai.v1.ArchiveService\"";
  EXPECT_THAT(
      text, HasSubstr(absl::StrCat("grpc_server_handled_total{", ok, "} 3\n")));
  EXPECT_THAT(text,
              HasSubstr("grpc_server_handled_total{grpc_code=\"NOT_FOUND\""
                        ",grpc_method=\"GetIssue\""));
  for (const auto& [le, count] : std::vector<std::pair<std::string, int>>{
           {"0.0001", 1}, {"0.005", 2}, {"30", 2}, {"+Inf", 3}}) {
    EXPECT_THAT(
        text, HasSubstr(absl::StrCat("grpc_server_handling_seconds_bucket{", ok,
                                     ",le=\"", le, "\"} ", count, "\n")));
  }
  EXPECT_THAT(text, HasSubstr(absl::StrCat(
                        "grpc_server_handling_seconds_count{", ok, "} 3\n")));
  EXPECT_THAT(text,
              HasSubstr("# TYPE grpc_server_handling_seconds histogram\n"));
  EXPECT_THAT(text, HasSubstr("importai_ingest_outcomes_total{outcome=\""
                              "INGEST_OUTCOME_CREATED\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("importai_ingest_outcomes_total{outcome=\""
                              "INGEST_OUTCOME_UNCHANGED\"} 1\n"));
}

TEST(ServerMetricsTest, MadeUpMethodPathsShareOneUnknownLabel) {
  ServerMetrics metrics(ArchiveAndIngest());
  constexpr int kHostileCalls = 10000;
  for (int i = 0; i < kHostileCalls; ++i) {
    metrics.RecordRpc(absl::StrCat("/x\"} 1\n", i, "\\/M", i),
                      absl::StatusCode::kUnimplemented, absl::Microseconds(1));
  }
  metrics.RecordRpc("/importai.v1.ArchiveService/GetIssue",
                    absl::StatusCode::kOk, absl::Microseconds(1));
  EXPECT_EQ(SeriesCount(*metrics.registry(), "grpc_server_handled_total"), 2u);
  EXPECT_EQ(SeriesCount(*metrics.registry(), "grpc_server_handling_seconds"),
            2u);
  const std::string text = Scrape(*metrics.registry());
  EXPECT_THAT(text, HasSubstr(absl::StrCat(
                        "grpc_server_handled_total{grpc_code=\"UNIMPLEMENTED\","
                        "grpc_method=\"unknown\",grpc_service=\"unknown\"} ",
                        kHostileCalls, "\n")));
  EXPECT_THAT(text, Not(HasSubstr("/x")));
}

TEST(ScrapeGaugesTest, ReadsTheGaugesAtEachScrape) {
  int reads = 0;
  ScrapeGauges gauges([&reads] {
    ++reads;
    MetricGauges values;
    values.active_subscribers = 7;
    values.catch_up_bytes = 4096;
    values.catch_up_budget_bytes = 1 << 20;
    values.head_revision = 42 + reads;
    values.oldest_revision = 3;
    values.live_data_bytes = 1 << 20;
    values.block_cache_hits = 3;
    values.block_cache_misses = 1;
    return values;
  });
  EXPECT_EQ(reads, 0);
  const std::string text = Scrape(gauges);
  EXPECT_EQ(reads, 1);
  EXPECT_THAT(text, HasSubstr("# TYPE importai_feed_subscribers gauge\n"
                              "importai_feed_subscribers 7\n"));
  EXPECT_THAT(text, HasSubstr("importai_feed_catch_up_bytes 4096\n"));
  EXPECT_THAT(text,
              HasSubstr("importai_feed_catch_up_budget_bytes 1048576\n"));
  EXPECT_THAT(text, HasSubstr("importai_head_revision 43\n"));
  EXPECT_THAT(text, HasSubstr("importai_oldest_revision 3\n"));
  EXPECT_THAT(text, HasSubstr("importai_rocksdb_live_data_bytes 1048576\n"));
  EXPECT_THAT(text, HasSubstr("importai_rocksdb_block_cache_hit_ratio 0.75\n"));
  EXPECT_THAT(text, HasSubstr("importai_rocksdb_block_cache_lookups_total{"
                              "result=\"hit\"} 3\n"));
  EXPECT_THAT(Scrape(gauges), HasSubstr("importai_head_revision 44\n"));
}

TEST(ScrapeGaugesTest, TheHitRatioIsZeroBeforeAnyLookup) {
  ScrapeGauges gauges([] { return MetricGauges(); });
  EXPECT_THAT(Scrape(gauges),
              HasSubstr("importai_rocksdb_block_cache_hit_ratio 0\n"));
}

}  // namespace
}  // namespace importai::services
