#ifndef IMPORTAI_CMD_PRELOAD_H_
#define IMPORTAI_CMD_PRELOAD_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "services/ingest.h"
#include "storage/archive_store.h"

namespace importai {

// Ingests each file into `store` before serving, as IngestIssues would
// (copies already stored come back UNCHANGED, so restarts are harmless), and
// logs one line per file. Fails naming the file that could not be read or
// ingested.
absl::Status PreloadFiles(storage::ArchiveStore& store,
                          const std::vector<std::string>& files,
                          const services::IngestLimits& limits);

}  // namespace importai

#endif  // IMPORTAI_CMD_PRELOAD_H_
