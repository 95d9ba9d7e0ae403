#include "cmd/env_flags.h"

#include <cstdlib>

#include "absl/flags/flag.h"
#include "absl/time/time.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

ABSL_FLAG(std::string, env_test_address, "default", "for the test");
ABSL_FLAG(absl::Duration, env_test_grace, absl::Seconds(1), "for the test");

namespace importai {
namespace {

using ::importai::testing::IsOk;
using ::importai::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;

constexpr const char* kNames[] = {"env_test_address", "env_test_grace"};

TEST(EnvFlagsTest, NamesTheVariableAfterTheFlag) {
  EXPECT_EQ(EnvVarForFlag("data_dir"), "IMPORTAI_DATA_DIR");
  EXPECT_EQ(EnvVarForFlag("listen"), "IMPORTAI_LISTEN");
}

TEST(EnvFlagsTest, SetsFlagsWhoseVariableIsSetAndLeavesTheRest) {
  unsetenv("IMPORTAI_ENV_TEST_ADDRESS");
  setenv("IMPORTAI_ENV_TEST_GRACE", "45s", 1);
  ASSERT_THAT(ApplyFlagsFromEnvironment(kNames), IsOk());
  EXPECT_EQ(absl::GetFlag(FLAGS_env_test_address), "default");
  EXPECT_EQ(absl::GetFlag(FLAGS_env_test_grace), absl::Seconds(45));
  setenv("IMPORTAI_ENV_TEST_ADDRESS", "0.0.0.0:1", 1);
  ASSERT_THAT(ApplyFlagsFromEnvironment(kNames), IsOk());
  EXPECT_EQ(absl::GetFlag(FLAGS_env_test_address), "0.0.0.0:1");
  unsetenv("IMPORTAI_ENV_TEST_ADDRESS");
  unsetenv("IMPORTAI_ENV_TEST_GRACE");
}

TEST(EnvFlagsTest, AnUnparsableValueNamesTheVariable) {
  setenv("IMPORTAI_ENV_TEST_GRACE", "soon", 1);
  EXPECT_THAT(ApplyFlagsFromEnvironment(kNames),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("IMPORTAI_ENV_TEST_GRACE=\"soon\""),
                             HasSubstr("--env_test_grace"))));
  unsetenv("IMPORTAI_ENV_TEST_GRACE");
}

}  // namespace
}  // namespace importai
