#ifndef IMPORTAI_SERVICES_REPLICATION_REVISION_GATE_H_
#define IMPORTAI_SERVICES_REPLICATION_REVISION_GATE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/limits.h"
#include "common/metadata.h"
#include "grpcpp/server_context.h"

namespace importai::services::replication {

// The revision `context` asks for with kMinRevisionMetadata (a read waits
// until the server has applied it: read-your-writes across replicas); 0 when it asks
// for none. INVALID_ARGUMENT naming the metadata for a value that is not a
// whole number >= 0.
absl::StatusOr<int64_t> RequestedMinRevision(
    const grpc::ServerContextBase& context);

// Holds reads that ask for a revision the store has not applied yet until it
// has, or until their wait ends: the call's deadline, at most `max_wait`
// (kMaxMinRevisionWait) away; at most `max_waiters` at once. Waiting costs no thread per read: one thread
// runs what was held, outside the lock, once Notify() says the head moved
// or a wait ends.
//
// Thread-safe. Destroying the gate ends every wait with UNAVAILABLE.
class RevisionGate {
 public:
  // `head` reads the store's head revision (cheap, lock-free).
  explicit RevisionGate(std::function<int64_t()> head,
                        size_t max_waiters = kMaxMinRevisionWaiters,
                        absl::Duration max_wait = kMaxMinRevisionWait);
  ~RevisionGate();

  // Runs `then(OK)` once the head reaches `revision` (inline when it has
  // already), or `then(UNAVAILABLE)` when the wait ends first. Returns
  // RESOURCE_EXHAUSTED, and runs nothing, when max_waiters wait.
  absl::Status Wait(int64_t revision, absl::Time deadline,
                    std::function<void(absl::Status)> then)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Ends every wait with UNAVAILABLE now, and each later one at once: the
  // server is stopping, and held calls must not hold up its drain.
  void Shutdown() ABSL_LOCKS_EXCLUDED(mu_);

  // The head moved. Cheap: called from the store's commit path.
  void Notify() ABSL_LOCKS_EXCLUDED(mu_);

  size_t waiting() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Waiter {
    int64_t revision;
    absl::Time since;
    std::function<void(absl::Status)> then;
  };
  void Run() ABSL_LOCKS_EXCLUDED(mu_);
  bool Woken() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return notified_ || stopping_;
  }

  const std::function<int64_t()> head_;
  const size_t max_waiters_;
  const absl::Duration max_wait_;
  absl::Mutex mu_;
  // By the end of their wait.
  std::multimap<absl::Time, Waiter> waiters_ ABSL_GUARDED_BY(mu_);
  bool notified_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace importai::services::replication

#endif  // IMPORTAI_SERVICES_REPLICATION_REVISION_GATE_H_
