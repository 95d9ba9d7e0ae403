// The commands against fake services on real loopback gRPC servers that
// record what each call carried: --min_revision, --server lists and names.
#include "cmd/cli/commands.h"

#include <chrono>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "cmd/cli/server_target.h"
#include "cmd/cli/test_server.h"
#include "common/metadata.h"
#include "common/testing/temp_dir.h"
#include "common/testing/wait.h"
#include "gmock/gmock.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/server.h"
#include "gtest/gtest.h"
#include "importai/v1/archive_service.grpc.pb.h"

namespace importai::cli {
namespace {

using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;
using ::testing::Optional;
using ::testing::SizeIs;
using ::testing::StartsWith;

// What one call carried.
struct SeenCall {
  std::string method;  // e.g. "/importai.v1.ArchiveService/GetIssue"
  std::optional<std::string> min_revision;  // unset: no such metadata
  std::string authority;
};

// A fake importai-server: a generic service that answers every method OK
// with an empty message (valid for any response type), after recording
// what the call carried.
class FakeServer final : public grpc::CallbackGenericService {
 public:
  ~FakeServer() override {
    if (server_ != nullptr) server_->Shutdown(std::chrono::system_clock::now());
  }
  // Listens on `listen`; false if it cannot.
  bool Start(const std::string& listen) {
    server_ = StartTestServer({}, listen, address_, this);
    return server_ != nullptr;
  }
  const std::string& address() const { return address_; }
  std::vector<SeenCall> calls() const {
    absl::MutexLock lock(&mu_);
    return calls_;
  }
  std::vector<std::string> methods() const {
    std::vector<std::string> methods;
    for (const SeenCall& call : calls()) methods.push_back(call.method);
    return methods;
  }

  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* context) override {
    SeenCall call;
    call.method = context->method();
    call.authority = context->host();
    const auto& metadata = context->client_metadata();
    if (auto it = metadata.find(kMinRevisionMetadata); it != metadata.end()) {
      call.min_revision = std::string(it->second.data(), it->second.size());
    }
    {
      absl::MutexLock lock(&mu_);
      calls_.push_back(std::move(call));
    }
    return new EmptyAnswer();
  }

 private:
  // Reads the (unary) request, answers an empty message and OK.
  class EmptyAnswer final : public grpc::ServerGenericBidiReactor {
   public:
    EmptyAnswer() { StartRead(&request_); }
    void OnReadDone(bool ok) override {
      if (!ok) return Finish(grpc::Status::OK);
      grpc::Slice empty("");
      response_ = grpc::ByteBuffer(&empty, 1);
      StartWriteAndFinish(&response_, grpc::WriteOptions(), grpc::Status::OK);
    }
    void OnDone() override { delete this; }

   private:
    grpc::ByteBuffer request_;
    grpc::ByteBuffer response_;
  };

  mutable absl::Mutex mu_;
  std::vector<SeenCall> calls_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
};

class CommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start("127.0.0.1:0"));
    options_.server = server_.address();
  }

  int Run(const std::vector<std::string>& args) {
    std::ostringstream out, err;
    const int exit_code = RunCommand(args, options_, out, err);
    err_ = err.str();
    return exit_code;
  }

  FakeServer server_;
  CliOptions options_;
  std::string err_;
};

TEST_F(CommandsTest, MinRevisionGoesWithEveryRead) {
  options_.min_revision = 42;

  for (const std::vector<std::string>& read :
       std::vector<std::vector<std::string>>{{"get", "1"},
                                             {"list"},
                                             {"sections", "1"},
                                             {"tale", "1"},
                                             {"search", "words"},
                                             {"cited-by", "1"}}) {
    EXPECT_EQ(Run(read), kExitOk) << read[0] << ": " << err_;
  }

  EXPECT_THAT(server_.methods(),
              ElementsAre("/importai.v1.ArchiveService/GetIssue",
                          "/importai.v1.ArchiveService/ListIssues",
                          "/importai.v1.ArchiveService/ListSections",
                          "/importai.v1.ArchiveService/GetTale",
                          "/importai.v1.ArchiveService/Search",
                          "/importai.v1.ArchiveService/ListCitingSections"));
  EXPECT_THAT(server_.calls(), Each(Field(&SeenCall::min_revision,
                                          Optional(std::string("42")))));
}

