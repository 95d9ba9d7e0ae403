#include "cmd/feed_bench/ledger.h"

#include <algorithm>
#include <cmath>

namespace importai::feed_bench {

bool Ledger::Record(int index, Nanos now) {
  if (receive_times_[index] != 0) {
    ++duplicates_;
    return false;
  }
  receive_times_[index] = now;
  if (index < last_index_) ++out_of_order_;
  last_index_ = std::max(last_index_, index);
  return true;
}

RunTally::RunTally(int subscribers, int writes)
    : subscribers_(subscribers),
      delivered_(std::make_unique<std::atomic<int>[]>(writes)) {
  for (int i = 0; i < writes; ++i) delivered_[i].store(0);
}

void RunTally::MarkFailed(const std::string& why) {
  absl::MutexLock lock(&mutex_);
  if (failed_++ == 0) first_error_ = why;
}

void RunTally::MarkFinished(const grpc::Status& status) {
  // A feed never ends by itself: even OK is a failure before cancellation.
  const bool expected_end =
      cancel_requested_.load() &&
      (status.ok() || status.error_code() == grpc::StatusCode::CANCELLED);
  if (!expected_end) {
    MarkFailed("stream ended with code " + std::to_string(status.error_code()) +
               ": " + status.error_message());
  }
  finished_.fetch_add(1, std::memory_order_release);
}

int RunTally::failed() const {
  absl::MutexLock lock(&mutex_);
  return failed_;
}

std::string RunTally::first_error() const {
  absl::MutexLock lock(&mutex_);
  return first_error_;
}

double FeedResult::Quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return NAN;
  const size_t rank = static_cast<size_t>(std::ceil(q * sorted.size()));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

double FeedResult::PerSubscriber(int64_t before_kib, int64_t after_kib) const {
  if (before_kib < 0 || after_kib < 0 || subscribers == 0) return -1;
  return static_cast<double>(after_kib - before_kib) / subscribers;
}

void Summarize(const WritePlan& plan, const std::vector<const Ledger*>& ledgers,
               FeedResult* result) {
  Nanos last_delivery = 0;
  result->latencies_ms.reserve(ledgers.size() * result->writes_sent);
  for (const Ledger* ledger : ledgers) {
    for (int i = 0; i < result->writes_sent; ++i) {
      const Nanos received = ledger->receive_times()[i];
      if (received == 0) {
        ++result->missing;
        continue;
      }
      result->latencies_ms.push_back((received - plan.send_times[i]) / 1e6);
      last_delivery = std::max(last_delivery, received);
    }
    result->duplicates += ledger->duplicates();
    result->out_of_order += ledger->out_of_order();
    result->unexpected += ledger->unexpected();
    result->mismatched += ledger->mismatched();
  }
  std::sort(result->latencies_ms.begin(), result->latencies_ms.end());
  for (int i = 0; i < result->writes_sent; ++i) {
    result->write_ms.push_back((plan.ack_times[i] - plan.send_times[i]) / 1e6);
  }
  std::sort(result->write_ms.begin(), result->write_ms.end());
  result->delivered = static_cast<int64_t>(result->latencies_ms.size());
  if (result->delivered > 0 && last_delivery > plan.send_times[0]) {
    result->events_per_second =
        result->delivered / ((last_delivery - plan.send_times[0]) / 1e9);
  }
}

}  // namespace importai::feed_bench
