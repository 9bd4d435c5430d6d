#include "service/cli/cli.h"

#include <string>
#include <vector>

#include "service/cli/command.h"
#include "service/cli/build_command.h"
#include "service/cli/check_command.h"
#include "service/cli/decide_command.h"
#include "service/cli/eval_command.h"
#include "service/cli/serve_command.h"
#include "service/cli/test_command.h"
#include "service/cli/verify_command.h"

namespace policyd {
namespace {

int RunVersion(const std::vector<std::string>& args, std::ostream& out,
               std::ostream& err) {
  out << "Version: " << POLICYD_VERSION << "\n";
  return 0;
}

const std::vector<Command>& Commands() {
  static const std::vector<Command> commands = {
      EvalCommand(),
      TestCommand(),
      BuildCommand(),
      ServeCommand(),
      DecideCommand(),
      CheckCommand(),
      VerifyCommand(),
      {"version", "Print the version of policyd", RunVersion},
  };
  return commands;
}

void PrintUsage(std::ostream& out) {
  out << "policyd: a Rego policy engine and decision service\n\n"
         "Usage:\n  policyd COMMAND [ARGS...]\n\nCommands:\n";
  for (const Command& command : Commands()) {
    out << "  " << command.name
        << std::string(command.name.size() < 10 ? 10 - command.name.size() : 1,
                       ' ')
        << command.summary << "\n";
  }
  out << "\nRun `policyd COMMAND --help` for the arguments of a command.\n";
}

}  // namespace

int RunCli(int argc, char** argv, std::ostream& out, std::ostream& err) {
  if (argc < 2) {
    PrintUsage(err);
    return 2;
  }
  std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    PrintUsage(out);
    return 0;
  }
  std::vector<std::string> args(argv + 2, argv + argc);
  for (const Command& command : Commands()) {
    if (command.name == name) return command.run(args, out, err);
  }
  err << "policyd: unknown command \"" << name << "\"\n\n";
  PrintUsage(err);
  return 2;
}

}  // namespace policyd
