#include "services/replication/follower.h"

#include <algorithm>
#include <deque>
#include <iterator>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "common/status_macros.h"
#include "services/grpc_status.h"
#include "services/observability/log.h"

namespace importai::services::replication {
namespace {

using google::protobuf::util::TimeUtil;

std::shared_ptr<grpc::ChannelCredentials> PrimaryCredentials(
    const FollowerOptions& options) {
  if (options.tls_ca_pem.empty()) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = options.tls_ca_pem;
  ssl.pem_cert_chain = options.tls_cert_pem;
  ssl.pem_private_key = options.tls_key_pem;
  return grpc::SslCredentials(ssl);
}

std::shared_ptr<grpc::Channel> PrimaryChannel(const FollowerOptions& options) {
  grpc::ChannelArguments args;
  // A primary that vanishes without closing the connection is noticed by
  // keepalive (the server admits pings every 10 s; 30 s leaves a margin).
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30'000);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 5'000);
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  // An event is one issue, which the primary's --max_ingest_bytes bounds,
  // not a limit of the replica's: whatever the primary stored must pass.
  args.SetMaxReceiveMessageSize(-1);
  // Reconnect attempts are this class's own backoff.
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1'000);
  return grpc::CreateCustomChannel(options.primary,
                                   PrimaryCredentials(options), args);
}

absl::Time CommitTime(const v1::WatchIssuesResponse& event) {
  return absl::FromUnixNanos(
      TimeUtil::TimestampToNanoseconds(event.commit_time()));
}

// Events read from the primary, waiting to be applied: bounded in bytes, so a
// replica that writes slower than it reads stops reading (and the primary's
// flow control holds the rest).
class EventInbox {
 public:
  explicit EventInbox(size_t max_bytes) : max_bytes_(max_bytes) {}

  // Waits for room; false, dropping `event`, once closed.
  bool Push(v1::WatchIssuesResponse event) {
    const size_t bytes = event.ByteSizeLong();
    absl::MutexLock lock(&mu_);
    auto room = [this] { return closed_ || events_.empty() || bytes_ < max_bytes_; };
    mu_.Await(absl::Condition(&room));
    if (closed_) return false;
    bytes_ += bytes;
    events_.push_back({std::move(event), bytes});
    return true;
  }

  // Waits for events and moves up to `limit` of them into `*batch`; false
  // once closed and empty.
  bool Take(size_t limit, std::vector<v1::WatchIssuesResponse>* batch) {
    batch->clear();
    absl::MutexLock lock(&mu_);
    auto ready = [this] { return closed_ || !events_.empty(); };
    mu_.Await(absl::Condition(&ready));
    while (!events_.empty() && batch->size() < limit) {
      bytes_ -= events_.front().bytes;
      batch->push_back(std::move(events_.front().event));
      events_.pop_front();
    }
    return !batch->empty();
  }

  void Close() {
    absl::MutexLock lock(&mu_);
    closed_ = true;
  }

 private:
  struct Entry {
    v1::WatchIssuesResponse event;
    size_t bytes;
  };
  const size_t max_bytes_;
  absl::Mutex mu_;
  std::deque<Entry> events_ ABSL_GUARDED_BY(mu_);
  size_t bytes_ ABSL_GUARDED_BY(mu_) = 0;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace

Follower::Follower(storage::ArchiveStore* store, FollowerOptions options,
                   std::function<void(bool)> on_serving)
    : store_(*store),
      options_(std::move(options)),
      on_serving_(std::move(on_serving)) {
  std::shared_ptr<grpc::Channel> channel = PrimaryChannel(options_);
  archive_ = v1::ArchiveService::NewStub(channel);
  admin_ = v1::AdminService::NewStub(channel);
  thread_ = std::thread([this] { Run(); });
}

Follower::~Follower() { Stop(); }

void Follower::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    if (active_ != nullptr) active_->TryCancel();
  }
  if (thread_.joinable()) thread_.join();
}

template <typename Call>
auto Follower::WithContext(grpc::ClientContext& context, Call call) {
  {
    absl::MutexLock lock(&mu_);
    active_ = &context;
    if (stopping_) context.TryCancel();
  }
  auto result = call();
  absl::MutexLock lock(&mu_);
  active_ = nullptr;
  return result;
}

void Follower::Run() {
  absl::Duration retry = options_.retry_min;
  for (;;) {
    absl::Status followed = FollowOnce();
    // A stream that was open earns a prompt retry.
    if (SetConnected(false)) retry = options_.retry_min;
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
    }
    const bool broken_archive = absl::IsFailedPrecondition(followed) ||
                                absl::IsInvalidArgument(followed) ||
                                absl::IsInternal(followed);
    log::Write(broken_archive ? log::Level::kError : log::Level::kWarning,
               broken_archive ? "replica cannot follow its primary"
                              : "lost the primary's feed; retrying",
               {{"primary", options_.primary},
                {"error", std::string(followed.message())},
                {"retry_ms", absl::ToInt64Milliseconds(retry)}});
    {
      absl::MutexLock lock(&mu_);
      if (mu_.AwaitWithTimeout(absl::Condition(&stopping_), retry)) return;
    }
    retry = std::min(retry * 2, options_.retry_max);
    UpdateServing();
  }
}

