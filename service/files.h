// Reading whole files, with errors that name the file.
#ifndef POLICYD_SERVICE_FILES_H_
#define POLICYD_SERVICE_FILES_H_

#include <string>

#include "absl/status/statusor.h"

namespace policyd {

absl::StatusOr<std::string> ReadFile(const std::string& path);

}  // namespace policyd

#endif  // POLICYD_SERVICE_FILES_H_
