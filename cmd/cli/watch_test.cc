// The watch loop against a fake ArchiveService on a real loopback gRPC
// server: each WatchIssues call plays the next scripted call, so the tests
// see exactly where the client resumes after each break.
#include "cmd/cli/watch.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <sstream>
#include <streambuf>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "cmd/cli/commands.h"
#include "cmd/cli/server_target.h"
#include "cmd/cli/test_server.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/server.h"
#include "gtest/gtest.h"
#include "importai/v1/archive_service.grpc.pb.h"

namespace importai::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

v1::WatchIssuesResponse Change(v1::EventType type, int64_t revision,
                               int number) {
  v1::WatchIssuesResponse event;
  event.set_type(type);
  event.set_revision(revision);
  event.mutable_issue()->set_name(absl::StrCat("issues/", number));
  event.mutable_issue()->set_number(number);
  event.mutable_issue()->set_title(absl::StrCat("Title ", number));
  event.mutable_issue()->set_revision(revision);
  return event;
}
v1::WatchIssuesResponse Created(int64_t revision, int number) {
  return Change(v1::EVENT_TYPE_CREATED, revision, number);
}
v1::WatchIssuesResponse Updated(int64_t revision, int number) {
  return Change(v1::EVENT_TYPE_UPDATED, revision, number);
}
v1::WatchIssuesResponse Progress(int64_t head) {
  v1::WatchIssuesResponse event;
  event.set_type(v1::EVENT_TYPE_PROGRESS);
  event.set_revision(head);
  return event;
}

// One scripted WatchIssues call.
struct Call {
  std::vector<v1::WatchIssuesResponse> events;
  // How the call ends; unset: it stays open until the client cancels.
  std::optional<grpc::Status> end;
  // A wait before the first event.
  absl::Duration pause = absl::ZeroDuration();
};

// A call that sends `events`, then ends with `status`.
Call Ends(std::vector<v1::WatchIssuesResponse> events, grpc::Status status) {
  return Call{std::move(events), std::move(status)};
}
// A call that sends `events` after `pause`, then stays open.
Call Holds(std::vector<v1::WatchIssuesResponse> events,
           absl::Duration pause = absl::ZeroDuration()) {
  return Call{std::move(events), std::nullopt, pause};
}

class FakeArchive final : public v1::ArchiveService::Service {
 public:
  // Unset: GetFeedInfo is UNIMPLEMENTED, as on an older server.
  void set_head(std::optional<int64_t> head) {
    absl::MutexLock lock(&mu_);
    head_ = head;
  }
  // Calls beyond the script stay open until cancelled.
  void set_script(std::vector<Call> script) {
    absl::MutexLock lock(&mu_);
    script_ = std::move(script);
  }
  std::vector<v1::WatchIssuesRequest> requests() const {
    absl::MutexLock lock(&mu_);
    return requests_;
  }
  std::vector<int64_t> start_revisions() const {
    std::vector<int64_t> starts;
    for (const auto& request : requests()) {
      starts.push_back(request.start_revision());
    }
    return starts;
  }
  void WaitForCalls(size_t count) const {
    absl::MutexLock lock(&mu_);
    auto enough = [&] { return requests_.size() >= count; };
    mu_.Await(absl::Condition(&enough));
  }

  grpc::Status GetFeedInfo(grpc::ServerContext* context,
                           const v1::GetFeedInfoRequest* request,
                           v1::FeedInfo* info) override {
    absl::MutexLock lock(&mu_);
    if (!head_.has_value()) {
      return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "no feed info");
    }
    info->set_oldest_revision(1);
    info->set_head_revision(*head_);
    return grpc::Status::OK;
  }

  grpc::Status WatchIssues(
      grpc::ServerContext* context, const v1::WatchIssuesRequest* request,
      grpc::ServerWriter<v1::WatchIssuesResponse>* writer) override {
    const Call call = Record(*request);
    absl::SleepFor(call.pause);
    for (const v1::WatchIssuesResponse& event : call.events) {
      writer->Write(event);
    }
    if (call.end.has_value()) return *call.end;
    while (!context->IsCancelled()) absl::SleepFor(absl::Milliseconds(2));
    return grpc::Status::CANCELLED;
  }

 private:
  Call Record(const v1::WatchIssuesRequest& request) {
    absl::MutexLock lock(&mu_);
    const size_t index = requests_.size();
    requests_.push_back(request);
    return index < script_.size() ? script_[index] : Call{};
  }

  mutable absl::Mutex mu_;
  std::optional<int64_t> head_ ABSL_GUARDED_BY(mu_);
  std::vector<Call> script_ ABSL_GUARDED_BY(mu_);
  std::vector<v1::WatchIssuesRequest> requests_ ABSL_GUARDED_BY(mu_);
};

