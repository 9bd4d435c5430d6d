// Reading whole files, with errors that name the file.
#ifndef POLICYD_UTIL_FILES_H_
#define POLICYD_UTIL_FILES_H_

#include <string>

#include "absl/status/statusor.h"

namespace policyd {

absl::StatusOr<std::string> ReadFile(const std::string& path);

}  // namespace policyd

#endif  // POLICYD_UTIL_FILES_H_
