#include "newsletter/content_hash.h"

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "newsletter/sha256.h"

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

// True if `issue` already holds nothing but parsed fields, as a parse does
// before its name and hash are set; hashing it then needs no copy.
bool HoldsOnlyParsedFields(const importai::v1::Issue& issue) {
  return issue.name().empty() && issue.section_count() == 0 &&
         issue.content_hash().empty() && issue.revision() == 0 &&
         !issue.has_create_time() && !issue.has_update_time() &&
         issue.GetReflection()->GetUnknownFields(issue).empty();
}

}  // namespace

std::string ContentHash(const importai::v1::Issue& issue) {
  if (HoldsOnlyParsedFields(issue)) {
    return Sha256Hex(DeterministicBytes(issue));
  }
  importai::v1::Issue canonical;
  canonical.set_number(issue.number());
  canonical.set_title(issue.title());
  *canonical.mutable_topics() = issue.topics();
  canonical.set_author(issue.author());
  canonical.set_intro(issue.intro());
  *canonical.mutable_sections() = issue.sections();
  if (issue.has_tale()) *canonical.mutable_tale() = issue.tale();
  return Sha256Hex(DeterministicBytes(canonical));
}

}  // namespace importai::newsletter
