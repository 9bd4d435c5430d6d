// Helpers for engine tests: compile Rego text and evaluate a query to JSON.
#ifndef POLICYD_TESTS_ENGINE_EVAL_TEST_UTIL_H_
#define POLICYD_TESTS_ENGINE_EVAL_TEST_UTIL_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/engine.h"
#include "engine/value/json.h"

namespace policyd::testing {

inline absl::StatusOr<std::shared_ptr<const Engine>> CompileText(
    const std::vector<std::string>& modules, const std::string& data_json = "{}",
    ast::RegoVersion version = ast::RegoVersion::kV1) {
  std::vector<SourceModule> sources;
  for (size_t i = 0; i < modules.size(); ++i) {
    sources.push_back({"test-" + std::to_string(i) + ".rego", modules[i], version});
  }
  absl::StatusOr<Value> data = ParseJson(data_json);
  if (!data.ok()) return data.status();
  return Engine::Compile(sources, *data);
}

// The query's single value as JSON, "undefined", or "error: <message>".
inline std::string EvalJson(const std::shared_ptr<const Engine>& engine,
                            const std::string& query,
                            const std::string& input_json = "",
                            EvalOptions options = {}) {
  absl::StatusOr<PreparedQuery> prepared = engine->Prepare(query);
  if (!prepared.ok()) return "error: " + std::string(prepared.status().message());
  Value input;
  if (!input_json.empty()) {
    absl::StatusOr<Value> parsed = ParseJson(input_json);
    if (!parsed.ok()) return "error: bad input";
    input = *parsed;
    options.input = &input;
  }
  absl::StatusOr<std::optional<Value>> v = prepared->EvalValue(options);
  if (!v.ok()) return "error: " + std::string(v.status().message());
  return *v ? (*v)->ToJson() : "undefined";
}

// Compiles `module` (one v1 module) and evaluates `query` over it.
inline std::string Eval(const std::string& module, const std::string& query,
                        const std::string& input_json = "",
                        const std::string& data_json = "{}") {
  auto engine = CompileText({module}, data_json);
  if (!engine.ok()) return "compile error: " + std::string(engine.status().message());
  return EvalJson(*engine, query, input_json);
}

}  // namespace policyd::testing

#endif  // POLICYD_TESTS_ENGINE_EVAL_TEST_UTIL_H_
