#ifndef IMPORTAI_CMD_LOOKUP_BENCH_SYSTEMS_H_
#define IMPORTAI_CMD_LOOKUP_BENCH_SYSTEMS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cmd/feed_bench/child_process.h"
#include "grpcpp/channel.h"

namespace importai::lookup_bench {

// A server under test in its own process, listening on `address`.
struct Server {
  std::unique_ptr<feed_bench::ChildProcess> process;
  std::string address;  // HOST:PORT
};

// importai-server on 127.0.0.1:0 with its RocksDB in `data_dir`.
absl::StatusOr<Server> StartImportAi(const std::string& binary,
                                     const std::string& data_dir,
                                     const std::string& log_path);

// A single-member etcd on free loopback ports with its data in `data_dir`;
// returns once it answers a Put.
absl::StatusOr<Server> StartEtcd(const std::string& binary,
                                 const std::string& data_dir,
                                 const std::string& log_path);

// ceiling_server answering every call with the bytes of `response_file`.
absl::StatusOr<Server> StartCeiling(const std::string& binary,
                                    const std::string& response_file,
                                    const std::string& log_path);

std::shared_ptr<grpc::Channel> Connect(const std::string& address);

// One unary call of `method` ("/package.Service/Method") with `request`
// (a serialized message); returns the response message's bytes exactly as
// they came over the wire, or the call's error.
absl::StatusOr<std::string> CallRaw(const std::shared_ptr<grpc::Channel>& channel,
                                    const std::string& method,
                                    const std::string& request);

// One benchmarked call: the serialized request and the serialized response
// every call must get back.
struct Lookup {
  std::string target;   // "importai", "etcd", "ceiling"
  std::string label;    // e.g. "GetIssue FULL"
  std::string address;
  std::string method;   // "/package.Service/Method"
  std::string request;
  std::string response;
  pid_t server_pid = 0;
};

// What LoadCorpus stored and read back.
struct LoadedCorpus {
  std::vector<int> numbers;  // every issue, as IngestIssues numbered them
  int largest = 0;           // the issue whose GetIssue FULL answer is largest
  Lookup get_issue;          // importai GetIssue FULL of `largest`
  Lookup range;              // etcd Range of issues/<largest>, linearizable
  Lookup range_serializable; // the same, serializable
  Lookup list_issues;        // importai ListIssues BASIC, page_size 20
  Lookup get_section;        // importai GetSection, first section of `largest`
};

// Ingests `text` (raw newsletter text) into importai in one IngestIssues,
// puts each issue's GetIssue FULL bytes into etcd under issues/N, and checks
// that etcd's Range gives back exactly importai's bytes for every N and that
// ListIssues and GetSection answer consistently.
absl::StatusOr<LoadedCorpus> LoadCorpus(const Server& importai,
                                        const Server& etcd,
                                        absl::string_view text);

}  // namespace importai::lookup_bench

#endif  // IMPORTAI_CMD_LOOKUP_BENCH_SYSTEMS_H_
