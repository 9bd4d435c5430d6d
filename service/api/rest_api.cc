#include "service/api/rest_api.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "engine/value/json.h"
#include "service/api/data_write_api.h"
#include "service/api/explain.h"
#include "service/api/grpc_status.h"
#include "service/api/policies_api.h"
#include "service/api/rest_util.h"
#include "service/api/status_api.h"
#include "util/percent.h"

namespace policyd {
namespace {

constexpr std::string_view kApi = "rest";

std::string JsonString(absl::string_view s) {
  std::string out;
  Value::String(std::string(s)).AppendJson(&out);
  return out;
}

HttpResponse QueueFull() {
  return RestError(429, "too_many_requests",
                   "too many decisions in flight; retry later");
}

// The decoded path after `prefix` (percent-escapes resolved; a malformed
// one kept as written).
std::string PathAfter(std::string_view path, std::string_view prefix) {
  return PercentDecode(path.substr(prefix.size()), PercentMode::kPath);
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

int64_t Nanos(absl::Duration d) { return absl::ToInt64Nanoseconds(d); }

// OPA's timers that apply to a policyd decision.
Value Metrics(absl::Duration input_parse, absl::Duration eval,
              absl::Duration handler) {
  return Value::Object({
      {Value::String("timer_rego_input_parse_ns"), Value::Int(Nanos(input_parse))},
      {Value::String("timer_rego_query_eval_ns"), Value::Int(Nanos(eval))},
      {Value::String("timer_server_handler_ns"), Value::Int(Nanos(handler))},
  });
}

Value Provenance(const Decision& decision) {
  std::vector<ObjectEntry> bundles;
  for (const auto& [name, revision] : decision.Revisions()) {
    bundles.emplace_back(Value::String(name),
                         Value::Object({{Value::String("revision"), Value::String(revision)}}));
  }
  return Value::Object({
      {Value::String("version"), Value::String(POLICYD_VERSION)},
      {Value::String("bundles"), Value::Object(std::move(bundles))},
  });
}

// The input of a /v1/data or /v1/query request: POST bodies carry
// {"input": ...}; GET requests may carry `input=JSON` in the query string.
struct ParsedInput {
  Value value;
  bool present = false;
  absl::Duration took;
};

absl::StatusOr<ParsedInput> InputOf(const HttpRequest& request,
                                    std::string_view body_key) {
  ParsedInput parsed;
  absl::Time start = absl::Now();
  if (request.method == "GET") {
    std::vector<std::string> values = QueryValues(request.query, "input");
    if (!values.empty()) {
      absl::StatusOr<Value> v = ParseJson(values.back());
      if (!v.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "input parameter contains malformed JSON: ", v.status().message()));
      }
      parsed.value = *std::move(v);
      parsed.present = true;
    }
  } else if (!request.body.empty()) {
    absl::StatusOr<Value> body = ParseJson(request.body);
    if (!body.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "body contains malformed input document: ", body.status().message()));
    }
    if (!body->is_object()) {
      return absl::InvalidArgumentError(
          absl::StrCat("body must be an object with an \"", std::string(body_key), "\" key"));
    }
    if (const Value* in = body->Find("input")) {
      parsed.value = *in;
      parsed.present = true;
    }
  }
  parsed.took = absl::Now() - start;
  return parsed;
}

}  // namespace

RestApi::RestApi(const Decider* decider, WorkerPool* pool,
                 std::string default_decision, absl::Duration timeout,
                 RestOptions options)
    : decider_(decider),
      pool_(pool),
      default_decision_(std::move(default_decision)),
      timeout_(timeout),
      options_(std::move(options)) {}

HttpResponse RestApi::Handle(const HttpRequest& request) const {
  if (options_.access.basic_authorization) {
    std::optional<HttpResponse> refused =
        CheckAccess(request, options_.access, *decider_->store()->Current(),
                    absl::Now() + timeout_);
    if (refused) return *refused;
  }
  return Route(request);
}

