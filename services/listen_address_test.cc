#include "services/listen_address.h"

#include "gtest/gtest.h"

namespace importai::services {
namespace {

TEST(IsLoopbackListenTest, LoopbackAddressesAndUnixSockets) {
  for (const char* listen :
       {"127.0.0.1:50051", "127.0.0.1:0", "127.1.2.3:80", "localhost:50051",
        "LocalHost:1", "[::1]:50051", "[0:0:0:0:0:0:0:1]:1",
        "[::ffff:127.0.0.1]:1", "unix:/tmp/importai.sock",
        "unix-abstract:importai"}) {
    EXPECT_TRUE(IsLoopbackListen(listen)) << listen;
  }
}

TEST(IsLoopbackListenTest, WildcardsOtherAddressesAndNamesAreNot) {
  for (const char* listen :
       {"0.0.0.0:50051", "[::]:50051", ":50051", "", "10.0.0.7:50051",
        "128.0.0.1:1", "[::2]:1", "[::ffff:10.0.0.1]:1", "importai:50051",
        "127.0.0.1.example.com:1", "localhost.example.com:1", "[::1:1",
        "127.0.0.256:1"}) {
    EXPECT_FALSE(IsLoopbackListen(listen)) << listen;
  }
}

}  // namespace
}  // namespace importai::services