// The watch's stdout, which the test's thread may read while the watch
// writes it.
class SyncedOutput : public std::streambuf {
 public:
  std::string text() const {
    absl::MutexLock lock(&mu_);
    return text_;
  }
  // Waits until `count` lines were written; false if they were not within
  // 10 s (when the watch's own guard stops it).
  bool WaitForLines(int count) const {
    absl::MutexLock lock(&mu_);
    auto enough = [&] {
      return std::count(text_.begin(), text_.end(), '\n') >= count;
    };
    return mu_.AwaitWithTimeout(absl::Condition(&enough), absl::Seconds(10));
  }

 protected:
  int_type overflow(int_type c) override {
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      absl::MutexLock lock(&mu_);
      text_.push_back(traits_type::to_char_type(c));
    }
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char* s, std::streamsize count) override {
    absl::MutexLock lock(&mu_);
    text_.append(s, count);
    return count;
  }

 private:
  mutable absl::Mutex mu_;
  std::string text_ ABSL_GUARDED_BY(mu_);
};

struct WatchResult {
  int exit_code = -1;
  std::vector<std::string> lines;  // stdout
  std::string err;
};

std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

grpc::Status Unavailable() {
  return grpc::Status(grpc::StatusCode::UNAVAILABLE, "server shutting down");
}

class WatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = StartServer(&fake_, "127.0.0.1:0");
    ASSERT_NE(server_, nullptr);
    stub_ = v1::ArchiveService::NewStub(NewChannel(address_));
    options_.backoff = {absl::Milliseconds(1), absl::Milliseconds(20), 2.0};
  }

  void TearDown() override {
    server_->Shutdown(std::chrono::system_clock::now());
  }

  // Serves `fake` on `listen`, and sets address_ to where it listens.
  std::unique_ptr<grpc::Server> StartServer(FakeArchive* fake,
                                            const std::string& listen) {
    return StartTestServer({fake}, listen, address_);
  }

  // Runs the watch; a watch still running after 10 s is stopped and fails
  // the test rather than hanging it.
  WatchResult Watch(WatchStop& stop) {
    bool timed_out = false;
    std::thread guard([&] {
      if (stop.SleepFor(absl::Seconds(10))) {
        timed_out = true;
        stop.Stop();
      }
    });
    std::ostream out(&out_);
    std::ostringstream err;
    WatchResult result;
    result.exit_code = RunWatch(*stub_, options_, stop, out, err);
    stop.Stop();
    guard.join();
    EXPECT_FALSE(timed_out) << "the watch did not end by itself";
    result.lines = Lines(out_.text());
    result.err = err.str();
    return result;
  }
  WatchResult Watch() {
    WatchStop stop;
    return Watch(stop);
  }

  FakeArchive fake_;
  FakeArchive restarted_fake_;  // Served after a restart on the same port.
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
  std::unique_ptr<v1::ArchiveService::Stub> stub_;
  WatchOptions options_;
  SyncedOutput out_;  // What Watch() prints.
};

TEST_F(WatchTest, ResumesAfterTheLastRevisionSeenWithoutRepeatsOrGaps) {
  fake_.set_head(4);
  fake_.set_script({
      Ends({Created(5, 385), Updated(6, 385)}, Unavailable()),
      Ends({Progress(6)}, grpc::Status::OK),
      Ends({Created(7, 386)},
           grpc::Status(grpc::StatusCode::CANCELLED, "server went away")),
      Holds({Created(8, 387)}),
  });
  options_.max_events = 4;

  const WatchResult result = Watch();

  EXPECT_EQ(result.exit_code, kExitOk);
  EXPECT_THAT(result.lines,
              ElementsAre("revision 5 CREATED issues/385 Import AI 385: "
                          "Title 385",
                          "revision 6 UPDATED issues/385 Import AI 385: "
                          "Title 385",
                          "revision 7 CREATED issues/386 Import AI 386: "
                          "Title 386",
                          "revision 8 CREATED issues/387 Import AI 387: "
                          "Title 387"));
  // Head 4 + 1 first; then after revision 6, twice; then after 7.
  EXPECT_THAT(fake_.start_revisions(), ElementsAre(5, 7, 7, 8));
  EXPECT_THAT(result.err,
              HasSubstr("UNAVAILABLE: server shutting down; reconnecting from "
                        "revision 7 in "));
  EXPECT_THAT(result.err,
              HasSubstr("the server ended the stream; reconnecting from "
                        "revision 7 in "));
  EXPECT_THAT(result.err,
              HasSubstr("CANCELLED: server went away; reconnecting from "
                        "revision 8 in "));
}

