#ifndef IMPORTAI_CMD_FEED_BENCH_LEDGER_H_
#define IMPORTAI_CMD_FEED_BENCH_LEDGER_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "grpcpp/support/status.h"

namespace importai::feed_bench {

// Nanoseconds on the monotonic clock: send and receive times are taken in
// this one process, so they compare directly.
using Nanos = int64_t;

inline Nanos NowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The writes of one run: write i stores issue first_number + i and must
// show up as revision first_revision + i. Send and acknowledgement times are
// written by the driver around each write and read only after every
// subscriber is done.
struct WritePlan {
  WritePlan(int first_number, int64_t first_revision, int writes)
      : first_number(first_number),
        first_revision(first_revision),
        send_times(writes, 0),
        ack_times(writes, 0) {}

  int writes() const { return static_cast<int>(send_times.size()); }
  // The write that stored issue `number`, or -1 if none did.
  int IndexOfNumber(int64_t number) const {
    const int64_t index = number - first_number;
    return index >= 0 && index < writes() ? static_cast<int>(index) : -1;
  }
  int64_t RevisionOf(int index) const { return first_revision + index; }

  const int first_number;
  const int64_t first_revision;
  std::vector<Nanos> send_times;
  std::vector<Nanos> ack_times;
};

// What one subscriber received. Only that subscriber's read callbacks touch
// it, and gRPC runs them one at a time per call.
class Ledger {
 public:
  explicit Ledger(int writes) : receive_times_(writes, 0) {}

  // Records the event of write `index` received at `now`; true the first
  // time, false for a duplicate.
  bool Record(int index, Nanos now);
  // An event that belongs to no write of the plan.
  void CountUnexpected() { ++unexpected_; }
  // An event whose revision or payload does not match its write.
  void CountMismatch() { ++mismatched_; }

  const std::vector<Nanos>& receive_times() const { return receive_times_; }
  int duplicates() const { return duplicates_; }
  int out_of_order() const { return out_of_order_; }
  int unexpected() const { return unexpected_; }
  int mismatched() const { return mismatched_; }

 private:
  std::vector<Nanos> receive_times_;  // 0: not received
  int last_index_ = -1;
  int duplicates_ = 0;
  int out_of_order_ = 0;
  int unexpected_ = 0;
  int mismatched_ = 0;
};

// Counters every subscriber of a run updates, so the driver can wait for
// "all open" and "all delivered" without looking at each subscriber.
class RunTally {
 public:
  RunTally(int subscribers, int writes);

  // A stream is ready once the server confirmed it: etcd's "created"
  // response, importai's initial metadata (which gRPC may only send with the
  // first event).
  void MarkReady() { ready_.fetch_add(1, std::memory_order_relaxed); }
  void MarkDelivered(int index) {
    delivered_[index].fetch_add(1, std::memory_order_relaxed);
  }
  // A subscriber failed while the run still needed it (e.g. an etcd watch
  // canceled by the server): counted like a stream that ended in error.
  void MarkFailed(const std::string& why);
  // The stream of one subscriber ended. Any end before RequestCancel() is
  // a failure; CANCELLED afterwards is the normal end.
  void MarkFinished(const grpc::Status& status);
  void RequestCancel() { cancel_requested_.store(true); }

  int subscribers() const { return subscribers_; }
  int ready() const { return ready_.load(std::memory_order_relaxed); }
  int delivered(int index) const {
    return delivered_[index].load(std::memory_order_relaxed);
  }
  // Acquire: pairs with MarkFinished, so the ledgers of finished
  // subscribers are safe to read.
  int finished() const { return finished_.load(std::memory_order_acquire); }
  int failed() const;
  std::string first_error() const;

 private:
  const int subscribers_;
  std::atomic<int> ready_{0};
  std::atomic<int> finished_{0};
  std::atomic<bool> cancel_requested_{false};
  std::unique_ptr<std::atomic<int>[]> delivered_;
  mutable absl::Mutex mutex_;
  int failed_ ABSL_GUARDED_BY(mutex_) = 0;
  std::string first_error_ ABSL_GUARDED_BY(mutex_);
};

// The figures of one system for one subscriber count.
struct FeedResult {
  std::string system;
  std::string error;  // why the run stopped early; empty if it completed
  std::vector<std::string> notes;  // things worth knowing about the figures
  int subscribers = 0;
  int writes_sent = 0;
  int64_t rss_before_kib = -1;
  int64_t rss_idle_kib = -1;
  double open_ms = -1;       // from the first stream opened to the last ready
  double server_cpu_s = -1;  // server CPU from the first write to delivery
  double client_cpu_s = -1;  // this process' CPU over the same span
  std::vector<double> latencies_ms;  // sorted
  std::vector<double> write_ms;      // send to acknowledgement, sorted
  int64_t delivered = 0;
  int64_t missing = 0;
  int64_t duplicates = 0;
  int64_t out_of_order = 0;
  int64_t unexpected = 0;
  int64_t mismatched = 0;
  int failed_subscribers = 0;
  double events_per_second = 0;

  bool measured() const { return !latencies_ms.empty(); }
  bool ok() const {
    return error.empty() && missing == 0 && duplicates == 0 &&
           out_of_order == 0 && unexpected == 0 && mismatched == 0 &&
           failed_subscribers == 0;
  }
  // Quantile q in [0, 1] of the delivery latencies, nearest rank.
  double LatencyMs(double q) const { return Quantile(latencies_ms, q); }
  double WriteMs(double q) const { return Quantile(write_ms, q); }
  static double Quantile(const std::vector<double>& sorted, double q);
  // Server (idle - before) / subscribers, in KiB; negative if unknown.
  double RssPerSubscriberKib() const {
    return PerSubscriber(rss_before_kib, rss_idle_kib);
  }
  double PerSubscriber(int64_t before_kib, int64_t after_kib) const;
};

// Fills the latency and delivery figures of `result` from the ledgers.
void Summarize(const WritePlan& plan, const std::vector<const Ledger*>& ledgers,
               FeedResult* result);

}  // namespace importai::feed_bench

#endif  // IMPORTAI_CMD_FEED_BENCH_LEDGER_H_
