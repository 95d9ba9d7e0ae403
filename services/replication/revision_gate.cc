#include "services/replication/revision_gate.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/excerpt.h"
#include "common/limits.h"

namespace importai::services::replication {

absl::StatusOr<int64_t> RequestedMinRevision(
    const grpc::ServerContextBase& context) {
  const auto& metadata = context.client_metadata();
  auto found = metadata.find(kMinRevisionMetadata);
  if (found == metadata.end()) return 0;
  const absl::string_view value(found->second.data(), found->second.size());
  int64_t revision = 0;
  if (!absl::SimpleAtoi(value, &revision) || revision < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(kMinRevisionMetadata, ": \"", Excerpt(value),
                     "\" is not a revision (a whole number >= 0)"));
  }
  return revision;
}

RevisionGate::RevisionGate(std::function<int64_t()> head, size_t max_waiters,
                           absl::Duration max_wait)
    : head_(std::move(head)),
      max_waiters_(max_waiters),
      max_wait_(max_wait),
      thread_([this] { Run(); }) {}

RevisionGate::~RevisionGate() {
  Shutdown();
  thread_.join();
}

absl::Status RevisionGate::Wait(int64_t revision, absl::Time deadline,
                                std::function<void(absl::Status)> then) {
  bool stopping = false;
  {
    absl::MutexLock lock(&mu_);
    stopping = stopping_;
    if (!stopping && revision > head_()) {
      if (waiters_.size() >= max_waiters_) {
        return absl::ResourceExhaustedError(absl::StrCat(
            max_waiters_, " reads already wait for revisions (",
            kMinRevisionMetadata, "); retry later"));
      }
      const absl::Time now = absl::Now();
      auto added = waiters_.emplace(std::min(deadline, now + max_wait_),
                                    Waiter{revision, now, std::move(then)});
      // The thread sleeps until the earliest end it knew of.
      if (added == waiters_.begin()) notified_ = true;
      return absl::OkStatus();
    }
  }
  then(stopping ? absl::UnavailableError(
                      "the server is shutting down; retry on another server")
                : absl::OkStatus());
  return absl::OkStatus();
}

void RevisionGate::Shutdown() {
  absl::MutexLock lock(&mu_);
  stopping_ = true;
}

void RevisionGate::Notify() {
  absl::MutexLock lock(&mu_);
  notified_ = true;
}

size_t RevisionGate::waiting() {
  absl::MutexLock lock(&mu_);
  return waiters_.size();
}

void RevisionGate::Run() {
  for (;;) {
    std::vector<std::pair<Waiter, absl::Status>> done;
    {
      absl::MutexLock lock(&mu_);
      const absl::Time next = waiters_.empty() ? absl::InfiniteFuture()
                                               : waiters_.begin()->first;
      mu_.AwaitWithDeadline(absl::Condition(this, &RevisionGate::Woken), next);
      notified_ = false;
      const int64_t head = head_();
      const absl::Time now = absl::Now();
      for (auto it = waiters_.begin(); it != waiters_.end();) {
        Waiter& waiter = it->second;
        if (waiter.revision <= head) {
          done.emplace_back(std::move(waiter), absl::OkStatus());
        } else if (stopping_ || it->first <= now) {
          done.emplace_back(
              std::move(waiter),
              absl::UnavailableError(absl::StrCat(
                  "revision ", waiter.revision,
                  " is not applied on this server yet (its head is ", head,
                  ") after waiting ",
                  absl::FormatDuration(absl::Trunc(now - waiter.since,
                                                   absl::Milliseconds(1))),
                  "; retry, or read from the primary")));
        } else {
          ++it;
          continue;
        }
        it = waiters_.erase(it);
      }
      if (stopping_ && waiters_.empty() && done.empty()) return;
    }
    for (auto& [waiter, status] : done) waiter.then(status);
  }
}

}  // namespace importai::services::replication
