// Reading the flags of a subcommand's argument list.
#ifndef POLICYD_SERVICE_CLI_FLAG_ARGS_H_
#define POLICYD_SERVICE_CLI_FLAG_ARGS_H_

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace policyd {

// True when args[*i] is the flag `short_name` (may be empty) or `long_name`
// followed by its value (`--flag VALUE`, `-f VALUE` or `--flag=VALUE`):
// stores the value and advances *i past what it consumed.
bool TakeFlagValue(const std::vector<std::string>& args, size_t* i,
                   std::string_view short_name, std::string_view long_name,
                   std::string* value);

// True when the arguments ask for help (`-h` or `--help`).
bool WantsHelp(const std::vector<std::string>& args);

// The frame of a subcommand: `--help` prints `usage` to `out` (status 0);
// arguments `parse` refuses print the error and `usage` to `err` (status
// 2); otherwise the status is run(parsed arguments).
template <typename Parse, typename Run>
int RunSubcommand(const std::vector<std::string>& args, std::string_view name,
                  std::string_view usage, std::ostream& out, std::ostream& err,
                  Parse parse, Run run) {
  if (WantsHelp(args)) {
    out << usage;
    return 0;
  }
  auto parsed = parse(args);
  if (!parsed.ok()) {
    err << "policyd " << name << ": " << parsed.status().message() << "\n\n"
        << usage;
    return 2;
  }
  return run(*parsed);
}

}  // namespace policyd

#endif  // POLICYD_SERVICE_CLI_FLAG_ARGS_H_