TEST_F(WatchTest, ResumesAfterAProgressRevisionAndPrintsJsonLines) {
  fake_.set_head(std::nullopt);  // Falls back to start_revision 0.
  fake_.set_script({
      Ends({Progress(3)}, Unavailable()),
      Holds({Created(4, 390)}),
  });
  options_.json = true;
  options_.max_events = 1;

  const WatchResult result = Watch();

  EXPECT_EQ(result.exit_code, kExitOk);
  EXPECT_THAT(fake_.start_revisions(), ElementsAre(0, 4));
  ASSERT_THAT(result.lines, SizeIs(2));
  v1::WatchIssuesResponse progress, created;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(result.lines[0], &progress)
          .ok())
      << result.lines[0];
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(result.lines[1], &created)
          .ok())
      << result.lines[1];
  EXPECT_EQ(progress.type(), v1::EVENT_TYPE_PROGRESS);
  EXPECT_EQ(progress.revision(), 3);
  EXPECT_EQ(created.type(), v1::EVENT_TYPE_CREATED);
  EXPECT_EQ(created.revision(), 4);
  EXPECT_EQ(created.issue().title(), "Title 390");
}

TEST_F(WatchTest, ResumesOnTheSameAddressAfterTheServerGoesAway) {
  fake_.set_script({Holds({})});
  restarted_fake_.set_script({Holds({Created(5, 5)})});
  options_.from_revision = 5;
  options_.max_events = 1;
  std::thread restarter([&] {
    fake_.WaitForCalls(1);
    // No grace: open calls are cancelled and the connection closes.
    server_->Shutdown(std::chrono::system_clock::now());
    server_ = StartServer(&restarted_fake_, address_);
  });

  const WatchResult result = Watch();
  restarter.join();

  ASSERT_NE(server_, nullptr);
  EXPECT_EQ(result.exit_code, kExitOk) << result.err;
  EXPECT_THAT(result.lines,
              ElementsAre("revision 5 CREATED issues/5 Import AI 5: Title 5"));
  EXPECT_THAT(restarted_fake_.start_revisions(), ElementsAre(5));
  EXPECT_THAT(result.err, HasSubstr("reconnecting from revision 5"));
}

// --server=A,B: a round_robin channel. The stream goes to one of the two;
// when that server goes away for good, the watch resumes on the other from
// the last revision it printed + 1, without waiting for the dead one.
TEST_F(WatchTest, MovesToTheOtherServerWhenItsServerGoesAway) {
  FakeArchive other_fake;
  std::string other_address;
  std::unique_ptr<grpc::Server> other_server =
      StartTestServer({&other_fake}, "127.0.0.1:0", other_address);
  ASSERT_NE(other_server, nullptr);
  const absl::StatusOr<ServerTarget> target =
      ParseServerTarget(absl::StrCat(address_, ",", other_address));
  ASSERT_TRUE(target.ok()) << target.status();
  ASSERT_TRUE(target->round_robin);
  stub_ = v1::ArchiveService::NewStub(NewChannel(*target, CliOptions()));
  // Whichever server gets the stream sends 5 and 6 and keeps it open.
  fake_.set_script({Holds({Created(5, 5), Created(6, 6)})});
  other_fake.set_script({Holds({Created(5, 5), Created(6, 6)})});
  options_.from_revision = 5;
  options_.max_events = 4;

  WatchStop stop;
  WatchResult result;
  std::thread watch([&] { result = Watch(stop); });
  const bool printed_two = out_.WaitForLines(2);
  const bool first_is_fake = !fake_.requests().empty();
  FakeArchive& first = first_is_fake ? fake_ : other_fake;
  FakeArchive& survivor = first_is_fake ? other_fake : fake_;
  if (printed_two) {
    survivor.set_script({Holds({Created(7, 7), Created(8, 8)})});
    // No grace, and no restart: its calls are cancelled, its port closed.
    (first_is_fake ? server_ : other_server)
        ->Shutdown(std::chrono::system_clock::now());
  }
  watch.join();
  other_server->Shutdown(std::chrono::system_clock::now());

  ASSERT_TRUE(printed_two);
  EXPECT_EQ(result.exit_code, kExitOk) << result.err;
  EXPECT_THAT(result.lines,
              ElementsAre("revision 5 CREATED issues/5 Import AI 5: Title 5",
                          "revision 6 CREATED issues/6 Import AI 6: Title 6",
                          "revision 7 CREATED issues/7 Import AI 7: Title 7",
                          "revision 8 CREATED issues/8 Import AI 8: Title 8"));
  EXPECT_THAT(first.start_revisions(), ElementsAre(5));
  EXPECT_THAT(survivor.start_revisions(), ElementsAre(7));
  EXPECT_THAT(result.err, HasSubstr("reconnecting from revision 7"));
}

