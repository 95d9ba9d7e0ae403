#include "services/admin_service.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "services/reply.h"

namespace importai::services {

grpc::ServerUnaryReactor* AdminServiceImpl::CreateCheckpoint(
    grpc::CallbackServerContext* context,
    const v1::CreateCheckpointRequest* request, v1::Checkpoint* response) {
  if (absl::Status allowed = authorizer_.Authorize(*context); !allowed.ok()) {
    return Reply(context, allowed);
  }
  if (request->directory().empty()) {
    return Reply(context, absl::InvalidArgumentError(
                              "directory: name the checkpoint's directory"));
  }
  absl::StatusOr<int64_t> head = store_.CreateCheckpoint(request->directory());
  if (!head.ok()) {
    return Reply(context, absl::Status(head.status().code(),
                                       absl::StrCat("directory: ",
                                                    head.status().message())));
  }
  response->set_directory(request->directory());
  response->set_head_revision(*head);
  *response->mutable_create_time() =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
          absl::ToUnixNanos(absl::Now()));
  return Reply(context, absl::OkStatus());
}

}  // namespace importai::services
