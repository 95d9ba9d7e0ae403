#ifndef IMPORTAI_CMD_CLI_SIGINT_H_
#define IMPORTAI_CMD_CLI_SIGINT_H_

#include "cmd/cli/watch.h"

namespace importai::cli {

// Makes the first SIGINT call stop->Stop() (a clean exit 0 for a watch); a
// second one kills the process as usual. `stop` must live until exit.
void StopOnSigint(WatchStop* stop);

}  // namespace importai::cli

#endif  // IMPORTAI_CMD_CLI_SIGINT_H_
