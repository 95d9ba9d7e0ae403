#ifndef IMPORTAI_COMMON_TESTING_TEMP_DIR_H_
#define IMPORTAI_COMMON_TESTING_TEMP_DIR_H_

#include <string>

namespace importai::testing {

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it
// when the object is destroyed.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace importai::testing

#endif  // IMPORTAI_COMMON_TESTING_TEMP_DIR_H_
