#include "services/feed/feed_hub.h"

#include <algorithm>
#include <utility>

#include "absl/time/clock.h"
#include "services/feed/feed_errors.h"
#include "services/feed/watch_subscriber.h"

namespace importai::services::feed {

FeedHub::FeedHub(storage::ArchiveStore* store, FeedOptions options)
    : store_(*store),
      options_(std::move(options)),
      catch_up_(store, options_.catch_up,
                [this](absl::Time started_before, size_t bytes_to_free) {
                  EndStalledCatchUps(started_before, bytes_to_free);
                }) {
  {
    absl::MutexLock lock(&mu_);
    head_ = store_.HeadRevision();
  }
  if (!options_.retention.keeps_everything()) {
    trimmer_.emplace(store, options_.retention, options_.trim_interval);
  }
  store_.SetCommitListener(
      [this](const std::vector<storage::CommittedEntry>& committed) {
        Publish(committed);
      });
  worker_ = std::thread([this] { RunWorker(); });
}

FeedHub::~FeedHub() {
  store_.SetCommitListener(nullptr);
  trimmer_.reset();
  // Its thread answers subscribers, which call back into the hub.
  catch_up_.Stop();
  {
    absl::MutexLock lock(&mu_);
    stop_worker_ = true;
    worker_cv_.Signal();
  }
  worker_.join();
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* FeedHub::Watch(
    grpc::CallbackServerContext* context, int64_t start_revision,
    v1::IssueView view, absl::Duration progress_interval) {
  std::shared_ptr<WatchSubscriber> subscriber;
  {
    absl::MutexLock lock(&mu_);
    if (shutting_down_) {
      return new RefusedWatch(ShuttingDownError());
    }
    if (live_.size() >= options_.max_subscribers) {
      return new RefusedWatch(
          TooManySubscribersError(options_.max_subscribers));
    }
    const int64_t oldest = store_.OldestRevision();
    if (start_revision > 0 && start_revision < oldest) {
      return new RefusedWatch(NoLongerRetainedError(start_revision, oldest,
                                                    /*requested_start=*/true));
    }
    const int64_t next = start_revision > 0 ? start_revision : head_ + 1;
    subscriber = std::make_shared<WatchSubscriber>(this, context, next, view,
                                                   progress_interval);
    // Adopted before a Shutdown() can see it, so finishing it early still
    // ends with OnDone() dropping the last self-reference.
    subscriber->Adopt();
    live_.emplace(subscriber.get(), subscriber);
  }
  subscriber->Start();
  return subscriber.get();
}

v1::FeedInfo FeedHub::Info() {
  v1::FeedInfo info;
  info.set_oldest_revision(store_.OldestRevision());
  info.set_head_revision(store_.HeadRevision());
  return info;
}

std::vector<std::shared_ptr<WatchSubscriber>> FeedHub::LiveSubscribers() {
  std::vector<std::shared_ptr<WatchSubscriber>> open;
  absl::MutexLock lock(&mu_);
  for (auto& [raw, weak] : live_) {
    if (auto subscriber = weak.lock()) open.push_back(std::move(subscriber));
  }
  return open;
}

void FeedHub::Shutdown() {
  {
    absl::MutexLock lock(&mu_);
    shutting_down_ = true;
  }
  for (auto& subscriber : LiveSubscribers()) subscriber->EndForShutdown();
}

void FeedHub::EndStalledCatchUps(absl::Time started_before,
                                 size_t bytes_to_free) {
  struct Stalled {
    absl::Time since;
    size_t bytes;
    std::shared_ptr<WatchSubscriber> subscriber;
  };
  std::vector<Stalled> stalled;
  for (auto& subscriber : LiveSubscribers()) {
    if (auto held = subscriber->StalledCatchUp(started_before)) {
      stalled.push_back({held->first, held->second, std::move(subscriber)});
    }
  }
  std::sort(
      stalled.begin(), stalled.end(),
      [](const Stalled& a, const Stalled& b) { return a.since < b.since; });
  size_t freed = 0;
  for (const Stalled& one : stalled) {
    if (freed >= bytes_to_free) break;
    if (one.subscriber->EndIfStalled(started_before)) freed += one.bytes;
  }
}

size_t FeedHub::window_bytes() {
  absl::MutexLock lock(&mu_);
  return window_bytes_;
}

size_t FeedHub::subscriber_count() {
  absl::MutexLock lock(&mu_);
  return live_.size();
}

Lookup FeedHub::Find(int64_t revision, v1::IssueView view) {
  absl::MutexLock lock(&mu_);
  Lookup found;
  if (revision > head_) {
    found.kind = Lookup::kAhead;
    found.head_revision = head_;
    return found;
  }
  const int64_t window_oldest =
      head_ - static_cast<int64_t>(window_.size()) + 1;
  if (revision >= window_oldest) {
    found.kind = Lookup::kFound;
    found.event = window_[revision - window_oldest].ForView(view);
  }
  return found;
}

bool FeedHub::WaitFor(const std::shared_ptr<WatchSubscriber>& subscriber,
                      int64_t revision) {
  absl::MutexLock lock(&mu_);
  if (revision <= head_) return false;
  waiting_.emplace(subscriber.get(), subscriber);
  return true;
}

void FeedHub::ArmTimer(const std::shared_ptr<WatchSubscriber>& subscriber,
                       absl::Time deadline) {
  absl::MutexLock lock(&mu_);
  const bool earliest = timers_.empty() || deadline < timers_.begin()->first;
  timers_.emplace(deadline, subscriber);
  if (earliest) worker_cv_.Signal();
}

void FeedHub::Unregister(WatchSubscriber* subscriber) {
  absl::MutexLock lock(&mu_);
  live_.erase(subscriber);
  waiting_.erase(subscriber);
}

void FeedHub::Publish(const std::vector<storage::CommittedEntry>& committed) {
  // Each view serialized once here, whatever the number of subscribers.
  std::vector<FeedEvent> events;
  events.reserve(committed.size());
  for (const storage::CommittedEntry& entry : committed) {
    events.push_back(MakeFeedEvent(entry));
  }
  absl::MutexLock lock(&mu_);
  if (committed.empty()) {
    // The head moved with no events (a replica loaded a snapshot): what the
    // window holds no longer leads up to it.
    head_ = store_.HeadRevision();
    window_.clear();
    window_bytes_ = 0;
  }
  for (FeedEvent& event : events) {
    if (event.revision != head_ + 1) {
      // Revisions committed before this hub listened are in the log only.
      window_.clear();
      window_bytes_ = 0;
    }
    head_ = event.revision;
    window_bytes_ += event.bytes();
    window_.push_back(std::move(event));
  }
  while (window_.size() > 1 && window_bytes_ > options_.window_bytes) {
    window_bytes_ -= window_.front().bytes();
    window_.pop_front();
  }
  for (auto& [raw, subscriber] : waiting_)
    to_wake_.push_back(std::move(subscriber));
  waiting_.clear();
  worker_cv_.Signal();
  if (on_publish_) on_publish_();
}

bool FeedHub::WorkerHasWork() const {
  return stop_worker_ || !to_wake_.empty();
}

void FeedHub::RunWorker() {
  for (;;) {
    std::vector<std::shared_ptr<WatchSubscriber>> wake;
    std::vector<std::shared_ptr<WatchSubscriber>> timed_out;
    {
      absl::MutexLock lock(&mu_);
      for (;;) {
        if (WorkerHasWork()) break;
        absl::Time deadline = absl::InfiniteFuture();
        if (!timers_.empty()) deadline = timers_.begin()->first;
        if (absl::Now() >= deadline) break;
        worker_cv_.WaitWithDeadline(&mu_, deadline);
      }
      if (stop_worker_) return;
      wake.swap(to_wake_);
      const absl::Time now = absl::Now();
      while (!timers_.empty() && timers_.begin()->first <= now) {
        if (auto subscriber = timers_.begin()->second.lock()) {
          timed_out.push_back(std::move(subscriber));
        }
        timers_.erase(timers_.begin());
      }
    }
    for (auto& subscriber : wake) subscriber->Pump();
    for (auto& subscriber : timed_out) subscriber->OnProgressTimer();
  }
}

}  // namespace importai::services::feed
