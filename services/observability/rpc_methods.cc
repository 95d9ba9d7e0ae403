#include "services/observability/rpc_methods.h"

#include "absl/strings/str_cat.h"

namespace importai::services {

RpcMethods::RpcMethods(
    absl::Span<const google::protobuf::ServiceDescriptor* const> services) {
  for (const google::protobuf::ServiceDescriptor* service : services) {
    if (service == nullptr) continue;
    for (int i = 0; i < service->method_count(); ++i) {
      const std::string path = absl::StrCat("/", service->full_name(), "/",
                                            service->method(i)->name());
      if (by_path_.emplace(path, labels_.size()).second) {
        labels_.push_back({service->full_name(), service->method(i)->name()});
      }
    }
  }
  labels_.push_back({std::string(kUnknown), std::string(kUnknown)});
}

size_t RpcMethods::Find(absl::string_view path) const {
  auto it = by_path_.find(path);
  return it == by_path_.end() ? unknown() : it->second;
}

}  // namespace importai::services
