#ifndef IMPORTAI_COMMON_STATUS_MACROS_H_
#define IMPORTAI_COMMON_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Project-prefixed so they never clash with protobuf's or gRPC's own macros.

// Returns `expr` from the enclosing function if it is not OK.
#define IMPORTAI_RETURN_IF_ERROR(expr)                   \
  do {                                                   \
    const absl::Status importai_status_ = (expr);        \
    if (!importai_status_.ok()) return importai_status_; \
  } while (false)

#define IMPORTAI_CONCAT_INNER_(a, b) a##b
#define IMPORTAI_CONCAT_(a, b) IMPORTAI_CONCAT_INNER_(a, b)

// Evaluates `rexpr` (an absl::StatusOr); returns its status if not OK,
// otherwise moves its value into `lhs`, which may be a declaration.
#define IMPORTAI_ASSIGN_OR_RETURN(lhs, rexpr) \
  IMPORTAI_ASSIGN_OR_RETURN_IMPL_(            \
      IMPORTAI_CONCAT_(importai_statusor_, __LINE__), lhs, rexpr)

#define IMPORTAI_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                    \
  if (!statusor.ok()) return std::move(statusor).status();    \
  lhs = *std::move(statusor)

#endif  // IMPORTAI_COMMON_STATUS_MACROS_H_
