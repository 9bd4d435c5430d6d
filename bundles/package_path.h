// The package path of a Rego module, read from the first statement without
// a full parse, for the roots check that runs before compilation:
// `package a.b["c-d"]` -> {"a", "b", "c-d"}.
#ifndef POLICYD_BUNDLES_PACKAGE_PATH_H_
#define POLICYD_BUNDLES_PACKAGE_PATH_H_

#include <optional>
#include <string_view>

#include "bundles/roots.h"

namespace policyd::bundles {

// nullopt when the module does not start (after comments) with a well-formed
// package clause; the compiler then reports the syntax error.
std::optional<DataPath> ModulePackagePath(std::string_view text);

}  // namespace policyd::bundles

#endif  // POLICYD_BUNDLES_PACKAGE_PATH_H_
