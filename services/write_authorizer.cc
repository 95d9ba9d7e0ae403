#include "services/write_authorizer.h"

#include <openssl/crypto.h>

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace importai::services {
namespace {

constexpr absl::string_view kBearer = "Bearer ";

}  // namespace

WriteAuthorizer::WriteAuthorizer(absl::string_view token, std::string primary)
    : primary_(std::move(primary)) {
  if (!token.empty()) token_digest_ = Sha256(token);
}

absl::Status WriteAuthorizer::Authorize(
    const grpc::ServerContextBase& context) const {
  if (open() && primary_.empty()) return absl::OkStatus();
  const auto& metadata = context.client_metadata();
  auto found = metadata.find("authorization");
  if (found == metadata.end()) return AuthorizeHeader(nullptr);
  const absl::string_view value(found->second.data(), found->second.size());
  return AuthorizeHeader(&value);
}

absl::Status WriteAuthorizer::AuthorizeHeader(
    const absl::string_view* authorization) const {
  if (!primary_.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "this server is a read replica of ", primary_,
        ": send writes and admin calls to the primary"));
  }
  if (open()) return absl::OkStatus();
  absl::string_view token;
  if (authorization == nullptr ||
      !absl::StartsWithIgnoreCase(*authorization, kBearer) ||
      (token = authorization->substr(kBearer.size())).empty()) {
    return absl::UnauthenticatedError(
        "writes need a token: send the metadata \"authorization: Bearer "
        "<token>\" (importai --token_file=FILE)");
  }
  const Sha256Digest digest = Sha256(token);
  if (CRYPTO_memcmp(digest.data(), token_digest_->data(), digest.size()) != 0) {
    return absl::PermissionDeniedError(
        "the bearer token is not allowed to write to this archive");
  }
  return absl::OkStatus();
}

}  // namespace importai::services
