#ifndef IMPORTAI_STORAGE_TESTING_STORE_TEST_BASE_H_
#define IMPORTAI_STORAGE_TESTING_STORE_TEST_BASE_H_

#include <memory>

#include "common/testing/status_matchers.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"
#include "storage/rocksdb_store.h"

namespace importai::storage::testing {

// A fixture with a RocksDbStore in a fresh directory, open from SetUp on.
class StoreTestBase : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  // Closes the store (if open) and opens the same directory again.
  void Reopen() {
    store_.reset();
    auto opened = RocksDbStore::Open(dir_.path());
    ASSERT_THAT(opened, importai::testing::IsOk());
    store_ = *std::move(opened);
  }

  importai::testing::TempDir dir_;
  std::unique_ptr<RocksDbStore> store_;
};

}  // namespace importai::storage::testing

#endif  // IMPORTAI_STORAGE_TESTING_STORE_TEST_BASE_H_
