#ifndef IMPORTAI_SERVICES_WRITE_AUTHORIZER_H_
#define IMPORTAI_SERVICES_WRITE_AUTHORIZER_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/sha256.h"
#include "grpcpp/server_context.h"

namespace importai::services {

// Who may write. With a token configured, IngestService and AdminService
// calls must carry the metadata "authorization: Bearer <token>"; reads stay
// open to everyone. Without one, everyone may write. On a read replica no one
// may: every such call is FAILED_PRECONDITION naming the primary.
class WriteAuthorizer {
 public:
  // `token` empty: writes are open. `primary` set: this server is a replica
  // of it.
  explicit WriteAuthorizer(absl::string_view token,
                           std::string primary = std::string());

  bool open() const { return !token_digest_.has_value(); }

  // FAILED_PRECONDITION on a replica; UNAUTHENTICATED when the call carries
  // no bearer token, PERMISSION_DENIED when it carries another one.
  absl::Status Authorize(const grpc::ServerContextBase& context) const;

  // The same, given the call's "authorization" value (null when absent).
  absl::Status AuthorizeHeader(const absl::string_view* authorization) const;

 private:
  // Absent when writes are open. Tokens are compared by their SHA-256
  // digests, in constant time, so neither the token's bytes nor its length
  // leak through timing.
  std::optional<Sha256Digest> token_digest_;
  const std::string primary_;
};

}  // namespace importai::services

#endif  // IMPORTAI_SERVICES_WRITE_AUTHORIZER_H_
