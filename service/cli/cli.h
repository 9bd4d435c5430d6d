// The policyd command line: `policyd SUBCOMMAND [ARGS...]`. Each subcommand
// lives in its own *_command.cc and is listed in cli.cc.
#ifndef POLICYD_SERVICE_CLI_CLI_H_
#define POLICYD_SERVICE_CLI_CLI_H_

#include <ostream>

namespace policyd {

// Runs the command line; returns the process exit status.
int RunCli(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace policyd

#endif  // POLICYD_SERVICE_CLI_CLI_H_