TEST_F(WatchTest, MaxEventsCountsOnlyChanges) {
  fake_.set_script({
      Holds({Progress(4), Created(5, 1), Progress(5), Created(6, 2),
             Created(7, 3)}),
  });
  options_.from_revision = 5;
  options_.max_events = 2;

  const WatchResult result = Watch();

  EXPECT_EQ(result.exit_code, kExitOk);
  EXPECT_THAT(result.lines,
              ElementsAre("revision 5 CREATED issues/1 Import AI 1: Title 1",
                          "revision 6 CREATED issues/2 Import AI 2: Title 2"));
  EXPECT_THAT(fake_.start_revisions(), ElementsAre(5));
  EXPECT_THAT(result.err, IsEmpty());
}

TEST_F(WatchTest, RequestCarriesTheOptions) {
  fake_.set_script({Holds({Created(9, 9)})});
  options_.from_revision = 9;
  options_.progress_interval = absl::Milliseconds(250);
  options_.max_events = 1;

  ASSERT_EQ(Watch().exit_code, kExitOk);

  const std::vector<v1::WatchIssuesRequest> requests = fake_.requests();
  ASSERT_THAT(requests, SizeIs(1));
  EXPECT_EQ(requests[0].start_revision(), 9);
  // Text prints only titles, so it asks for BASIC unless told otherwise.
  EXPECT_EQ(requests[0].view(), v1::ISSUE_VIEW_BASIC);
  EXPECT_EQ(requests[0].progress_interval().seconds(), 0);
  EXPECT_EQ(requests[0].progress_interval().nanos(), 250'000'000);
}

TEST_F(WatchTest, JsonKeepsTheServersDefaultView) {
  fake_.set_script({Holds({Created(9, 9)})});
  options_.from_revision = 9;
  options_.json = true;
  options_.max_events = 1;

  ASSERT_EQ(Watch().exit_code, kExitOk);

  ASSERT_THAT(fake_.requests(), SizeIs(1));
  EXPECT_EQ(fake_.requests()[0].view(), v1::ISSUE_VIEW_UNSPECIFIED);
  EXPECT_FALSE(fake_.requests()[0].has_progress_interval());
}

TEST_F(WatchTest, CallTimeoutDoesNotApplyToTheStream) {
  fake_.set_head(4);
  fake_.set_script({Holds({Created(5, 5)}, absl::Milliseconds(150))});
  options_.call_timeout = absl::Milliseconds(50);
  options_.max_events = 1;

  const WatchResult result = Watch();

  EXPECT_EQ(result.exit_code, kExitOk);
  EXPECT_THAT(result.lines, SizeIs(1));
  EXPECT_THAT(result.err, IsEmpty());
}

TEST_F(WatchTest, InvalidArgumentFailsWithoutRetrying) {
  fake_.set_script({Ends({}, grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                          "progress_interval must be 100ms to "
                                          "60s"))});
  options_.from_revision = 1;

  const WatchResult result = Watch();

  EXPECT_EQ(result.exit_code, kExitFailed);
  EXPECT_THAT(result.err,
              HasSubstr("INVALID_ARGUMENT: progress_interval must be 100ms "
                        "to 60s"));
  EXPECT_THAT(fake_.start_revisions(), ElementsAre(1));
}

