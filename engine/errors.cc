#include "engine/errors.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace policyd {
namespace {
constexpr std::string_view kCodePayload = "policyd.dev/error_code";

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
    absl::StrAppend(&text, file, ":");
    if (line > 0) absl::StrAppend(&text, line, ":");
    if (col > 0 && code == kRegoParseError) absl::StrAppend(&text, col, ":");
    absl::StrAppend(&text, " ");
  } else if (line > 0) {
    absl::StrAppend(&text, line, ":", col, ": ");
  }
  absl::StrAppend(&text, code, ": ", message);
  absl::Status status(StatusCodeFor(code), text);
  status.SetPayload(kCodePayload, absl::Cord(code));
  return status;
}

std::string ErrorCode(const absl::Status& status) {
  auto payload = status.GetPayload(kCodePayload);
  return payload ? std::string(*payload) : std::string();
}

}  // namespace policyd
