#include "service/api/rest_api.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "engine/value/json.h"
#include "service/api/grpc_status.h"

namespace policyd {
namespace {

constexpr std::string_view kApi = "rest";

std::string JsonString(absl::string_view s) {
  std::string out;
  Value::String(std::string(s)).AppendJson(&out);
  return out;
}

HttpResponse Error(int status, absl::string_view code,
                   absl::string_view message) {
  HttpResponse r;
  r.status = status;
  r.body = absl::StrCat("{\"code\":", JsonString(code),
                        ",\"message\":", JsonString(message), "}\n");
  return r;
}

HttpResponse ErrorFor(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
      return Error(400, "invalid_parameter", status.message());
    case absl::StatusCode::kFailedPrecondition:
      return Error(503, "unavailable", status.message());
    case absl::StatusCode::kDeadlineExceeded:
      return Error(504, "internal_error", status.message());
    default:
      return Error(500, "internal_error", status.message());
  }
}

HttpResponse MethodNotAllowed(absl::string_view allow) {
  HttpResponse r = Error(405, "method_not_allowed",
                         absl::StrCat("allowed methods: ", allow));
  r.headers.emplace_back("Allow", std::string(allow));
  return r;
}

// The decoded path after `prefix` (percent-escapes resolved).
std::string PathAfter(std::string_view path, std::string_view prefix) {
  std::string_view rest = path.substr(prefix.size());
  std::string out;
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == '%' && i + 2 < rest.size()) {
      auto hex = [](char c) {
        return c >= '0' && c <= '9'   ? c - '0'
               : c >= 'a' && c <= 'f' ? c - 'a' + 10
               : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                      : -1;
      };
      int hi = hex(rest[i + 1]), lo = hex(rest[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += rest[i];
  }
  return out;
}

// When the request's header was read (now, for a request made up by a
// caller other than the HTTP server).
absl::Time ArrivalOf(const HttpRequest& request) {
  return request.arrived == absl::Time() ? absl::Now() : request.arrived;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

RestApi::RestApi(const Decider* decider, WorkerPool* pool,
                 std::string default_decision, absl::Duration timeout)
    : decider_(decider),
      pool_(pool),
      default_decision_(std::move(default_decision)),
      timeout_(timeout) {}

HttpResponse RestApi::Handle(const HttpRequest& request) const {
  std::string_view path = request.path;
  if (path == "/health") {
    if (request.method != "GET") return MethodNotAllowed("GET, HEAD");
    return Health(request);
  }
  if (path == "/metrics") {
    if (request.method != "GET") return MethodNotAllowed("GET, HEAD");
    decider_->metrics()->queue_depth()->Set(
        static_cast<double>(pool_->queue_depth()));
    HttpResponse r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = decider_->metrics()->Render();
    return r;
  }
  if (path == "/v1/data" || StartsWith(path, "/v1/data/")) {
    if (request.method != "GET" && request.method != "POST") {
      return MethodNotAllowed("GET, HEAD, POST");
    }
    return Data(request, path == "/v1/data" ? "" : PathAfter(path, "/v1/data/"));
  }
  if (path == "/v1/batch/data" || StartsWith(path, "/v1/batch/data/")) {
    if (request.method != "POST") return MethodNotAllowed("POST");
    return Batch(request, path == "/v1/batch/data"
                              ? ""
                              : PathAfter(path, "/v1/batch/data/"));
  }
  if (path == "/") {
    if (request.method != "POST") return MethodNotAllowed("POST");
    return DefaultDecision(request);
  }
  return Error(404, "resource_not_found",
               absl::StrCat("no such endpoint: ", request.path));
}

bool RestApi::Dispatch(const HttpRequest& request,
                       absl::AnyInvocable<void() &&> task) const {
  std::string_view path = request.path;
  if (path == "/health" || path == "/metrics") {
    std::move(task)();
    return true;
  }
  if (pool_->RunHereOrSubmit(std::move(task))) return true;
  decider_->metrics()->CountError(kApi, "resource_exhausted");
  return false;
}

Decision RestApi::Run(std::string_view path, const Value* input,
                      absl::Time start) const {
  Decision decision = decider_->Decide(std::string(path), input, start + timeout_);
  decider_->Record(kApi, path, input, decision, ClassifyDecision(decision),
                   start);
  return decision;
}

HttpResponse RestApi::Data(const HttpRequest& request,
                           std::string_view path) const {
  absl::Time start = ArrivalOf(request);
  Value input;
  bool has_input = false;
  if (request.method == "POST" && !request.body.empty()) {
    absl::StatusOr<Value> body = ParseJson(request.body);
    if (!body.ok()) {
      decider_->metrics()->CountError(kApi, "invalid_argument");
      return Error(400, "invalid_parameter",
                   absl::StrCat("body contains malformed input document: ",
                                body.status().message()));
    }
    if (!body->is_object()) {
      decider_->metrics()->CountError(kApi, "invalid_argument");
      return Error(400, "invalid_parameter",
                   "body must be an object with an \"input\" key");
    }
    if (const Value* in = body->Find("input")) {
      input = *in;
      has_input = true;
    }
  }
  Decision decision = Run(path, has_input ? &input : nullptr, start);
  if (!decision.status.ok()) return ErrorFor(decision.status);
  HttpResponse r;
  r.body = "{";
  if (decision.result.has_value()) {
    r.body += "\"result\":";
    decision.result->AppendJson(&r.body);
    r.body += ",";
  }
  absl::StrAppend(&r.body, "\"decision_id\":", JsonString(decision.decision_id),
                  "}\n");
  return r;
}

HttpResponse RestApi::Batch(const HttpRequest& request,
                            std::string_view path) const {
  absl::Time start = ArrivalOf(request);
  absl::StatusOr<Value> body = ParseJson(request.body);
  const Value* inputs = body.ok() && body->is_object() ? body->Find("inputs") : nullptr;
  if (inputs == nullptr || !inputs->is_object()) {
    decider_->metrics()->CountError(kApi, "invalid_argument");
    return Error(400, "invalid_parameter",
                 body.ok() ? "body must be {\"inputs\": {id: input, ...}}"
                           : absl::StrCat("body contains malformed JSON: ",
                                          body.status().message()));
  }
  std::string responses;
  bool any_error = false;
  bool all_error = true;
  for (const auto& [id, input] : inputs->entries()) {
    Decision decision = Run(path, &input, start);
    if (decision.status.code() == absl::StatusCode::kFailedPrecondition ||
        (decision.status.code() == absl::StatusCode::kInvalidArgument &&
         ErrorCodeOf(decision.status) == "invalid_argument")) {
      return ErrorFor(decision.status);
    }
    if (!responses.empty()) responses += ",";
    std::string key = id.is_string() ? std::string(id.string()) : id.ToJson();
    absl::StrAppend(&responses, JsonString(key), ":{");
    if (!decision.status.ok()) {
      any_error = true;
      HttpResponse e = ErrorFor(decision.status);
      absl::StrAppend(&responses, "\"code\":",
                      JsonString(ErrorCodeOf(decision.status)),
                      ",\"message\":", JsonString(decision.status.message()),
                      ",\"http_status_code\":\"", e.status, "\",");
    } else {
      all_error = false;
      if (decision.result.has_value()) {
        responses += "\"result\":";
        decision.result->AppendJson(&responses);
        responses += ",";
      }
      responses += "\"http_status_code\":\"200\",";
    }
    absl::StrAppend(&responses, "\"decision_id\":",
                    JsonString(decision.decision_id), "}");
  }
  HttpResponse r;
  r.status = !any_error ? 200 : all_error ? 500 : 207;
  r.body = absl::StrCat("{\"batch_decision_id\":", JsonString(NewDecisionId()),
                        ",\"responses\":{", responses, "}}\n");
  return r;
}

HttpResponse RestApi::DefaultDecision(const HttpRequest& request) const {
  absl::Time start = ArrivalOf(request);
  Value input;
  bool has_input = false;
  if (!request.body.empty()) {
    absl::StatusOr<Value> body = ParseJson(request.body);
    if (!body.ok()) {
      decider_->metrics()->CountError(kApi, "invalid_argument");
      return Error(400, "invalid_parameter",
                   absl::StrCat("body contains malformed input document: ",
                                body.status().message()));
    }
    input = *std::move(body);
    has_input = true;
  }
  Decision decision =
      Run(default_decision_, has_input ? &input : nullptr, start);
  if (!decision.status.ok()) return ErrorFor(decision.status);
  if (!decision.result.has_value()) {
    return Error(404, "undefined_document",
                 absl::StrCat("document missing: data/", default_decision_));
  }
  HttpResponse r;
  r.body = decision.result->ToJson() + "\n";
  return r;
}

HttpResponse RestApi::Health(const HttpRequest& request) const {
  if (shutting_down_.load()) return Error(500, "unavailable", "shutting down");
  if (request.HasQueryParam("bundles")) {
    bundles::StoreStatus status = decider_->store()->Status();
    bool ready = status.current != nullptr && HasActiveBundles(*status.current);
    for (const bundles::BundleStatus& b : status.bundles) {
      if (!b.active) ready = false;
    }
    if (!ready) {
      HttpResponse r;
      r.status = 500;
      r.body = "{\"error\":\"not all bundles are active\"}\n";
      return r;
    }
  }
  HttpResponse r;
  r.body = "{}\n";
  return r;
}

}  // namespace policyd
