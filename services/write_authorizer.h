#ifndef IMPORTAI_SERVICES_WRITE_AUTHORIZER_H_
#define IMPORTAI_SERVICES_WRITE_AUTHORIZER_H_

#include <optional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/sha256.h"
#include "grpcpp/server_context.h"

namespace importai::services {

// Who may write. With a token configured, IngestService and AdminService
// calls must carry the metadata "authorization: Bearer <token>"; reads stay
// open to everyone. Without one, everyone may write.
class WriteAuthorizer {
 public:
  // `token` empty: writes are open.
  explicit WriteAuthorizer(absl::string_view token);

  bool open() const { return !token_digest_.has_value(); }

  // UNAUTHENTICATED when the call carries no bearer token, PERMISSION_DENIED
  // when it carries another one.
  absl::Status Authorize(const grpc::ServerContextBase& context) const;

  // The same, given the call's "authorization" value (null when absent).
  absl::Status AuthorizeHeader(const absl::string_view* authorization) const;

 private:
  // Absent when writes are open. Tokens are compared by their SHA-256
  // digests, in constant time, so neither the token's bytes nor its length
  // leak through timing.
  std::optional<Sha256Digest> token_digest_;
};

}  // namespace importai::services

#endif  // IMPORTAI_SERVICES_WRITE_AUTHORIZER_H_
