#include "cmd/preload.h"

#include <fstream>
#include <iostream>
#include <iterator>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace importai {

absl::Status PreloadFiles(storage::ArchiveStore& store,
                          const std::vector<std::string>& files,
                          const services::IngestLimits& limits) {
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      return absl::NotFoundError(
          absl::StrCat("preload: cannot read \"", file, "\""));
    }
    v1::IngestIssuesRequest request;
    request.mutable_text()->assign(std::istreambuf_iterator<char>(in), {});
    request.set_source(file);
    absl::StatusOr<v1::IngestIssuesResponse> response =
        services::Ingest(store, request, limits, absl::Now());
    if (!response.ok()) {
      return absl::Status(response.status().code(),
                          absl::StrCat("preload \"", file,
                                       "\": ", response.status().message()));
    }
    std::cerr << "importai-server: preloaded " << file << ": "
              << response->results_size() << " issue copies, head revision "
              << response->head_revision() << "\n";
  }
  return absl::OkStatus();
}

}  // namespace importai
