#ifndef IMPORTAI_SERVICES_TESTING_NARROW_CHANNEL_H_
#define IMPORTAI_SERVICES_TESTING_NARROW_CHANNEL_H_

#include <memory>
#include <string>

#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace importai::services::testing {

// A channel whose client takes in little before its application reads, so
// a stream that is not read holds the server's write at once.
inline std::shared_ptr<grpc::Channel> NarrowChannel(
    const std::string& address) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  args.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 1024);
  // Its own connection, not one shared with the test's other channels.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(),
                                   args);
}

}  // namespace importai::services::testing

#endif  // IMPORTAI_SERVICES_TESTING_NARROW_CHANNEL_H_
