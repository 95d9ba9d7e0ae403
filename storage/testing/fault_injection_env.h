#ifndef IMPORTAI_STORAGE_TESTING_FAULT_INJECTION_ENV_H_
#define IMPORTAI_STORAGE_TESTING_FAULT_INJECTION_ENV_H_

#include <atomic>
#include <memory>
#include <string>
#include <utility>

#include "rocksdb/env.h"
#include "rocksdb/status.h"

namespace importai::storage::testing {

// A rocksdb::Env over the default one that makes writes fail with "No space
// left on device" while a fault is set, for RocksDbStoreOptions.env. Reads,
// directories and everything else pass through.
class FaultInjectionEnv : public rocksdb::EnvWrapper {
 public:
  enum class Fault {
    kNone,
    // Creating a file, appending, flushing and syncing all fail: nothing new
    // reaches the file system.
    kNoSpace,
    // Only Sync and Fsync fail: the bytes reach the OS but are not made
    // durable, as when fsync reports an error after a write succeeded.
    kSyncFails,
    // Like kNoSpace, but a plain I/O error ("Input/output error", EIO),
    // which RocksDB does not retry by itself.
    kIoError,
  };

  FaultInjectionEnv() : rocksdb::EnvWrapper(rocksdb::Env::Default()) {}

  const char* Name() const override { return "FaultInjectionEnv"; }

  void SetFault(Fault fault) { fault_.store(fault); }
  Fault fault() const { return fault_.load(); }
  // Whether creating, appending to and flushing files fails now.
  bool FailsWrites() const {
    const Fault now = fault();
    return now == Fault::kNoSpace || now == Fault::kIoError;
  }
  // How many calls have failed because of a fault.
  int injected() const { return injected_.load(); }

  // What the error of a failing call says.
  static const char* Message(Fault fault) {
    return fault == Fault::kIoError ? "Input/output error"
                                    : "No space left on device";
  }

  // The error a failing call returns; counts it.
  rocksdb::Status Injected() {
    injected_.fetch_add(1);
    const Fault now = fault();
    if (now == Fault::kIoError) {
      return rocksdb::Status::IOError(Message(now),
                                      "injected by FaultInjectionEnv");
    }
    return rocksdb::Status::NoSpace(Message(now),
                                    "injected by FaultInjectionEnv");
  }

  rocksdb::Status NewWritableFile(
      const std::string& fname, std::unique_ptr<rocksdb::WritableFile>* result,
      const rocksdb::EnvOptions& options) override {
    if (FailsWrites()) return Injected();
    return Wrap(target()->NewWritableFile(fname, result, options), result);
  }

  rocksdb::Status ReopenWritableFile(
      const std::string& fname, std::unique_ptr<rocksdb::WritableFile>* result,
      const rocksdb::EnvOptions& options) override {
    if (FailsWrites()) return Injected();
    return Wrap(target()->ReopenWritableFile(fname, result, options), result);
  }

  rocksdb::Status ReuseWritableFile(
      const std::string& fname, const std::string& old_fname,
      std::unique_ptr<rocksdb::WritableFile>* result,
      const rocksdb::EnvOptions& options) override {
    if (FailsWrites()) return Injected();
    return Wrap(target()->ReuseWritableFile(fname, old_fname, result, options),
                result);
  }

 private:
  class File : public rocksdb::WritableFileWrapper {
   public:
    File(std::unique_ptr<rocksdb::WritableFile> file, FaultInjectionEnv* env)
        : rocksdb::WritableFileWrapper(file.get()),
          file_(std::move(file)),
          env_(env) {}

    rocksdb::Status Append(const rocksdb::Slice& data) override {
      if (env_->FailsWrites()) return env_->Injected();
      return WritableFileWrapper::Append(data);
    }
    rocksdb::Status Append(
        const rocksdb::Slice& data,
        const rocksdb::DataVerificationInfo& verification_info) override {
      if (env_->FailsWrites()) return env_->Injected();
      return WritableFileWrapper::Append(data, verification_info);
    }
    rocksdb::Status PositionedAppend(const rocksdb::Slice& data,
                                     uint64_t offset) override {
      if (env_->FailsWrites()) return env_->Injected();
      return WritableFileWrapper::PositionedAppend(data, offset);
    }
    rocksdb::Status PositionedAppend(
        const rocksdb::Slice& data, uint64_t offset,
        const rocksdb::DataVerificationInfo& verification_info) override {
      if (env_->FailsWrites()) return env_->Injected();
      return WritableFileWrapper::PositionedAppend(data, offset,
                                                   verification_info);
    }
    rocksdb::Status Flush() override {
      if (env_->FailsWrites()) return env_->Injected();
      return WritableFileWrapper::Flush();
    }
    rocksdb::Status Sync() override {
      if (env_->fault() != Fault::kNone) return env_->Injected();
      return WritableFileWrapper::Sync();
    }
    rocksdb::Status Fsync() override {
      if (env_->fault() != Fault::kNone) return env_->Injected();
      return WritableFileWrapper::Fsync();
    }
    rocksdb::Status RangeSync(uint64_t offset, uint64_t nbytes) override {
      if (env_->fault() != Fault::kNone) return env_->Injected();
      return WritableFileWrapper::RangeSync(offset, nbytes);
    }

   private:
    std::unique_ptr<rocksdb::WritableFile> file_;
    FaultInjectionEnv* env_;
  };

  rocksdb::Status Wrap(rocksdb::Status status,
                       std::unique_ptr<rocksdb::WritableFile>* result) {
    if (status.ok()) *result = std::make_unique<File>(std::move(*result), this);
    return status;
  }

  std::atomic<Fault> fault_{Fault::kNone};
  std::atomic<int> injected_{0};
};

}  // namespace importai::storage::testing

#endif  // IMPORTAI_STORAGE_TESTING_FAULT_INJECTION_ENV_H_
