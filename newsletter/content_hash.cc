#include "newsletter/content_hash.h"

#include "common/sha256.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace importai::newsletter {
namespace {

std::string DeterministicBytes(const importai::v1::Issue& issue) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream output(&stream);
    output.SetSerializationDeterministic(true);
    issue.SerializeToCodedStream(&output);
  }
  return bytes;
}

bool HasLinkUris(const importai::v1::Issue& issue) {
  for (const importai::v1::Section& section : issue.sections()) {
    for (const importai::v1::Link& link : section.links()) {
      if (!link.uri().empty()) return true;
    }
  }
  return false;
}

// True if `issue` already holds nothing but its words, as a parse of plain
// text does before its name and hash are set; hashing it then needs no copy.
bool HoldsOnlyWords(const importai::v1::Issue& issue) {
  return issue.name().empty() && issue.section_count() == 0 &&
         issue.content_hash().empty() && issue.revision() == 0 &&
         !issue.has_create_time() && !issue.has_update_time() &&
         issue.uri().empty() && !issue.has_publish_time() &&
         !HasLinkUris(issue) &&
         issue.GetReflection()->GetUnknownFields(issue).empty();
}

}  // namespace

std::string ContentHash(const importai::v1::Issue& issue) {
  if (HoldsOnlyWords(issue)) return Sha256Hex(DeterministicBytes(issue));
  importai::v1::Issue canonical;
  canonical.set_number(issue.number());
  canonical.set_title(issue.title());
  *canonical.mutable_topics() = issue.topics();
  canonical.set_author(issue.author());
  canonical.set_intro(issue.intro());
  *canonical.mutable_sections() = issue.sections();
  // Addresses are details the source may or may not give (see the header).
  for (importai::v1::Section& section : *canonical.mutable_sections()) {
    for (importai::v1::Link& link : *section.mutable_links()) {
      link.clear_uri();
    }
  }
  if (issue.has_tale()) *canonical.mutable_tale() = issue.tale();
  return Sha256Hex(DeterministicBytes(canonical));
}

}  // namespace importai::newsletter
