#ifndef IMPORTAI_COMMON_METADATA_H_
#define IMPORTAI_COMMON_METADATA_H_

// gRPC metadata keys that clients and the server both use, so the two cannot
// drift apart.
namespace importai {

// On a read: the revision the answer must reflect, in decimal (e.g. the head
// revision an ingest returned). A server that has not applied it yet waits
// for it up to the call's deadline, then answers UNAVAILABLE. `importai`
// sends it with --min_revision.
inline constexpr char kMinRevisionMetadata[] = "x-importai-min-revision";

}  // namespace importai

#endif  // IMPORTAI_COMMON_METADATA_H_
