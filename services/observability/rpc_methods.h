#ifndef IMPORTAI_SERVICES_OBSERVABILITY_RPC_METHODS_H_
#define IMPORTAI_SERVICES_OBSERVABILITY_RPC_METHODS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "google/protobuf/descriptor.h"

namespace importai::services {

// The methods a server serves, numbered, so metrics label only those: a
// client calling made-up paths must not add label values (each one a time
// series held forever, and raw client text in the scrape). Immutable, so
// thread-safe.
class RpcMethods {
 public:
  // The label for paths the server does not serve, service and method alike.
  static constexpr absl::string_view kUnknown = "unknown";

  // Every method of `services`; null entries are skipped.
  explicit RpcMethods(
      absl::Span<const google::protobuf::ServiceDescriptor* const> services);

  // The index of `path` ("/importai.v1.ArchiveService/GetIssue"), or
  // unknown() when it is not one of the services' methods.
  size_t Find(absl::string_view path) const;
  size_t unknown() const { return labels_.size() - 1; }
  // Indexes run from 0 to unknown(), inclusive.
  size_t size() const { return labels_.size(); }

  struct Labels {
    std::string service;  // "importai.v1.ArchiveService"
    std::string method;   // "GetIssue"
  };
  // REQUIRES: index < size().
  const Labels& labels(size_t index) const { return labels_[index]; }

 private:
  // Ends with {kUnknown, kUnknown}.
  std::vector<Labels> labels_;
  absl::flat_hash_map<std::string, size_t> by_path_;
};

}  // namespace importai::services

#endif  // IMPORTAI_SERVICES_OBSERVABILITY_RPC_METHODS_H_
