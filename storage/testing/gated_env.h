#ifndef IMPORTAI_STORAGE_TESTING_GATED_ENV_H_
#define IMPORTAI_STORAGE_TESTING_GATED_ENV_H_

#include <string>
#include <utility>

#include "absl/synchronization/mutex.h"
#include "rocksdb/env.h"

namespace importai::storage::testing {

// A rocksdb::Env over the default one that holds the creation of any
// directory whose path contains `marker` until Open(): a checkpoint to such
// a name stops there, with the store's write lock held, for as long as a
// test needs.
class GatedEnv : public rocksdb::EnvWrapper {
 public:
  explicit GatedEnv(std::string marker)
      : rocksdb::EnvWrapper(rocksdb::Env::Default()),
        marker_(std::move(marker)) {}

  const char* Name() const override { return "GatedEnv"; }

  rocksdb::Status CreateDir(const std::string& dir) override {
    if (dir.find(marker_) != std::string::npos) {
      absl::MutexLock lock(&mu_);
      held_ = true;
      mu_.Await(absl::Condition(&open_));
    }
    return target()->CreateDir(dir);
  }

  // Blocks until a call is held at the gate.
  void WaitUntilHeld() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(&held_));
  }

  // Lets held and later calls through.
  void Open() {
    absl::MutexLock lock(&mu_);
    open_ = true;
  }

 private:
  const std::string marker_;
  absl::Mutex mu_;
  bool held_ = false;
  bool open_ = false;
};

}  // namespace importai::storage::testing

#endif  // IMPORTAI_STORAGE_TESTING_GATED_ENV_H_