absl::Status Follower::FollowOnce() {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  v1::FeedInfo info;
  grpc::Status asked = WithContext(context, [&] {
    return archive_->GetFeedInfo(&context, v1::GetFeedInfoRequest(), &info);
  });
  if (!asked.ok()) return FromGrpcStatus(asked, "primary's GetFeedInfo");
  const int64_t head = store_.HeadRevision();
  if (head > info.head_revision()) {
    SetDiverged(true);
    return absl::FailedPreconditionError(absl::StrCat(
        "this replica's head revision ", head, " is past the primary's ",
        info.head_revision(),
        ": it holds another archive; start it on an empty data directory"));
  }
  Learn(info.head_revision(), std::nullopt);
  if (store_.SnapshotLoadPending() || head + 1 < info.oldest_revision()) {
    absl::Status copied = Bootstrap();
    if (!copied.ok()) return copied;
  }
  // The replica's newest log entry, when the primary still keeps that
  // revision: following starts there, so the two can be compared.
  const int64_t now_head = store_.HeadRevision();
  std::optional<v1::WatchIssuesResponse> newest;
  if (now_head > 0 && now_head >= info.oldest_revision() &&
      now_head >= store_.OldestRevision()) {
    absl::StatusOr<std::vector<v1::WatchIssuesResponse>> entries =
        store_.ReadRevisions(now_head, 1);
    if (!entries.ok()) return entries.status();
    if (!entries->empty() && entries->front().revision() == now_head) {
      newest = std::move(entries->front());
    }
  }
  return Follow(newest.has_value() ? now_head : now_head + 1, newest);
}

absl::Status Follower::Bootstrap() {
  log::Write(log::Level::kWarning, "replica copies a snapshot of the primary",
             {{"primary", options_.primary},
              {"head_revision", store_.HeadRevision()}});
  grpc::ClientContext context;
  if (!options_.token.empty()) {
    context.AddMetadata("authorization", absl::StrCat("Bearer ", options_.token));
  }
  return WithContext(context, [&]() -> absl::Status {
    std::unique_ptr<grpc::ClientReader<v1::SnapshotChunk>> reader =
        admin_->StreamSnapshot(&context, v1::StreamSnapshotRequest());
    v1::SnapshotChunk chunk;
    int64_t revision = -1;
    bool finished = false;
    while (reader->Read(&chunk)) {
      if (revision >= 0 && chunk.revision() != revision) {
        context.TryCancel();
        break;
      }
      revision = chunk.revision();
      std::vector<v1::Issue> issues(
          std::make_move_iterator(chunk.mutable_issues()->begin()),
          std::make_move_iterator(chunk.mutable_issues()->end()));
      absl::Status loaded =
          issues.empty() ? absl::OkStatus() : store_.LoadSnapshotIssues(issues);
      if (loaded.ok() && chunk.last()) {
        loaded = store_.FinishSnapshotLoad(revision);
        finished = loaded.ok();
      }
      if (!loaded.ok()) {
        context.TryCancel();
        reader->Finish().ok();
        return loaded;
      }
    }
    grpc::Status ended = reader->Finish();
    if (!ended.ok()) return FromGrpcStatus(ended, "primary's StreamSnapshot");
    if (!finished) {
      return absl::UnavailableError(
          "the primary's snapshot ended before its last message");
    }
    {
      absl::MutexLock lock(&mu_);
      ++bootstraps_;
    }
    log::Write(log::Level::kInfo, "replica copied the primary's snapshot",
               {{"revision", revision}});
    return absl::OkStatus();
  });
}

absl::Status Follower::Follow(int64_t start_revision,
                              std::optional<v1::WatchIssuesResponse> newest) {
  grpc::ClientContext context;
  v1::WatchIssuesRequest request;
  request.set_start_revision(start_revision);
  request.set_view(v1::ISSUE_VIEW_FULL);
  *request.mutable_progress_interval() =
      TimeUtil::NanosecondsToDuration(
          absl::ToInt64Nanoseconds(options_.progress_interval));
  return WithContext(context, [&]() -> absl::Status {
    std::unique_ptr<grpc::ClientReader<v1::WatchIssuesResponse>> reader =
        archive_->WatchIssues(&context, request);
    // Read on one thread, applied on this one: what arrives while a batch
    // is written goes into the next one, so a replica catching up writes
    // (and syncs) once per batch, not once per revision.
    EventInbox inbox(kReplicaInboxBytes);
    std::thread reading([&] {
      v1::WatchIssuesResponse event;
      while (reader->Read(&event) && inbox.Push(std::move(event))) {
      }
      inbox.Close();
    });
    absl::Status applied;
    std::vector<v1::WatchIssuesResponse> batch;
    while (inbox.Take(kReplicaApplyBatch, &batch)) {
      applied = Apply(batch, newest);
      if (!applied.ok()) {
        inbox.Close();
        context.TryCancel();
        break;
      }
      SetConnected(true);
    }
    reading.join();
    grpc::Status ended = reader->Finish();
    if (!applied.ok()) return applied;
    return FromGrpcStatus(ended, "primary's WatchIssues");
  });
}