TEST_F(WatchTest, OutOfRangeIsRetriedOnlyAsManyTimesAsAllowed) {
  const grpc::Status trimmed(grpc::StatusCode::OUT_OF_RANGE,
                             "start_revision 1 is older than the oldest "
                             "retained revision 5");
  // A replica that keeps no revision 1, then one that does (calls 1 and 2);
  // then the same again for the second watch (calls 3 and 4).
  fake_.set_script({Ends({}, trimmed), Ends({Created(1, 1)}, trimmed),
                    Ends({}, trimmed), Ends({Created(1, 1)}, trimmed)});
  options_.from_revision = 1;
  options_.out_of_range_retries = 1;
  options_.max_events = 1;
  WatchResult result = Watch();
  EXPECT_EQ(result.exit_code, kExitOk);
  EXPECT_THAT(result.lines, SizeIs(1));

  // Without retries (one server), the first OUT_OF_RANGE is the answer.
  options_.out_of_range_retries = 0;
  result = Watch();
  EXPECT_EQ(result.exit_code, kExitFailed);
  EXPECT_THAT(result.err, HasSubstr("OUT_OF_RANGE"));
  EXPECT_EQ(fake_.requests().size(), 3u);
}

TEST_F(WatchTest, StopEndsAnOpenStreamWithExitZero) {
  fake_.set_head(4);
  fake_.set_script({Holds({Created(5, 5)})});
  WatchStop stop;
  std::thread interrupter([&] {
    fake_.WaitForCalls(1);
    stop.Stop();
  });

  const WatchResult result = Watch(stop);
  interrupter.join();

  EXPECT_EQ(result.exit_code, kExitOk);
  EXPECT_THAT(result.err, IsEmpty());
}

TEST_F(WatchTest, StopCutsABackoffWaitShort) {
  fake_.set_script({Ends({}, Unavailable()), Ends({}, Unavailable())});
  options_.from_revision = 1;
  options_.backoff = {absl::Seconds(30), absl::Seconds(30), 2.0};
  WatchStop stop;
  std::thread interrupter([&] {
    fake_.WaitForCalls(1);
    absl::SleepFor(absl::Milliseconds(50));
    stop.Stop();
  });

  const absl::Time start = absl::Now();
  const WatchResult result = Watch(stop);
  interrupter.join();

  EXPECT_EQ(result.exit_code, kExitOk);
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
}

// Through RunCommand, as `importai watch` runs it.
class WatchCommandTest : public WatchTest {
 protected:
  int Run(const std::vector<std::string>& args) {
    CliOptions options;
    options.server = address_;
    options.from_revision = from_revision_;
    std::ostringstream out, err;
    const int exit_code = RunCommand(args, options, out, err);
    out_ = out.str();
    err_ = err.str();
    return exit_code;
  }

  int64_t from_revision_ = 0;
  std::string out_;
  std::string err_;
};

TEST_F(WatchCommandTest, OutOfRangeExitsOneWithTheServersMessage) {
  fake_.set_script({Ends({}, grpc::Status(grpc::StatusCode::OUT_OF_RANGE,
                                          "revision 2 is no longer retained; "
                                          "the oldest available revision is "
                                          "5"))});
  from_revision_ = 2;

  EXPECT_EQ(Run({"watch"}), kExitFailed);

  EXPECT_THAT(out_, IsEmpty());
  EXPECT_THAT(err_, HasSubstr("importai: watch: OUT_OF_RANGE: revision 2 is "
                              "no longer retained; the oldest available "
                              "revision is 5"));
  EXPECT_THAT(fake_.start_revisions(), ElementsAre(2));
}

TEST_F(WatchCommandTest, RejectsOperandsAndANegativeStart) {
  EXPECT_EQ(Run({"watch", "387"}), kExitUsage);
  EXPECT_THAT(err_, HasSubstr("watch: takes no operands"));
  from_revision_ = -1;
  EXPECT_EQ(Run({"watch"}), kExitUsage);
  EXPECT_THAT(err_, HasSubstr("--from must be >= 0"));
  EXPECT_THAT(fake_.requests(), IsEmpty());
}

}  // namespace
}  // namespace importai::cli
