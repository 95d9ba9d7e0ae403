#ifndef IMPORTAI_STORAGE_INDEX_POSTINGS_H_
#define IMPORTAI_STORAGE_INDEX_POSTINGS_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "storage/index/document.h"

// The value of one postings row: where one term occurs in the documents of
// one issue. Per document: varint ordinal, a byte with one bit per field the
// term occurs in, then per such field a one-byte length norm, a varint count
// and that many varint position deltas. Norms ride along so that scoring a
// term needs no other read.
namespace importai::storage::index {

// Field lengths in one byte: exact up to 200 words, then in steps of 32.
uint8_t EncodeNorm(uint32_t length);
uint32_t DecodeNorm(uint8_t norm);

// Appends `document`'s postings of one term (its positions per field).
void AppendPostings(
    const Document& document,
    const std::array<std::vector<uint32_t>, kFieldCount>& positions,
    std::string* value);

// Appends a document entry with no fields: marks it for a filter term.
void AppendMarker(int32_t ordinal, std::string* value);

// Walks the documents of one postings value.
class PostingsReader {
 public:
  // Without positions, only counts and lengths are read (faster).
  explicit PostingsReader(absl::string_view value, bool with_positions = true)
      : rest_(value), with_positions_(with_positions) {}

  // Moves to the next document; false at the end or on corrupt data.
  bool Next();
  // False if the value was corrupt.
  bool ok() const { return ok_; }

  int32_t ordinal() const { return ordinal_; }
  uint32_t count(int field) const { return counts_[field]; }
  uint32_t length(int field) const { return lengths_[field]; }
  // REQUIRES: constructed with positions.
  const std::vector<uint32_t>& positions(int field) const {
    return positions_[field];
  }

 private:
  absl::string_view rest_;
  bool with_positions_;
  bool ok_ = true;
  std::array<uint32_t, kFieldCount> counts_ = {};
  int32_t ordinal_ = 0;
  std::array<uint32_t, kFieldCount> lengths_ = {};
  std::array<std::vector<uint32_t>, kFieldCount> positions_;
};

}  // namespace importai::storage::index

#endif  // IMPORTAI_STORAGE_INDEX_POSTINGS_H_
