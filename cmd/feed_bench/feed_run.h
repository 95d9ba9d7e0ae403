#ifndef IMPORTAI_CMD_FEED_BENCH_FEED_RUN_H_
#define IMPORTAI_CMD_FEED_BENCH_FEED_RUN_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "cmd/feed_bench/ledger.h"
#include "grpcpp/channel.h"

namespace importai::feed_bench {

// The warm-up write stores issue kWarmUpNumber before subscribers open; the
// measured writes store kWarmUpNumber + 1, + 2, ... Far above real issue
// numbers, so they never collide with anything else.
inline constexpr int kWarmUpNumber = 100000;
inline constexpr int kFirstWriteNumber = kWarmUpNumber + 1;

// One system under test: its server process, a writer and its subscribers.
class FeedSystem {
 public:
  virtual ~FeedSystem() = default;

  virtual std::string name() const = 0;
  virtual pid_t server_pid() const = 0;
  // The store's revision after the warm-up write; the measured writes
  // follow it one revision each.
  virtual int64_t head_revision() const = 0;

  // Opens `count` subscribers, `per_connection` to an HTTP/2 connection,
  // that report what they receive against `plan` into `tally`.
  virtual void Subscribe(int count, int per_connection, const WritePlan* plan,
                         RunTally* tally) = 0;
  // Stores write `index` of `plan`; returns once the server acknowledged it
  // with the expected revision.
  virtual absl::Status Write(const WritePlan& plan, int index) = 0;
  virtual void CancelSubscribers() = 0;
  // Valid once every subscriber has finished.
  virtual std::vector<const Ledger*> Ledgers() const = 0;
  // Frees the subscribers; if some never finished, leaks them instead, as
  // gRPC may still call into them.
  virtual void ReleaseSubscribers(bool all_finished) = 0;
};

struct RunOptions {
  int subscribers = 1000;
  int per_connection = 200;
  int writes = 20;
  absl::Duration idle = absl::Seconds(2);
  absl::Duration ready_timeout = absl::Seconds(30);
  absl::Duration delivery_timeout = absl::Seconds(30);
  // Wait until every subscriber has write i before sending write i + 1, so
  // each latency is that of one isolated write's fan-out.
  bool await_delivery = true;
};

// Measures idle memory, then write-to-delivery latency, of one system.
FeedResult RunFeed(FeedSystem& system, const RunOptions& options);

// A channel with its own TCP connection: a local subchannel pool and
// distinct arguments, so channels to one target never share one.
std::shared_ptr<grpc::Channel> NewConnection(const std::string& target,
                                             int index);

// Subscribers of one system and the connections they are spread over.
// Watcher provides Stub, NewStub(channel), Start(Stub*), Cancel(), ledger().
template <typename Watcher>
class SubscriberPool {
 public:
  using Stub = typename Watcher::Stub;

  SubscriberPool() = default;
  SubscriberPool(const SubscriberPool&) = delete;
  SubscriberPool& operator=(const SubscriberPool&) = delete;
  ~SubscriberPool() { Release(/*all_finished=*/false); }

  // Constructs `count` watchers from `args` and starts them.
  template <typename... Args>
  void Open(const std::string& target, int count, int per_connection,
            const Args&... args) {
    watchers_.reserve(count);
    for (int i = 0; i < count; ++i) {
      if (i % per_connection == 0) {
        stubs_.push_back(Watcher::NewStub(
            NewConnection(target, static_cast<int>(stubs_.size()))));
      }
      watchers_.push_back(std::make_unique<Watcher>(args...));
      watchers_.back()->Start(stubs_.back().get());
    }
  }

  void CancelAll() {
    for (auto& watcher : watchers_) watcher->Cancel();
  }

  std::vector<const Ledger*> Ledgers() const {
    std::vector<const Ledger*> ledgers;
    for (const auto& watcher : watchers_) ledgers.push_back(&watcher->ledger());
    return ledgers;
  }

  void Release(bool all_finished) {
    if (!all_finished) {
      for (auto& watcher : watchers_) watcher.release();
      for (auto& stub : stubs_) stub.release();
    }
    watchers_.clear();
    stubs_.clear();
  }

 private:
  std::vector<std::unique_ptr<Stub>> stubs_;  // each holds its channel
  std::vector<std::unique_ptr<Watcher>> watchers_;
};

// A FeedSystem whose subscribers are a SubscriberPool of `Watcher`s.
template <typename Watcher>
class PooledFeedSystem : public FeedSystem {
 public:
  void CancelSubscribers() override { subscribers_.CancelAll(); }
  std::vector<const Ledger*> Ledgers() const override {
    return subscribers_.Ledgers();
  }
  void ReleaseSubscribers(bool all_finished) override {
    subscribers_.Release(all_finished);
  }

 protected:
  SubscriberPool<Watcher> subscribers_;
};

}  // namespace importai::feed_bench

#endif  // IMPORTAI_CMD_FEED_BENCH_FEED_RUN_H_
