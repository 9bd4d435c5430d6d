#include "tests/conformance/judge.h"

#include <algorithm>
#include <cstdlib>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "engine/errors.h"
#include "engine/syntax/parser.h"
#include "engine/value/json.h"
#include "util/status_macros.h"

namespace policyd::conformance {
namespace {

constexpr size_t kMaxShown = 400;

// One line, at most kMaxShown bytes, for the failure table.
std::string Shorten(std::string text) {
  text = absl::StrReplaceAll(text, {{"\n", "\\n"}});
  if (text.size() > kMaxShown) text = text.substr(0, kMaxShown) + "...";
  return text;
}

Verdict Fail(std::string reason) { return {false, Shorten(std::move(reason))}; }

// A result value as OPA's runner sees it after its JSON round trip: sets
// become sorted arrays, non-string keys become their JSON text.
absl::StatusOr<Value> AsJson(const Value& value) {
  return ParseJson(value.ToJson());
}

absl::StatusOr<Value> ActualRows(const ConformanceCase& c,
                                 const ResultSet& results) {
  std::vector<Value> rows;
  for (const ResultRow& row : results.rows) {
    std::vector<ObjectEntry> bindings;
    for (const auto& [name, value] : row.bindings) {
      if (c.ignore_generated_vars && absl::StartsWith(name, "__localq")) {
        continue;
      }
      POLICYD_ASSIGN_OR_RETURN(Value json, AsJson(value));
      if (c.sort_bindings && json.is_array()) {
        std::vector<Value> elems = CopyElements(json.elements());
        std::sort(elems.begin(), elems.end());
        json = Value::Array(std::move(elems));
      }
      bindings.emplace_back(Value::String(name), std::move(json));
    }
    rows.push_back(Value::Object(std::move(bindings)));
  }
  return Value::Set(std::move(rows));
}

}  // namespace

Verdict Judge(const ConformanceCase& c, const ResultSet& results) {
  const absl::Status& error = results.error;
  if (!c.want_result && !c.want_error && !c.want_error_code) {
    return Fail("invalid case: no want_result, want_error or want_error_code");
  }
  if (c.want_error) {
    if (error.ok()) return Fail(absl::StrCat("want error \"", *c.want_error,
                                             "\", got no error"));
    if (!absl::StrContains(error.message(), *c.want_error)) {
      return Fail(absl::StrCat("want error containing \"", *c.want_error,
                               "\", got: ", error.message()));
    }
  }
  if (c.want_error_code) {
    if (error.ok()) return Fail(absl::StrCat("want error code ",
                                             *c.want_error_code, ", got no error"));
    if (ErrorCode(error) != *c.want_error_code) {
      return Fail(absl::StrCat("want error code ", *c.want_error_code,
                               ", got: ", error.message()));
    }
  }
  if (!error.ok() && !c.want_error && !c.want_error_code) {
    return Fail(absl::StrCat("unexpected error: ", error.message()));
  }
  if (c.want_result) {
    absl::StatusOr<Value> actual = ActualRows(c, results);
    if (!actual.ok()) {
      return Fail(absl::StrCat("result is not JSON: ", actual.status().message()));
    }
    Value expected = Value::Set(CopyElements(c.want_result->elements()));
    if (*actual != expected) {
      return Fail(absl::StrCat("want result ", c.want_result->ToJson(),
                               ", got ", actual->ToJson()));
    }
  }
  return {true, ""};
}

Verdict RunCase(const ConformanceCase& c, absl::Duration time_limit) {
  for (const auto& [name, value] : c.env) {
    setenv(name.c_str(), value.c_str(), /*overwrite=*/1);
  }
  std::vector<SourceModule> modules;
  for (size_t i = 0; i < c.modules.size(); ++i) {
    modules.push_back({absl::StrCat("test-", i, ".rego"), c.modules[i],
                       ast::RegoVersion::kV1});
  }
  absl::StatusOr<std::shared_ptr<const Engine>> engine =
      Engine::Compile(modules, c.data.value_or(Value::Object({})));
  if (!engine.ok()) {
    return Fail(absl::StrCat("compile error: ", engine.status().message()));
  }
  absl::StatusOr<PreparedQuery> query = (*engine)->Prepare(c.query);
  if (!query.ok()) {
    return Fail(absl::StrCat("query error: ", query.status().message()));
  }
  std::optional<Value> input = c.input;
  if (c.input_term) {
    absl::StatusOr<Value> term = ast::ParseValue(*c.input_term);
    if (!term.ok()) {
      return Fail(absl::StrCat("input_term: ", term.status().message()));
    }
    input = *std::move(term);
  }
  EvalOptions options;
  if (input) options.input = &*input;
  options.strict_builtin_errors = c.strict_error;
  options.deadline = absl::Now() + time_limit;
  ResultSet results = query->Eval(options);
  if (ErrorCode(results.error) == kEvalCancelError) {
    return Fail(absl::StrCat("timed out after ", absl::FormatDuration(time_limit)));
  }
  return Judge(c, results);
}

}  // namespace policyd::conformance
