#include "services/feed/catch_up_reader.h"

#include <algorithm>

#include "absl/time/clock.h"
#include "services/feed/feed_errors.h"
#include "services/issue_view.h"

namespace importai::services::feed {

CatchUpReader::CatchUpReader(storage::ArchiveStore* store,
                             CatchUpOptions options, EndStalled end_stalled)
    : store_(*store),
      options_(options),
      end_stalled_(std::move(end_stalled)),
      budget_(std::make_shared<MemoryBudget>(options.budget_bytes)) {
  thread_ = std::thread([this] { Run(); });
}

CatchUpReader::~CatchUpReader() { Stop(); }

void CatchUpReader::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stop_) return;
    stop_ = true;
    work_cv_.Signal();
  }
  budget_->Cancel();
  thread_.join();
  absl::MutexLock lock(&mu_);
  waiters_.clear();
  cache_.clear();
}

int64_t CatchUpReader::reads() {
  absl::MutexLock lock(&mu_);
  return reads_;
}

std::optional<grpc::Slice> CatchUpReader::Get(
    int64_t revision, v1::IssueView view,
    std::shared_ptr<CatchUpWaiter> waiter) {
  const Key key(view, revision);
  absl::MutexLock lock(&mu_);
  if (auto cached = cache_.find(key); cached != cache_.end()) {
    return cached->second;
  }
  if (stop_) return std::nullopt;  // shutting down: streams end anyway
  std::vector<std::weak_ptr<CatchUpWaiter>>& waiting = waiters_[key];
  // The first one asks for the read; the others share it.
  if (waiting.empty()) {
    queue_.push_back(key);
    work_cv_.Signal();
  }
  waiting.push_back(std::move(waiter));
  return std::nullopt;
}

void CatchUpReader::Run() {
  for (;;) {
    Key key;
    {
      absl::MutexLock lock(&mu_);
      while (!stop_ && queue_.empty()) work_cv_.Wait(&mu_);
      if (stop_) return;
      key = queue_.front();
      queue_.pop_front();
      // An earlier batch may have answered everyone who asked, or they
      // may all have gone.
      auto waiting = waiters_.find(key);
      if (waiting == waiters_.end()) continue;
      if (std::all_of(waiting->second.begin(), waiting->second.end(),
                      [](const auto& waiter) { return waiter.expired(); })) {
        waiters_.erase(waiting);
        continue;
      }
      EvictLocked();
    }
    if (!WaitForRoom()) return;
    for (auto& [waiter, event] : Read(key)) waiter->OnCatchUp(std::move(event));
  }
}

bool CatchUpReader::WaitForRoom() {
  for (;;) {
    switch (
        budget_->WaitForRoom(options_.batch_bytes, options_.stall_timeout)) {
      case MemoryBudget::Wait::kRoom:
        return true;
      case MemoryBudget::Wait::kCancelled:
        return false;
      case MemoryBudget::Wait::kTimedOut: {
        // Whoever has held an unsent event this long is not reading: end
        // enough of them, the longest stalled first, to make room.
        const size_t held = budget_->held();
        const size_t wanted = held + options_.batch_bytes;
        if (wanted <= budget_->limit()) break;  // room came meanwhile
        end_stalled_(absl::Now() - options_.stall_timeout,
                     std::min(held, wanted - budget_->limit()));
        break;
      }
    }
  }
}

void CatchUpReader::EvictLocked() {
  while (!cache_order_.empty() &&
         budget_->held() + options_.batch_bytes > budget_->limit()) {
    cache_.erase(cache_order_.front());
    cache_order_.pop_front();
  }
}

std::vector<CatchUpReader::Delivery> CatchUpReader::Read(const Key& key) {
  const auto [view, revision] = key;
  absl::StatusOr<std::vector<v1::WatchIssuesResponse>> entries =
      store_.ReadRevisions(revision, options_.batch);
  std::vector<Delivery> answered;
  if (!entries.ok() || entries->empty() ||
      entries->front().revision() != revision) {
    absl::Status failed =
        !entries.ok() ? entries.status()
                      : NoLongerRetainedError(revision, store_.OldestRevision(),
                                              /*requested_start=*/false);
    absl::MutexLock lock(&mu_);
    ++reads_;
    AnswerLocked(key, failed, &answered);
    return answered;
  }
  // Serialized before taking the lock, which Get's callers wait on.
  // Bounded in bytes too; entries left out are read when their turn comes.
  std::vector<std::pair<Key, grpc::Slice>> events;
  size_t batch_bytes = 0;
  for (v1::WatchIssuesResponse& entry : *entries) {
    if (batch_bytes > 0 && batch_bytes >= options_.batch_bytes) break;
    ApplyIssueView(static_cast<v1::IssueView>(view), entry.mutable_issue());
    grpc::Slice event =
        MemoryBudget::ChargedSlice(budget_, entry.SerializeAsString());
    batch_bytes += event.size();
    events.emplace_back(Key(view, entry.revision()), std::move(event));
  }
  absl::MutexLock lock(&mu_);
  ++reads_;
  for (auto& [read, event] : events) {
    if (cache_.emplace(read, event).second) cache_order_.push_back(read);
    AnswerLocked(read, event, &answered);
  }
  return answered;
}

void CatchUpReader::AnswerLocked(const Key& key,
                                 const absl::StatusOr<grpc::Slice>& event,
                                 std::vector<Delivery>* out) {
  auto waiting = waiters_.find(key);
  if (waiting == waiters_.end()) return;
  for (const auto& weak : waiting->second) {
    if (auto waiter = weak.lock()) out->emplace_back(std::move(waiter), event);
  }
  waiters_.erase(waiting);
}

}  // namespace importai::services::feed
