#include "service/api/rest_util.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "engine/value/json.h"
#include "service/cli/eval_output.h"

namespace policyd {

HttpResponse RestError(int status, std::string_view code,
                       std::string_view message) {
  HttpResponse r;
  r.status = status;
  r.body = JsonBody(Value::Object({{Value::String("code"), Value::String(code)},
                                   {Value::String("message"), Value::String(message)}}),
                    false);
  return r;
}

HttpResponse RestErrorFor(const absl::Status& status) {
  std::string_view message(status.message().data(), status.message().size());
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
      return RestError(400, "invalid_parameter", message);
    case absl::StatusCode::kFailedPrecondition:
      return RestError(503, "unavailable", message);
    case absl::StatusCode::kDeadlineExceeded:
      return RestError(504, "internal_error", message);
    default:
      return RestError(500, "internal_error", message);
  }
}

HttpResponse RestErrorList(std::string_view message, const absl::Status& status) {
  HttpResponse r;
  r.status = 400;
  r.body = "{\"code\":\"invalid_parameter\",\"message\":";
  Value::String(message).AppendJson(&r.body);
  r.body += ",\"errors\":";
  // The indented list, made compact: OPA's clients read either.
  absl::StatusOr<Value> parsed = ParseJson(FormatErrorsJson(status));
  const Value* errors = parsed.ok() ? parsed->Find("errors") : nullptr;
  r.body += errors != nullptr ? errors->ToJson() : "[]";
  r.body += "}\n";
  return r;
}

std::vector<std::string> QueryValues(std::string_view query, std::string_view name) {
  std::vector<std::string> values;
  for (absl::string_view param :
       absl::StrSplit(absl::string_view(query.data(), query.size()), '&', absl::SkipEmpty())) {
    size_t eq = param.find('=');
    std::string key = PercentDecode({param.data(), param.substr(0, eq).size()}, PercentMode::kQuery);
    if (key != name) continue;
    values.push_back(eq == absl::string_view::npos
                         ? std::string()
                         : PercentDecode({param.data() + eq + 1, param.size() - eq - 1}, PercentMode::kQuery));
  }
  return values;
}

bool QueryFlag(std::string_view query, std::string_view name) {
  for (const std::string& value : QueryValues(query, name)) {
    std::string v = absl::AsciiStrToLower(value);
    if (v.empty() || v == "true" || v == "1" || v == "t") return true;
  }
  return false;
}

std::vector<std::string> PathSegments(std::string_view path) {
  std::vector<std::string> out;
  for (absl::string_view seg :
       absl::StrSplit(absl::string_view(path.data(), path.size()), '/', absl::SkipEmpty())) {
    out.emplace_back(seg);
  }
  return out;
}

std::string JsonBody(const Value& value, bool pretty) {
  std::string out;
  if (pretty) {
    AppendIndentedJson(value, 0, &out);
  } else {
    value.AppendJson(&out);
  }
  out.push_back('\n');
  return out;
}

}  // namespace policyd
