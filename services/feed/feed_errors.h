#ifndef IMPORTAI_SERVICES_FEED_FEED_ERRORS_H_
#define IMPORTAI_SERVICES_FEED_FEED_ERRORS_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/server_callback.h"
#include "services/refused_stream.h"

namespace importai::services::feed {

// The feed's errors, each worded once; ToGrpcStatus converts them like every
// other error.

// OUT_OF_RANGE: `revision`, the start asked for or the next one a stream
// needs, is older than the log keeps.
absl::Status NoLongerRetainedError(int64_t revision, int64_t oldest,
                                   bool requested_start);
// RESOURCE_EXHAUSTED: `limit` streams are open.
absl::Status TooManySubscribersError(size_t limit);
// UNAVAILABLE: the server is stopping; `resume_from` 0 when the stream has
// not started.
absl::Status ShuttingDownError(int64_t resume_from = 0);

// A WatchIssues call ended with `status` before it started.
using RefusedWatch = RefusedStream<grpc::ByteBuffer>;

}  // namespace importai::services::feed

#endif  // IMPORTAI_SERVICES_FEED_FEED_ERRORS_H_
