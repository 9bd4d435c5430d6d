#include "service/api/rest_access.h"

#include <map>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "service/api/rest_util.h"

namespace policyd {
namespace {

// Go's canonical header form: "content-type" -> "Content-Type".
std::string CanonicalHeader(const std::string& name) {
  std::string out = name;
  bool upper = true;
  for (char& c : out) {
    c = upper ? absl::ascii_toupper(c) : absl::ascii_tolower(c);
    upper = c == '-';
  }
  return out;
}

Value Strings(const std::vector<std::string>& values) {
  std::vector<Value> out;
  for (const std::string& v : values) out.push_back(Value::String(v));
  return Value::Array(std::move(out));
}

}  // namespace

Value AuthorizationInput(const HttpRequest& request,
                         const std::optional<std::string>& identity) {
  std::map<std::string, std::vector<std::string>> headers;
  for (const auto& [name, value] : request.headers) {
    headers[CanonicalHeader(name)].push_back(value);
  }
  std::map<std::string, std::vector<std::string>> params;
  for (absl::string_view param : absl::StrSplit(request.query, '&', absl::SkipEmpty())) {
    std::string name = PercentDecode(
        std::string_view(param.data(), param.substr(0, param.find('=')).size()),
        PercentMode::kQuery);
    if (!params.count(name)) params[name] = QueryValues(request.query, name);
  }
  std::vector<ObjectEntry> header_entries, param_entries;
  for (const auto& [k, v] : headers) header_entries.emplace_back(Value::String(k), Strings(v));
  for (const auto& [k, v] : params) param_entries.emplace_back(Value::String(k), Strings(v));
  std::vector<ObjectEntry> input = {
      {Value::String("method"), Value::String(request.method)},
      {Value::String("path"), Strings(PathSegments(PercentDecode(request.path, PercentMode::kPath)))},
      {Value::String("headers"), Value::Object(std::move(header_entries))},
      {Value::String("params"), Value::Object(std::move(param_entries))},
  };
  if (identity) input.emplace_back(Value::String("identity"), Value::String(*identity));
  return Value::Object(std::move(input));
}

std::optional<HttpResponse> CheckAccess(const HttpRequest& request,
                                        const RestAccess& access,
                                        const bundles::Snapshot& snapshot,
                                        absl::Time deadline) {
  if (!access.basic_authorization) return std::nullopt;
  std::optional<std::string> identity;
  if (access.token_authentication) {
    const std::string* header = request.Header("authorization");
    absl::string_view value = header != nullptr ? absl::string_view(*header) : "";
    if (absl::ConsumePrefix(&value, "Bearer ") || absl::ConsumePrefix(&value, "bearer ")) {
      identity = std::string(absl::StripAsciiWhitespace(value));
    }
  }
  Value input = AuthorizationInput(request, identity);
  absl::StatusOr<std::shared_ptr<const PreparedQuery>> query =
      snapshot.Query("data.system.authz.allow");
  if (!query.ok()) return RestErrorFor(query.status());
  EvalOptions options;
  options.input = &input;
  options.deadline = deadline;
  absl::StatusOr<std::optional<Value>> allowed = (*query)->EvalValue(options);
  if (!allowed.ok()) return RestErrorFor(allowed.status());
  if (*allowed == Value::Bool(true)) return std::nullopt;
  return RestError(401, "unauthorized", "request rejected by administrative policy");
}

}  // namespace policyd