TEST_F(CommandsTest, ReadsCarryNoMinRevisionByDefault) {
  ASSERT_EQ(Run({"get", "1"}), kExitOk) << err_;

  EXPECT_THAT(server_.calls(),
              ElementsAre(Field(&SeenCall::min_revision, std::nullopt)));
}

TEST_F(CommandsTest, WritesCarryNoMinRevision) {
  importai::testing::TempDir dir;
  const std::string file = absl::StrCat(dir.path(), "/issue.txt");
  std::ofstream(file) << "Import AI 1\n";
  options_.min_revision = 42;

  EXPECT_EQ(Run({"ingest", file}), kExitOk) << err_;
  EXPECT_EQ(Run({"checkpoint", "backup"}), kExitOk) << err_;

  EXPECT_THAT(server_.methods(),
              ElementsAre("/importai.v1.IngestService/IngestIssues",
                          "/importai.v1.AdminService/CreateCheckpoint"));
  EXPECT_THAT(server_.calls(),
              ElementsAre(Field(&SeenCall::min_revision, std::nullopt),
                          Field(&SeenCall::min_revision, std::nullopt)));
}

TEST_F(CommandsTest, ABadServerIsAUsageErrorNamingTheElement) {
  options_.server = absl::StrCat(server_.address(), ",replica");

  EXPECT_EQ(Run({"list"}), kExitUsage);

  EXPECT_EQ(err_,
            absl::StrCat("importai: --server=", server_.address(),
                         ",replica: \"replica\": no :PORT (HOST:PORT)\n"));
  EXPECT_THAT(server_.calls(), IsEmpty());
}

TEST_F(CommandsTest, ADnsNameReachesTheServer) {
  options_.server =
      absl::StrCat("dns:///localhost:",
                   server_.address().substr(server_.address().rfind(':') + 1));

  EXPECT_EQ(Run({"list"}), kExitOk) << err_;

  EXPECT_THAT(server_.calls(), SizeIs(1));
}

// Calls on one channel to `target` until each of `servers` has had one.
bool CallUntilEachServerAnswered(
    const ServerTarget& target, const std::vector<const FakeServer*>& servers) {
  CliOptions options;
  auto stub = v1::ArchiveService::NewStub(NewChannel(target, options));
  return importai::testing::WaitUntil([&] {
    v1::Issue issue;
    (void)stub->GetIssue(NewCallContext(options, /*write=*/false).get(),
                         v1::GetIssueRequest(), &issue);
    for (const FakeServer* server : servers) {
      if (server->calls().empty()) return false;
    }
    return true;
  });
}

TEST(ServerListTest, CallsGoRoundRobinOverEveryServerOfAList) {
  FakeServer first, second;
  ASSERT_TRUE(first.Start("127.0.0.1:0"));
  ASSERT_TRUE(second.Start("127.0.0.1:0"));
  // "localhost" is looked up here; it has 127.0.0.1.
  const std::string second_port =
      second.address().substr(second.address().rfind(':') + 1);
  const absl::StatusOr<ServerTarget> target = ParseServerTarget(
      absl::StrCat(first.address(), ",localhost:", second_port));
  ASSERT_TRUE(target.ok()) << target.status();

  EXPECT_TRUE(CallUntilEachServerAnswered(*target, {&first, &second}));

  // Both see the first element as the authority (what TLS would verify).
  EXPECT_THAT(first.calls(),
              Each(Field(&SeenCall::authority, first.address())));
  EXPECT_THAT(second.calls(),
              Each(Field(&SeenCall::authority, first.address())));
}

TEST(ServerListTest, ReachesIpv4AndIpv6ServersInOneList) {
  FakeServer v4, v6;
  ASSERT_TRUE(v4.Start("127.0.0.1:0"));
  if (!v6.Start("[::1]:0")) GTEST_SKIP() << "no IPv6 loopback";
  const absl::StatusOr<ServerTarget> target =
      ParseServerTarget(absl::StrCat(v4.address(), ",", v6.address()));
  ASSERT_TRUE(target.ok()) << target.status();
  EXPECT_THAT(target->uri, StartsWith("ipv6:[::ffff:127.0.0.1]:"));

  EXPECT_TRUE(CallUntilEachServerAnswered(*target, {&v4, &v6}));
}

}  // namespace
}  // namespace importai::cli
