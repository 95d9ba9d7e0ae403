#ifndef IMPORTAI_SERVICES_REPLICATION_FOLLOWER_H_
#define IMPORTAI_SERVICES_REPLICATION_FOLLOWER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/limits.h"
#include "grpcpp/client_context.h"
#include "importai/v1/admin_service.grpc.pb.h"
#include "importai/v1/archive_service.grpc.pb.h"
#include "storage/archive_store.h"

namespace importai::services::replication {

struct FollowerOptions {
  // The primary's HOST:PORT (importai-server --follow).
  std::string primary;
  // Bearer token for the primary's StreamSnapshot; empty: none.
  std::string token;
  // PEM CA bundle: reach the primary over TLS, verified against it (empty:
  // plaintext). With a certificate and key too, present them (mTLS).
  std::string tls_ca_pem;
  std::string tls_cert_pem;
  std::string tls_key_pem;
  // NOT_SERVING while farther behind than this.
  absl::Duration max_lag = kDefaultMaxReplicaLag;
  // Asked of the primary's feed: how often an idle stream tells the head.
  absl::Duration progress_interval = absl::Seconds(1);
  // Waits between tries to reach the primary, doubling from min to max.
  absl::Duration retry_min = absl::Milliseconds(100);
  absl::Duration retry_max = absl::Seconds(5);
};

// Where a replica stands, for health and metrics.
struct ReplicaStatus {
  bool connected = false;  // a feed stream from the primary is open
  bool serving = false;    // within max_lag (see Follower)
  int64_t primary_head = 0;
  int64_t lag_revisions = 0;
  absl::Duration lag = absl::ZeroDuration();
  uint64_t applied = 0;  // revisions applied since start
  uint64_t bootstraps = 0;
  // Its history is not a prefix of the primary's: it stopped applying.
  bool diverged = false;
};

// Keeps a replica's store a copy of its primary's: one thread follows the
// primary's WatchIssues (FULL view) from the store's head + 1 and applies
// each change with ArchiveStore::ApplyEvents; when the primary no longer
// keeps that revision (or a snapshot load was cut short), it first copies a
// snapshot (AdminService.StreamSnapshot) and follows from its revision + 1.
// A broken stream is retried with backoff, from the head again.
//
// Lag: the revisions the primary is known to have (from its events, its
// PROGRESS heads and GetFeedInfo) that the store has not, and in time, how
// long ago the oldest of them was committed (bounded by the commit time of
// the last one applied; until one arrives, since they were first known of).
// Serving means a stream was open since start and the lag in time, known
// from commit times, is at most max_lag. While the primary is unreachable a replica that had
// caught up stays serving with what it has, so reads and open streams
// survive the loss of the primary.
//
// Thread-safe. `store` must outlive the follower.
class Follower {
 public:
  // `on_serving` is told each change of serving, in order (only the
  // follower's thread calls it, with no lock held).
  Follower(storage::ArchiveStore* store, FollowerOptions options,
           std::function<void(bool serving)> on_serving);
  ~Follower();

  // Stops following: cancels the open stream and joins the thread.
  void Stop() ABSL_LOCKS_EXCLUDED(mu_);

  ReplicaStatus Status() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void Run();
  // One try: learn the primary's feed, bootstrap if needed, then follow
  // until the stream ends. OK only when stopping.
  absl::Status FollowOnce();
  absl::Status Bootstrap();
  // Follows from `start_revision`; `newest`, when set, is the replica's own
  // entry at that revision, which the primary's must equal.
  absl::Status Follow(int64_t start_revision,
                      std::optional<v1::WatchIssuesResponse> newest);
  // Applies the changes of `batch` (moved out of it) in one write and learns
  // from its PROGRESS events; checks (and then clears) `newest` when its revision
  // comes: FAILED_PRECONDITION when the primary's differs.
  absl::Status Apply(std::vector<v1::WatchIssuesResponse>& batch,
                     std::optional<v1::WatchIssuesResponse>& newest);
  // Runs `call` with a context that Stop() cancels.
  template <typename Call>
  auto WithContext(grpc::ClientContext& context, Call call);
  void Learn(int64_t primary_head, std::optional<absl::Time> committed)
      ABSL_LOCKS_EXCLUDED(mu_);
  void SetDiverged(bool diverged) ABSL_LOCKS_EXCLUDED(mu_);
  // Returns whether it was connected before.
  bool SetConnected(bool connected) ABSL_LOCKS_EXCLUDED(mu_);
  // Recomputes serving; tells on_serving_ if it changed.
  void UpdateServing() ABSL_LOCKS_EXCLUDED(mu_);
  ReplicaStatus StatusLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  storage::ArchiveStore& store_;
  const FollowerOptions options_;
  const std::function<void(bool)> on_serving_;
  std::unique_ptr<v1::ArchiveService::Stub> archive_;
  std::unique_ptr<v1::AdminService::Stub> admin_;

  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  grpc::ClientContext* active_ ABSL_GUARDED_BY(mu_) = nullptr;
  bool connected_ ABSL_GUARDED_BY(mu_) = false;
  bool ever_connected_ ABSL_GUARDED_BY(mu_) = false;
  bool serving_ ABSL_GUARDED_BY(mu_) = false;
  int64_t primary_head_ ABSL_GUARDED_BY(mu_) = 0;
  // When the oldest revision not applied yet was committed (or first known
  // of); unset while caught up.
  std::optional<absl::Time> behind_since_ ABSL_GUARDED_BY(mu_);
  // behind_since_ is a commit time (or the replica is caught up), not just
  // when it learned it was behind.
  bool lag_known_ ABSL_GUARDED_BY(mu_) = true;
  uint64_t applied_ ABSL_GUARDED_BY(mu_) = 0;
  bool diverged_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t bootstraps_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread thread_;
};

}  // namespace importai::services::replication

#endif  // IMPORTAI_SERVICES_REPLICATION_FOLLOWER_H_