HttpResponse RestApi::Route(const HttpRequest& request) const {
  std::string_view path = request.path;
  bool pretty = QueryFlag(request.query, "pretty");
  if (path == "/health") {
    if (request.method != "GET") return RestError(405, "method_not_allowed", "use GET");
    return Health(request);
  }
  if (path == "/metrics") {
    if (request.method != "GET") return RestError(405, "method_not_allowed", "use GET");
    decider_->metrics()->queue_depth()->Set(
        static_cast<double>(pool_->queue_depth()));
    HttpResponse r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = decider_->metrics()->registry().Render();
    return r;
  }
  if (path == "/v1/data" || StartsWith(path, "/v1/data/")) {
    std::string data_path = path == "/v1/data" ? "" : PathAfter(path, "/v1/data/");
    if (request.method == "GET" || request.method == "POST") {
      return Data(request, data_path);
    }
    bool write = request.method == "PUT" || request.method == "PATCH" ||
                 request.method == "DELETE";
    if (write && options_.store != nullptr) {
      return HandleDataWrite(request, PathSegments(data_path), options_.store);
    }
    return RestError(405, "method_not_allowed",
                     options_.store != nullptr ? "use GET, POST, PUT, PATCH or DELETE"
                                               : "use GET or POST");
  }
  if (path == "/v1/batch/data" || StartsWith(path, "/v1/batch/data/")) {
    if (request.method != "POST") return RestError(405, "method_not_allowed", "use POST");
    return Batch(request, path == "/v1/batch/data"
                              ? ""
                              : PathAfter(path, "/v1/batch/data/"));
  }
  if (options_.store != nullptr) {
    if (path == "/v1/policies" || StartsWith(path, "/v1/policies/")) {
      std::string id = path == "/v1/policies" ? "" : PathAfter(path, "/v1/policies/");
      return HandlePolicies(request, id, pretty, options_.store);
    }
    if (path == "/v1/query") {
      if (request.method != "GET" && request.method != "POST") {
        return RestError(405, "method_not_allowed", "use GET or POST");
      }
      return Query(request);
    }
    if (path == "/v1/config" || path == "/v1/status") {
      if (request.method != "GET") return RestError(405, "method_not_allowed", "use GET");
      return path == "/v1/config"
                 ? ConfigResponse(options_.config, pretty)
                 : StatusResponse(options_.store->Status(), options_.labels, pretty);
    }
  }
  if (path == "/") {
    if (request.method != "POST") return RestError(405, "method_not_allowed", "use POST");
    return DefaultDecision(request);
  }
  if (path == "/v1/admit" && options_.admission != nullptr) {
    if (request.method != "POST") return RestError(405, "method_not_allowed", "use POST");
    return Admit(request);
  }
  return RestError(404, "resource_not_found",
                   absl::StrCat("no such endpoint: ", request.path));
}

HttpResponse RestApi::Admit(const HttpRequest& request) const {
  WebhookResponse answer;
  absl::Notification done;
  if (!pool_->TrySubmit([&] {
        answer = options_.admission->Handle(request.body);
        done.Notify();
      })) {
    decider_->metrics()->CountError("admission", "resource_exhausted");
    return QueueFull();
  }
  done.WaitForNotification();
  HttpResponse r;
  r.status = answer.status;
  r.body = std::move(answer.body);
  return r;
}

std::optional<Decision> RestApi::Run(std::string_view path, const Value* input,
                                     absl::Time start,
                                     const DecisionRequestOptions& request) const {
  Decision decision;
  absl::Notification done;
  std::string p(path);
  absl::Time deadline = start + timeout_;
  if (!pool_->TrySubmit([&] {
        decision = decider_->Decide(p, input, deadline, request);
        done.Notify();
      })) {
    decider_->metrics()->CountError(kApi, "resource_exhausted");
    return std::nullopt;
  }
  done.WaitForNotification();
  decider_->Record(kApi, path, input, decision, ClassifyDecision(decision),
                   start);
  return decision;
}

