// What a subcommand of the policyd binary looks like to the dispatcher.
#ifndef POLICYD_SERVICE_CLI_COMMAND_H_
#define POLICYD_SERVICE_CLI_COMMAND_H_

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace policyd {

struct Command {
  std::string_view name;
  std::string_view summary;  // one line, for `policyd --help`
  // `args` excludes the program and subcommand names. Returns the exit
  // status; writes results to `out` and diagnostics to `err`.
  int (*run)(const std::vector<std::string>& args, std::ostream& out,
             std::ostream& err);
};

}  // namespace policyd

#endif  // POLICYD_SERVICE_CLI_COMMAND_H_
