// `policyd test`: runs the Rego tests found in files and directories, as
// `opa test` does (see test_runner.h for what a test is, test_report.h for
// the output).
//
//   policyd test [-v] [--run REGEX] [--format pretty|json] [--v0-compatible]
//                [--coverage] [--timeout D] PATH...
//
// Exit status: 0 when every test passed (or was skipped), 2 when a test
// failed or errored (or on a usage error), 1 on a load or compile error.
#ifndef POLICYD_SERVICE_CLI_TEST_COMMAND_H_
#define POLICYD_SERVICE_CLI_TEST_COMMAND_H_

#include "service/cli/command.h"

namespace policyd {

Command TestCommand();

}  // namespace policyd

#endif  // POLICYD_SERVICE_CLI_TEST_COMMAND_H_
