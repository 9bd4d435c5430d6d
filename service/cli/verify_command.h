// `policyd verify`: runs Gatekeeper suite files (`kind: Suite`, see
// admission/suite.h) without a cluster, in place of `gator verify`.
//
//   policyd verify PATH...
//
// PATH is a suite file or a directory searched for them. Prints one line per
// case ("ok   NAME" or "FAIL NAME: why") and closes with `N passed, M failed`.
// Exit status: 0 when every case passed, 1 when one failed or a suite could
// not be read, 2 on a usage error.
#ifndef POLICYD_SERVICE_CLI_VERIFY_COMMAND_H_
#define POLICYD_SERVICE_CLI_VERIFY_COMMAND_H_

#include "service/cli/command.h"

namespace policyd {

Command VerifyCommand();

}  // namespace policyd

#endif  // POLICYD_SERVICE_CLI_VERIFY_COMMAND_H_
