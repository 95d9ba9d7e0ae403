#include "services/write_authorizer.h"

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace importai::services {
namespace {

using ::importai::testing::IsOk;
using ::importai::testing::StatusIs;
using ::testing::HasSubstr;

absl::Status Check(const WriteAuthorizer& authorizer,
                   absl::string_view header) {
  return authorizer.AuthorizeHeader(&header);
}

TEST(WriteAuthorizerTest, WithoutATokenEveryoneMayWrite) {
  WriteAuthorizer open("");
  EXPECT_TRUE(open.open());
  EXPECT_THAT(open.AuthorizeHeader(nullptr), IsOk());
  EXPECT_THAT(Check(open, "Bearer anything"), IsOk());
}

TEST(WriteAuthorizerTest, NoBearerTokenIsUnauthenticated) {
  WriteAuthorizer authorizer("s3cret-token");
  EXPECT_THAT(authorizer.AuthorizeHeader(nullptr),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("authorization: Bearer <token>")));
  for (absl::string_view header :
       {"", "Bearer ", "Basic czNjcmV0", "s3cret-token"}) {
    EXPECT_THAT(Check(authorizer, header),
                StatusIs(absl::StatusCode::kUnauthenticated))
        << header;
  }
}

TEST(WriteAuthorizerTest, AnotherTokenIsPermissionDenied) {
  WriteAuthorizer authorizer("s3cret-token");
  for (absl::string_view header :
       {"Bearer s3cret-toke", "Bearer s3cret-token ", "Bearer S3CRET-TOKEN",
        "Bearer s3cret-token-and-more"}) {
    EXPECT_THAT(Check(authorizer, header),
                StatusIs(absl::StatusCode::kPermissionDenied,
                         HasSubstr("not allowed to write")))
        << header;
  }
}

TEST(WriteAuthorizerTest, TheRightTokenMayWriteWhateverTheSchemeCase) {
  WriteAuthorizer authorizer("s3cret-token");
  EXPECT_FALSE(authorizer.open());
  EXPECT_THAT(Check(authorizer, "Bearer s3cret-token"), IsOk());
  EXPECT_THAT(Check(authorizer, "bearer s3cret-token"), IsOk());
}

TEST(WriteAuthorizerTest, OnAReplicaNoOneMayWriteNotEvenWithTheToken) {
  for (absl::string_view token : {"", "s3cret-token"}) {
    WriteAuthorizer replica(token, "primary.example:50051");
    const auto names_primary =
        StatusIs(absl::StatusCode::kFailedPrecondition,
                 HasSubstr("read replica of primary.example:50051"));
    EXPECT_THAT(replica.AuthorizeHeader(nullptr), names_primary) << token;
    EXPECT_THAT(Check(replica, "Bearer s3cret-token"), names_primary) << token;
  }
}

}  // namespace
}  // namespace importai::services