absl::Status Follower::Apply(
    std::vector<v1::WatchIssuesResponse>& batch,
    std::optional<v1::WatchIssuesResponse>& newest) {
  std::vector<v1::WatchIssuesResponse> changes;
  int64_t progress = 0;
  for (v1::WatchIssuesResponse& event : batch) {
    if (event.type() == v1::EVENT_TYPE_PROGRESS) {
      progress = std::max(progress, event.revision());
      continue;
    }
    if (newest.has_value() && event.revision() == newest->revision()) {
      // Byte for byte: the replica stored the event as the primary sent it.
      if (event.SerializeAsString() != newest->SerializeAsString()) {
        SetDiverged(true);
        return absl::FailedPreconditionError(absl::StrCat(
            "revision ", event.revision(),
            " on this replica differs from the primary's: the two hold "
            "different histories (was the primary restored from an older "
            "backup, or this data directory made for another archive?); "
            "start the replica on an empty data directory"));
      }
      newest.reset();
      SetDiverged(false);
    }
    changes.push_back(std::move(event));
  }
  if (!changes.empty()) {
    const int64_t before = store_.HeadRevision();
    IMPORTAI_ASSIGN_OR_RETURN(const int64_t head, store_.ApplyEvents(changes));
    {
      absl::MutexLock lock(&mu_);
      applied_ += static_cast<uint64_t>(head - before);
    }
    Learn(changes.back().revision(), CommitTime(changes.back()));
  }
  if (progress > 0) Learn(progress, std::nullopt);
  return absl::OkStatus();
}

void Follower::Learn(int64_t primary_head, std::optional<absl::Time> committed) {
  {
    absl::MutexLock lock(&mu_);
    primary_head_ = std::max(primary_head_, primary_head);
    if (store_.HeadRevision() >= primary_head_) {
      behind_since_.reset();
      lag_known_ = true;
    } else if (committed.has_value()) {
      // The next revision was committed after the one just applied.
      behind_since_ = committed;
      lag_known_ = true;
    } else if (!behind_since_.has_value()) {
      behind_since_ = absl::Now();
      lag_known_ = false;
    }
  }
  UpdateServing();
}

void Follower::SetDiverged(bool diverged) {
  {
    absl::MutexLock lock(&mu_);
    diverged_ = diverged;
  }
  UpdateServing();
}

bool Follower::SetConnected(bool connected) {
  {
    absl::MutexLock lock(&mu_);
    if (connected_ == connected) return connected;
    connected_ = connected;
    if (connected) ever_connected_ = true;
  }
  UpdateServing();
  return !connected;
}

ReplicaStatus Follower::StatusLocked() {
  ReplicaStatus status;
  status.connected = connected_;
  status.serving = serving_;
  status.primary_head = primary_head_;
  status.lag_revisions =
      std::max<int64_t>(0, primary_head_ - store_.HeadRevision());
  if (behind_since_.has_value()) {
    status.lag = std::max(absl::ZeroDuration(), absl::Now() - *behind_since_);
  }
  status.applied = applied_;
  status.bootstraps = bootstraps_;
  status.diverged = diverged_;
  return status;
}

ReplicaStatus Follower::Status() {
  absl::MutexLock lock(&mu_);
  return StatusLocked();
}

void Follower::UpdateServing() {
  bool serving = false;
  {
    absl::MutexLock lock(&mu_);
    const ReplicaStatus status = StatusLocked();
    // Behind by revisions whose commit times it has not seen, it cannot
    // tell how far: not serving until the first of them arrives.
    serving = ever_connected_ && !diverged_ && lag_known_ &&
              status.lag <= options_.max_lag;
    if (serving == serving_) return;
    serving_ = serving;
    log::Write(log::Level::kWarning,
               serving ? "replica serving: within max_lag of the primary"
                       : "replica not serving: behind the primary",
               {{"lag_revisions", status.lag_revisions},
                {"lag_ms", absl::ToInt64Milliseconds(status.lag)}});
  }
  on_serving_(serving);
}

}  // namespace importai::services::replication
