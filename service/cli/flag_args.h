// Reading the flags of a subcommand's argument list.
#ifndef POLICYD_SERVICE_CLI_FLAG_ARGS_H_
#define POLICYD_SERVICE_CLI_FLAG_ARGS_H_

#include <cstddef>
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

}  // namespace policyd

#endif  // POLICYD_SERVICE_CLI_FLAG_ARGS_H_