HttpResponse RestApi::Data(const HttpRequest& request,
                           std::string_view path) const {
  absl::Time start = absl::Now();
  absl::StatusOr<ParsedInput> input = InputOf(request, "input");
  if (!input.ok()) {
    decider_->metrics()->CountError(kApi, "invalid_argument");
    return RestErrorFor(input.status());
  }
  const std::string_view query = request.query;
  bool pretty = QueryFlag(query, "pretty");
  bool metrics = QueryFlag(query, "metrics") || QueryFlag(query, "instrument");
  bool provenance = QueryFlag(query, "provenance");
  DecisionRequestOptions options;
  if (QueryFlag(query, "strict-builtin-errors")) options.strict_builtin_errors = true;
  std::optional<ExplainTracer> explain;
  std::vector<std::string> explain_mode = QueryValues(query, "explain");
  if (!explain_mode.empty() && explain_mode.back() != "off") {
    std::optional<ExplainTracer::Mode> mode = ExplainTracer::ParseMode(explain_mode.back());
    if (!mode) {
      return RestError(400, "invalid_parameter",
                       "explain must be notes, fails, full or off");
    }
    explain.emplace(*mode);
    options.tracer = &*explain;
  }
  std::optional<Decision> decision =
      Run(path, input->present ? &input->value : nullptr, start, options);
  if (!decision.has_value()) return QueueFull();
  if (!decision->status.ok()) return RestErrorFor(decision->status);

  HttpResponse r;
  if (!pretty && !metrics && !provenance && !explain) {
    // The common answer, written directly.
    r.body = "{";
    if (decision->result.has_value()) {
      r.body += "\"result\":";
      decision->result->AppendJson(&r.body);
      r.body += ",";
    }
    absl::StrAppend(&r.body, "\"decision_id\":", JsonString(decision->decision_id),
                    "}\n");
    return r;
  }
  std::vector<ObjectEntry> body;
  if (decision->result.has_value()) body.emplace_back(Value::String("result"), *decision->result);
  body.emplace_back(Value::String("decision_id"), Value::String(decision->decision_id));
  if (provenance) body.emplace_back(Value::String("provenance"), Provenance(*decision));
  if (explain) {
    absl::StatusOr<std::string> text = QueryForPath(path);
    body.emplace_back(Value::String("explanation"),
                      explain->Explanation(*decision->snapshot,
                                           text.ok() ? *text : std::string(path), pretty));
  }
  if (metrics) {
    body.emplace_back(Value::String("metrics"),
                      Metrics(input->took, decision->eval_time, absl::Now() - start));
  }
  r.body = JsonBody(Value::Object(std::move(body)), pretty);
  return r;
}

HttpResponse RestApi::Query(const HttpRequest& request) const {
  absl::Time start = absl::Now();
  std::string text;
  if (request.method == "GET") {
    std::vector<std::string> q = QueryValues(request.query, "q");
    if (q.empty()) return RestError(400, "invalid_parameter", "missing parameter 'q'");
    text = q.back();
  } else {
    absl::StatusOr<Value> body = ParseJson(request.body);
    const Value* query = body.ok() && body->is_object() ? body->Find("query") : nullptr;
    if (query == nullptr || !query->is_string()) {
      return RestError(400, "invalid_parameter",
                       "body must be {\"query\": \"...\", \"input\": ...}");
    }
    text = std::string(query->string());
  }
  absl::StatusOr<ParsedInput> input = InputOf(request, "query");
  if (!input.ok()) return RestErrorFor(input.status());
  std::shared_ptr<const bundles::Snapshot> snapshot = decider_->store()->Current();
  absl::StatusOr<PreparedQuery> prepared = snapshot->engine().Prepare(text);
  if (!prepared.ok()) {
    return RestErrorList("error(s) occurred while compiling query", prepared.status());
  }
  ResultSet results;
  absl::Notification done;
  EvalOptions eval;
  eval.input = input->present ? &input->value : nullptr;
  eval.deadline = start + timeout_;
  eval.strict_builtin_errors = QueryFlag(request.query, "strict-builtin-errors");
  if (!pool_->TrySubmit([&] {
        results = prepared->Eval(eval);
        done.Notify();
      })) {
    return QueueFull();
  }
  done.WaitForNotification();
  if (!results.error.ok()) return RestErrorFor(results.error);
  std::vector<ObjectEntry> body;
  if (!results.rows.empty()) {
    std::vector<Value> rows;
    for (const ResultRow& row : results.rows) {
      std::vector<ObjectEntry> bindings;
      for (const auto& [name, value] : row.bindings) {
        bindings.emplace_back(Value::String(name), value);
      }
      rows.push_back(Value::Object(std::move(bindings)));
    }
    body.emplace_back(Value::String("result"), Value::Array(std::move(rows)));
  }
  if (QueryFlag(request.query, "metrics")) {
    body.emplace_back(Value::String("metrics"),
                      Metrics(input->took, absl::Now() - start, absl::Now() - start));
  }
  HttpResponse r;
  r.body = JsonBody(Value::Object(std::move(body)), QueryFlag(request.query, "pretty"));
  return r;
}

