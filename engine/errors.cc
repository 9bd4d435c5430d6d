#include "engine/errors.h"

#include <string>

#include "absl/strings/cord.h"

namespace policyd {
namespace {
// Debian's abseil has its own string_view type: keys and texts go through
// std::string here.
const std::string kCodePayload = "policyd.dev/error_code";
const std::string kLocationPayload = "policyd.dev/error_location";

absl::StatusCode StatusCodeFor(std::string_view code) {
  if (code == kEvalCancelError) return absl::StatusCode::kDeadlineExceeded;
  if (code == kEvalLimitError) return absl::StatusCode::kResourceExhausted;
  if (code.substr(0, 5) == "rego_") return absl::StatusCode::kInvalidArgument;
  return absl::StatusCode::kAborted;
}
}  // namespace

absl::Status MakeError(std::string_view code, std::string_view file, int line,
                       int col, std::string_view message) {
  std::string text;
  if (!file.empty()) {
    text.append(file).append(":");
    if (line > 0) text.append(std::to_string(line)).append(":");
    if (col > 0 && code == kRegoParseError) {
      text.append(std::to_string(col)).append(":");
    }
    text.append(" ");
  } else if (line > 0) {
    text.append(std::to_string(line)).append(":").append(std::to_string(col)).append(": ");
  }
  text.append(code).append(": ").append(message);
  absl::Status status(StatusCodeFor(code), text);
  status.SetPayload(kCodePayload, absl::Cord(std::string(code)));
  if (line > 0) {
    std::string location = std::string(file) + ":" + std::to_string(line) +
                           ":" + std::to_string(col);
    status.SetPayload(kLocationPayload, absl::Cord(location));
  }
  return status;
}

std::string ErrorCode(const absl::Status& status) {
  auto payload = status.GetPayload(kCodePayload);
  return payload ? std::string(*payload) : std::string();
}

std::string ErrorLocation(const absl::Status& status) {
  auto payload = status.GetPayload(kLocationPayload);
  return payload ? std::string(*payload) : std::string();
}

}  // namespace policyd
