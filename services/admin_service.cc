#include "services/admin_service.h"

#include <filesystem>
#include <system_error>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "common/limits.h"
#include "services/refused_stream.h"
#include "services/replication/snapshot_stream.h"
#include "services/reply.h"

namespace importai::services {
namespace {

namespace fs = std::filesystem;

// What is wrong with a checkpoint name, split at '/' into `components`;
// empty when nothing is.
std::string NameProblem(absl::string_view name,
                        const std::vector<absl::string_view>& components) {
  if (name.empty()) {
    return "name the checkpoint, e.g. \"backup-1\" (it goes under the "
           "server's checkpoint root)";
  }
  if (name.front() == '/') {
    return "is an absolute path; name the checkpoint relative to the "
           "server's checkpoint root, e.g. \"backup-1\"";
  }
  for (char c : name) {
    if (absl::ascii_iscntrl(static_cast<unsigned char>(c))) {
      return "holds a control character";
    }
  }
  for (absl::string_view component : components) {
    if (component.empty()) return "has an empty path component";
    if (component == "." || component == "..") {
      return absl::StrCat("has a \"", component,
                          "\" component; names stay under the server's "
                          "checkpoint root");
    }
  }
  return "";
}

}  // namespace

absl::StatusOr<std::string> CheckpointDirectory(const std::string& root,
                                                absl::string_view name,
                                                absl::string_view field) {
  const std::vector<absl::string_view> components = absl::StrSplit(name, '/');
  if (std::string problem = NameProblem(name, components); !problem.empty()) {
    return absl::InvalidArgumentError(
        name.empty() ? absl::StrCat(field, ": ", problem)
                     : absl::StrCat(field, ": \"", name, "\" ", problem));
  }
  if (root.empty() || root.front() != '/') {
    return absl::FailedPreconditionError(absl::StrCat(
        "the checkpoint root \"", root, "\" is not an absolute path"));
  }
  std::error_code error;
  fs::create_directories(root, error);
  if (error) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot create the checkpoint root \"", root, "\": ", error.message()));
  }
  // The name has no "..", but a symbolic link under the root could still
  // lead elsewhere: its parents must be real directories (made if missing).
  fs::path directory = root;
  for (size_t i = 0; i + 1 < components.size(); ++i) {
    directory /= std::string(components[i]);
    const fs::file_status status = fs::symlink_status(directory, error);
    if (status.type() == fs::file_type::not_found) {
      fs::create_directory(directory, error);
    } else if (!error && status.type() != fs::file_type::directory) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": \"", name, "\": \"", directory.string(),
          "\" is not a directory (symbolic links are not followed)"));
    }
    if (error) {
      return absl::FailedPreconditionError(absl::StrCat(
          "cannot create \"", directory.string(), "\": ", error.message()));
    }
  }
  return (directory / std::string(components.back())).string();
}

grpc::ServerUnaryReactor* AdminServiceImpl::CreateCheckpoint(
    grpc::CallbackServerContext* context,
    const v1::CreateCheckpointRequest* request, v1::Checkpoint* response) {
  if (absl::Status allowed = authorizer_.Authorize(*context); !allowed.ok()) {
    return Reply(context, allowed);
  }
  absl::StatusOr<std::string> directory =
      CheckpointDirectory(checkpoint_root_, request->directory(), "directory");
  if (!directory.ok()) return Reply(context, directory.status());
  absl::StatusOr<int64_t> head = store_.CreateCheckpoint(*directory);
  if (!head.ok()) {
    return Reply(context, absl::Status(head.status().code(),
                                       absl::StrCat("directory: ",
                                                    head.status().message())));
  }
  response->set_directory(*directory);
  response->set_head_revision(*head);
  *response->mutable_create_time() =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
          absl::ToUnixNanos(absl::Now()));
  return Reply(context, absl::OkStatus());
}

grpc::ServerWriteReactor<v1::SnapshotChunk>* AdminServiceImpl::StreamSnapshot(
    grpc::CallbackServerContext* context,
    const v1::StreamSnapshotRequest* /*request*/) {
  absl::Status allowed = authorizer_.Authorize(*context);
  if (allowed.ok() && active_snapshots_.fetch_add(1) >= kMaxConcurrentSnapshots) {
    active_snapshots_.fetch_sub(1);
    allowed = absl::ResourceExhaustedError(absl::StrCat(
        "already sending ", kMaxConcurrentSnapshots,
        " snapshots, the most at once; retry when one has finished"));
  }
  absl::StatusOr<std::unique_ptr<storage::IssueSnapshot>> snapshot;
  if (allowed.ok()) {
    snapshot = store_.OpenSnapshot();
    if (!snapshot.ok()) {
      active_snapshots_.fetch_sub(1);
      allowed = snapshot.status();
    }
  }
  if (!allowed.ok()) {
    return new RefusedStream<v1::SnapshotChunk>(allowed);
  }
  return new replication::SnapshotStream(*std::move(snapshot),
                                         &active_snapshots_);
}

}  // namespace importai::services