HttpResponse RestApi::Batch(const HttpRequest& request,
                            std::string_view path) const {
  absl::Time start = absl::Now();
  absl::StatusOr<Value> body = ParseJson(request.body);
  const Value* inputs = body.ok() && body->is_object() ? body->Find("inputs") : nullptr;
  if (inputs == nullptr || !inputs->is_object()) {
    decider_->metrics()->CountError(kApi, "invalid_argument");
    return RestError(400, "invalid_parameter",
                     body.ok() ? "body must be {\"inputs\": {id: input, ...}}"
                               : absl::StrCat("body contains malformed JSON: ",
                                              body.status().message()));
  }
  std::string responses;
  bool any_error = false;
  bool all_error = true;
  for (const auto& [id, input] : inputs->entries()) {
    std::optional<Decision> decision = Run(path, &input, start);
    if (!decision.has_value()) return QueueFull();
    if (decision->status.code() == absl::StatusCode::kFailedPrecondition ||
        (decision->status.code() == absl::StatusCode::kInvalidArgument &&
         ErrorCodeOf(decision->status) == "invalid_argument")) {
      return RestErrorFor(decision->status);
    }
    if (!responses.empty()) responses += ",";
    std::string key = id.is_string() ? std::string(id.string()) : id.ToJson();
    absl::StrAppend(&responses, JsonString(key), ":{");
    if (!decision->status.ok()) {
      any_error = true;
      HttpResponse e = RestErrorFor(decision->status);
      absl::StrAppend(&responses, "\"code\":",
                      JsonString(ErrorCodeOf(decision->status)),
                      ",\"message\":", JsonString(decision->status.message()),
                      ",\"http_status_code\":\"", e.status, "\",");
    } else {
      all_error = false;
      if (decision->result.has_value()) {
        responses += "\"result\":";
        decision->result->AppendJson(&responses);
        responses += ",";
      }
      responses += "\"http_status_code\":\"200\",";
    }
    absl::StrAppend(&responses, "\"decision_id\":",
                    JsonString(decision->decision_id), "}");
  }
  HttpResponse r;
  r.status = !any_error ? 200 : all_error ? 500 : 207;
  r.body = absl::StrCat("{\"batch_decision_id\":", JsonString(NewDecisionId()),
                        ",\"responses\":{", responses, "}}\n");
  return r;
}

HttpResponse RestApi::DefaultDecision(const HttpRequest& request) const {
  absl::Time start = absl::Now();
  Value input;
  bool has_input = false;
  if (!request.body.empty()) {
    absl::StatusOr<Value> body = ParseJson(request.body);
    if (!body.ok()) {
      decider_->metrics()->CountError(kApi, "invalid_argument");
      return RestError(400, "invalid_parameter",
                       absl::StrCat("body contains malformed input document: ",
                                    body.status().message()));
    }
    input = *std::move(body);
    has_input = true;
  }
  std::optional<Decision> decision =
      Run(default_decision_, has_input ? &input : nullptr, start);
  if (!decision.has_value()) return QueueFull();
  if (!decision->status.ok()) return RestErrorFor(decision->status);
  if (!decision->result.has_value()) {
    return RestError(404, "undefined_document",
                     absl::StrCat("document missing: data/", default_decision_));
  }
  HttpResponse r;
  r.body = decision->result->ToJson() + "\n";
  return r;
}

HttpResponse RestApi::Health(const HttpRequest& request) const {
  if (shutting_down_.load()) return RestError(500, "unavailable", "shutting down");
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
