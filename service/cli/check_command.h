// `policyd check`: sends an Envoy ext_authz Check for an HTTP request to a
// running policyd and prints the CheckResponse in protobuf's JSON form.
//
//   policyd check [--addr ADDR] --method M --path P [--header k=v]...
//                 [--body TEXT] [--host H]
//
// Exit status: 0 when allowed, 3 when denied, 1 when the call failed, 2 on
// a usage error.
#ifndef POLICYD_SERVICE_CLI_CHECK_COMMAND_H_
#define POLICYD_SERVICE_CLI_CHECK_COMMAND_H_

#include "service/cli/command.h"

namespace policyd {

Command CheckCommand();

}  // namespace policyd

#endif  // POLICYD_SERVICE_CLI_CHECK_COMMAND_H_
