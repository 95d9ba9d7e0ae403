#include "services/write_authorizer.h"

#include "absl/strings/match.h"
#include "newsletter/sha256.h"

namespace importai::services {
namespace {

constexpr absl::string_view kBearer = "Bearer ";

// Compares every byte whatever the first difference.
bool ConstantTimeEquals(absl::string_view a, absl::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char difference = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    difference |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return difference == 0;
}

}  // namespace

WriteAuthorizer::WriteAuthorizer(absl::string_view token)
    : token_digest_(token.empty() ? "" : newsletter::Sha256Hex(token)) {}

absl::Status WriteAuthorizer::Authorize(
    const grpc::ServerContextBase& context) const {
  if (open()) return absl::OkStatus();
  const auto& metadata = context.client_metadata();
  auto found = metadata.find("authorization");
  if (found == metadata.end()) return AuthorizeHeader(nullptr);
  const absl::string_view value(found->second.data(), found->second.size());
  return AuthorizeHeader(&value);
}

absl::Status WriteAuthorizer::AuthorizeHeader(
    const absl::string_view* authorization) const {
  if (open()) return absl::OkStatus();
  absl::string_view token;
  if (authorization == nullptr ||
      !absl::StartsWithIgnoreCase(*authorization, kBearer) ||
      (token = authorization->substr(kBearer.size())).empty()) {
    return absl::UnauthenticatedError(
        "writes need a token: send the metadata \"authorization: Bearer "
        "<token>\" (importai --token_file=FILE)");
  }
  if (!ConstantTimeEquals(newsletter::Sha256Hex(token), token_digest_)) {
    return absl::PermissionDeniedError(
        "the bearer token is not allowed to write to this archive");
  }
  return absl::OkStatus();
}

}  // namespace importai::services
