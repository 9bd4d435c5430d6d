// `policyd serve`: the decision service. See serve_config.h for its
// settings and DESIGN.md ("Data flow of one decision") for what it does.
//
// Exit status: 0 after a clean SIGTERM/SIGINT shutdown, 1 when it cannot
// start (listener, TLS, decision log), 2 on a usage or config error.
#ifndef POLICYD_SERVICE_CLI_SERVE_COMMAND_H_
#define POLICYD_SERVICE_CLI_SERVE_COMMAND_H_

#include "service/cli/command.h"

namespace policyd {

Command ServeCommand();

}  // namespace policyd

#endif  // POLICYD_SERVICE_CLI_SERVE_COMMAND_H_
