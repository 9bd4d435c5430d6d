#include "engine/engine.h"

#include <utility>

#include "engine/compile/compiler.h"
#include "engine/eval/evaluator.h"
#include "engine/syntax/parser.h"
#include "util/status_macros.h"

namespace policyd {

struct Engine::Compiled {
  Value data;
  compile::CompiledModules modules;
};

struct PreparedQuery::Plan {
  plan::Query query;
};

Engine::Engine(std::unique_ptr<const Compiled> compiled)
    : compiled_(std::move(compiled)) {}
Engine::~Engine() = default;

const Value& Engine::data() const { return compiled_->data; }

absl::StatusOr<std::shared_ptr<const Engine>> Engine::Compile(
    const std::vector<SourceModule>& modules, Value data) {
  std::vector<ast::Module> parsed;
  parsed.reserve(modules.size());
  std::string errors;
  for (const SourceModule& m : modules) {
    absl::StatusOr<ast::Module> module =
        ast::ParseModule(m.filename, m.text, m.version);
    if (!module.ok()) {
      if (!errors.empty()) errors += "\n";
      errors += std::string(module.status().message());
      continue;
    }
    parsed.push_back(*std::move(module));
  }
  if (!errors.empty()) {
    absl::Status status = absl::InvalidArgumentError(errors);
    status.SetPayload("policyd.dev/error_code", absl::Cord(std::string(kRegoParseError)));
    return status;
  }
  return CompileParsed(std::move(parsed), std::move(data));
}

absl::StatusOr<std::shared_ptr<const Engine>> Engine::CompileParsed(
    std::vector<ast::Module> modules, Value data) {
  POLICYD_ASSIGN_OR_RETURN(compile::CompiledModules compiled, compile::CompileModules(modules));
  auto c = std::make_unique<Compiled>();
  c->data = data.is_null() ? Value::Object({}) : std::move(data);
  c->modules = std::move(compiled);
  return std::shared_ptr<const Engine>(std::make_shared<Engine>(std::move(c)));
}

absl::StatusOr<PreparedQuery> Engine::Prepare(std::string_view query) const {
  POLICYD_ASSIGN_OR_RETURN(ast::Body body, ast::ParseQuery(query));
  POLICYD_ASSIGN_OR_RETURN(plan::Query q,
                           compile::CompileQuery(body, query, *compiled_->modules.root));
  auto plan = std::make_shared<PreparedQuery::Plan>();
  plan->query = std::move(q);
  return PreparedQuery(shared_from_this(), std::move(plan));
}

PreparedQuery::PreparedQuery(std::shared_ptr<const Engine> engine,
                             std::shared_ptr<const Plan> plan)
    : engine_(std::move(engine)), plan_(std::move(plan)) {}

const std::vector<std::string>& PreparedQuery::expression_texts() const {
  return plan_->query.texts;
}

ResultSet PreparedQuery::Eval(const EvalOptions& options) const {
  const Engine::Compiled& c = engine_->compiled();
  return eval::Evaluate(plan_->query, *c.modules.root, c.data, options);
}

absl::StatusOr<std::optional<Value>> PreparedQuery::EvalValue(
    const EvalOptions& options) const {
  ResultSet rs = Eval(options);
  if (!rs.error.ok()) return rs.error;
  if (rs.rows.empty()) return std::nullopt;
  if (rs.rows.size() > 1 || rs.rows[0].expressions.size() != 1) {
    return absl::InvalidArgumentError(
        "query has more than one result: use Eval for result sets");
  }
  return rs.rows[0].expressions[0];
}

}  // namespace policyd
