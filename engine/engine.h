// The public face of the Rego engine.
//
//   auto engine = Engine::Compile({{"policy.rego", text}}, data);
//   auto query = (*engine)->Prepare("data.rbac.allow");
//   EvalOptions options; options.input = &input;
//   auto value = query->EvalValue(options);   // optional<Value>
//
// An Engine is immutable once compiled and is shared by every thread that
// evaluates against it; a PreparedQuery may be evaluated concurrently too.
// The engine has no files, threads or network of its own.
#ifndef POLICYD_ENGINE_ENGINE_H_
#define POLICYD_ENGINE_ENGINE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "engine/errors.h"
#include "engine/syntax/ast.h"
#include "engine/value/value.h"

namespace policyd {

struct SourceModule {
  std::string filename;  // used in error messages: "policy.rego:3:5: ..."
  std::string text;
  ast::RegoVersion version = ast::RegoVersion::kV1;
};

// Told what an evaluation visits, for coverage reports and explanations
// (OPA's Enter/Eval/Fail/Exit/Note trace events). When no tracer is set the
// evaluator does no tracing work beyond one pointer test per expression.
// `file` is empty for the query's own expressions.
class EvalTracer {
 public:
  virtual ~EvalTracer() = default;
  // The body of the rule (or function) at `loc` is about to be evaluated.
  virtual void EnterRule(std::string_view file, const ast::Location& loc) {}
  // An expression is about to be evaluated.
  virtual void EvalExpr(std::string_view file, const ast::Location& loc) {}
  // The expression just evaluated gave no (further) solution.
  virtual void FailExpr(std::string_view file, const ast::Location& loc) {}
  // The body of the rule (or function, or default rule) at `loc`
  // succeeded: its head produces a value.
  virtual void ExitRule(std::string_view file, const ast::Location& loc) {}
  // `trace(message)` was called.
  virtual void Note(std::string_view file, const ast::Location& loc,
                    std::string_view message) {}
};

struct EvalOptions {
  // The input document; nullptr means undefined. Must outlive the call.
  const Value* input = nullptr;
  // OPA's StrictBuiltinErrors: a builtin error is reported (after
  // evaluation ends, with the results gathered so far) instead of being
  // silently undefined.
  bool strict_builtin_errors = false;
  // Evaluation stops with eval_cancel_error after this time, and with
  // eval_limit_error after this many steps (0: no limit).
  absl::Time deadline = absl::InfiniteFuture();
  int64_t max_steps = 0;
  // Receives each `print(...)` line; prints are dropped when unset.
  std::function<void(std::string_view line)> print;
  // Fixed time.now_ns() for the query; 0 means the real clock at start.
  int64_t now_ns = 0;
  // Receives the expressions and rules evaluated; not owned.
  EvalTracer* tracer = nullptr;
};

// One row of a query's results: the value of each expression in the query
// (`true` for conditions, the term's value for a bare term) and the value of
// each named (non-generated) variable of the query.
struct ResultRow {
  std::vector<Value> expressions;
  std::vector<std::pair<std::string, Value>> bindings;  // sorted by name
};

struct ResultSet {
  std::vector<ResultRow> rows;  // empty: undefined
  // Set for an evaluation error. In strict mode a builtin error arrives here
  // together with the rows gathered before it (as OPA does).
  absl::Status error;
};

class Engine;

class PreparedQuery {
 public:
  // All result rows.
  ResultSet Eval(const EvalOptions& options) const;
  // The value of a query that is a single term (e.g. `data.rbac.allow`):
  // nullopt when undefined. A query with several results is an error.
  absl::StatusOr<std::optional<Value>> EvalValue(
      const EvalOptions& options) const;

  // The source text of each expression, for `opa eval` style output.
  const std::vector<std::string>& expression_texts() const;

  struct Plan;  // defined by the compiler

  PreparedQuery(std::shared_ptr<const Engine> engine,
                std::shared_ptr<const Plan> plan);

 private:
  std::shared_ptr<const Engine> engine_;
  std::shared_ptr<const Plan> plan_;
};

class Engine : public std::enable_shared_from_this<Engine> {
 public:
  // Parses and compiles `modules` over the base document `data` (an object;
  // null means empty). Errors carry OPA's codes (rego_parse_error,
  // rego_compile_error, rego_unsafe_var_error, rego_recursion_error,
  // rego_type_error) with file:line:col, one per line.
  static absl::StatusOr<std::shared_ptr<const Engine>> Compile(
      const std::vector<SourceModule>& modules, Value data = Value());

  // Compiles already-parsed modules (e.g. kept from an earlier compile of the
  // same files), skipping the parse.
  static absl::StatusOr<std::shared_ptr<const Engine>> CompileParsed(
      std::vector<ast::Module> modules, Value data = Value());

  // Compiles a query body (`data.a.b`, `x := data.a[_]; x > 1`) against the
  // engine, once; the result can be evaluated many times.
  absl::StatusOr<PreparedQuery> Prepare(std::string_view query) const;

  const Value& data() const;

  struct Compiled;  // defined by the compiler
  explicit Engine(std::unique_ptr<const Compiled> compiled);
  ~Engine();
  const Compiled& compiled() const { return *compiled_; }

 private:
  std::unique_ptr<const Compiled> compiled_;
};

}  // namespace policyd

#endif  // POLICYD_ENGINE_ENGINE_H_
