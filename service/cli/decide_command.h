// `policyd decide`: asks a running policyd for one decision over the
// Decision API and prints {"result": ..., "decision_id": ..., "revisions":
// ...} (no "result" when undefined).
//
//   policyd decide [--addr ADDR] PATH [INPUT.json]
//
// Exit status: 0 when decided, 1 when the call failed, 2 on a usage error.
#ifndef POLICYD_SERVICE_CLI_DECIDE_COMMAND_H_
#define POLICYD_SERVICE_CLI_DECIDE_COMMAND_H_

#include "service/cli/command.h"

namespace policyd {

Command DecideCommand();

}  // namespace policyd

#endif  // POLICYD_SERVICE_CLI_DECIDE_COMMAND_H_
