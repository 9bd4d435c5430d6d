// `policyd eval`: evaluates a query over policies, data and input from files
// and prints the result set as `opa eval` does.
//
//   policyd eval [-d FILE_OR_DIR]... [-i INPUT] [--v0-compatible]
//                [--format json|pretty] QUERY
//
// Exit status: 0 when the query was evaluated (defined or not), 1 on a load,
// compile or evaluation error, 2 on a usage error.
#ifndef POLICYD_SERVICE_CLI_EVAL_COMMAND_H_
#define POLICYD_SERVICE_CLI_EVAL_COMMAND_H_

#include "service/cli/command.h"

namespace policyd {

Command EvalCommand();

}  // namespace policyd

#endif  // POLICYD_SERVICE_CLI_EVAL_COMMAND_H_
