#include "cmd/feed_bench/feed_run.h"

#include <functional>

#include "absl/strings/str_cat.h"
#include "cmd/feed_bench/child_process.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace importai::feed_bench {
namespace {

// How often the driver looks at the tally while waiting. Short, because the
// next write is sent only after this wait, yet it costs no measured time.
constexpr absl::Duration kPollInterval = absl::Microseconds(200);
constexpr absl::Duration kFinishTimeout = absl::Seconds(15);

// Polls `done` until it holds or `timeout` passes; returns its last value.
bool WaitFor(const std::function<bool()>& done, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!done()) {
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(kPollInterval);
  }
  return true;
}

// Waits until every subscriber confirmed its stream (or failed). A stream
// counts as confirmed at its first response or initial metadata.
void AwaitOpen(const RunTally& tally, const RunOptions& options,
               FeedResult* result) {
  const int count = tally.subscribers();
  const bool all =
      WaitFor([&] { return tally.ready() + tally.failed() >= count; },
              options.ready_timeout);
  if (tally.ready() == 0 && tally.failed() > 0) {
    result->error = absl::StrCat("no subscriber could open its stream; ",
                                 tally.first_error());
  } else if (!all) {
    result->notes.push_back(absl::StrCat(
        count - tally.ready() - tally.failed(), " of ", count,
        " streams unconfirmed after ",
        absl::FormatDuration(options.ready_timeout), "; measured anyway"));
  }
}

// Waits until every subscriber still running has write `index`.
bool AwaitDelivery(const RunTally& tally, int index, absl::Duration timeout) {
  return WaitFor(
      [&] {
        return tally.delivered(index) >= tally.subscribers() - tally.failed();
      },
      timeout);
}

void SendWrites(FeedSystem& system, const RunOptions& options,
                const RunTally& tally, WritePlan* plan, FeedResult* result) {
  int late = 0;
  for (int i = 0; i < plan->writes(); ++i) {
    plan->send_times[i] = NowNanos();
    if (absl::Status written = system.Write(*plan, i); !written.ok()) {
      result->error = absl::StrCat("write ", i, ": ", written.ToString());
      return;
    }
    plan->ack_times[i] = NowNanos();
    result->writes_sent = i + 1;
    if (options.await_delivery &&
        !AwaitDelivery(tally, i, options.delivery_timeout)) {
      ++late;
    }
  }
  for (int i = 0; i < plan->writes(); ++i) {
    if (!options.await_delivery &&
        !AwaitDelivery(tally, i, options.delivery_timeout)) {
      ++late;
    }
  }
  if (late > 0) {
    result->notes.push_back(
        absl::StrCat(late, " writes not delivered to every subscriber within ",
                     absl::FormatDuration(options.delivery_timeout)));
  }
}

// Cancels the streams and, once all have ended, reads the ledgers.
void Finish(FeedSystem& system, const WritePlan& plan, RunTally& tally,
            FeedResult* result) {
  tally.RequestCancel();
  system.CancelSubscribers();
  const bool all_finished = WaitFor(
      [&] { return tally.finished() == tally.subscribers(); }, kFinishTimeout);
  result->failed_subscribers = tally.failed();
  if (tally.failed() > 0 && result->error.empty()) {
    result->notes.push_back("first failure: " + tally.first_error());
  }
  if (!all_finished) {
    result->error = absl::StrCat(
        tally.subscribers() - tally.finished(),
        " streams did not end after cancellation; figures not trusted");
  } else if (result->writes_sent > 0) {
    Summarize(plan, system.Ledgers(), result);
  }
  system.ReleaseSubscribers(all_finished);
}

}  // namespace

FeedResult RunFeed(FeedSystem& system, const RunOptions& options) {
  FeedResult result;
  result.system = system.name();
  result.subscribers = options.subscribers;
  WritePlan plan(kFirstWriteNumber, system.head_revision() + 1, options.writes);
  RunTally tally(options.subscribers, options.writes);

  result.rss_before_kib = ResidentKib(system.server_pid());
  const absl::Time open_start = absl::Now();
  system.Subscribe(options.subscribers, options.per_connection, &plan, &tally);
  AwaitOpen(tally, options, &result);
  result.open_ms = absl::ToDoubleMilliseconds(absl::Now() - open_start);
  if (result.error.empty()) {
    absl::SleepFor(options.idle);
    result.rss_idle_kib = ResidentKib(system.server_pid());
    const double server_cpu = ProcessCpuSeconds(system.server_pid());
    const double client_cpu = OwnCpuSeconds();
    SendWrites(system, options, tally, &plan, &result);
    result.server_cpu_s = ProcessCpuSeconds(system.server_pid()) - server_cpu;
    result.client_cpu_s = OwnCpuSeconds() - client_cpu;
  }
  Finish(system, plan, tally, &result);
  return result;
}

std::shared_ptr<grpc::Channel> NewConnection(const std::string& target,
                                             int index) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetInt("importai.feed_bench.connection", index);
  args.SetMaxReceiveMessageSize(-1);
  return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(),
                                   args);
}

}  // namespace importai::feed_bench
