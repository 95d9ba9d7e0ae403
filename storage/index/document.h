#ifndef IMPORTAI_STORAGE_INDEX_DOCUMENT_H_
#define IMPORTAI_STORAGE_INDEX_DOCUMENT_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/btree_map.h"
#include "importai/v1/resources.pb.h"

// What the search index sees of an issue: one document per section and one
// for the tale, each with three weighted fields.
namespace importai::storage::index {

// Titles weigh more than deks, deks more than bodies.
enum Field : int { kTitle = 0, kDek = 1, kBody = 2 };
inline constexpr int kFieldCount = 3;

// The tale's ordinal in document keys; sections count from 1.
inline constexpr int32_t kTaleOrdinal = 0;

struct Document {
  int32_t ordinal = kTaleOrdinal;
  // Words in each field.
  std::array<uint32_t, kFieldCount> lengths = {};
  // Each term's word positions in each field, ascending.
  absl::btree_map<std::string, std::array<std::vector<uint32_t>, kFieldCount>>
      terms;
  // Normalized link sources, for the `source` filter; unique.
  std::vector<std::string> sources;
};

// Title: section or tale title. Dek: section summary or tale setting. Body:
// section body, why-it-matters, link titles and sources; tale body and
// inspirations.
std::vector<Document> DocumentsOf(const v1::Issue& issue);

}  // namespace importai::storage::index

#endif  // IMPORTAI_STORAGE_INDEX_DOCUMENT_H_
