#include <string>

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/observability/log.h"

namespace importai::services {
namespace {

using ::importai::testing::IsOk;
using ::importai::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

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

}  // namespace
}  // namespace importai::services
