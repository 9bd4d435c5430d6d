#include "service/cli/flag_args.h"



namespace policyd {

bool TakeFlagValue(const std::vector<std::string>& args, size_t* i,
                   std::string_view short_name, std::string_view long_name,
                   std::string* value) {
  const std::string& arg = args[*i];
  if ((!short_name.empty() && arg == short_name) || arg == long_name) {
    if (*i + 1 >= args.size()) return false;
    *value = args[++*i];
    return true;
  }
  if (std::string_view(arg).starts_with(long_name) && arg.size() > long_name.size() &&
      arg[long_name.size()] == '=') {
    *value = arg.substr(long_name.size() + 1);
    return true;
  }
  return false;
}

bool WantsHelp(const std::vector<std::string>& args) {
  for (const std::string& arg : args) {
    if (arg == "--help" || arg == "-h") return true;
  }
  return false;
}

}  // namespace policyd
