// Line coverage of Rego modules as `opa test --coverage` reports it: a line
// is covered when an expression on it was evaluated or a rule whose head is
// on it produced a value; a line is not covered when it holds a rule head or
// an expression (other than a `some` declaration) that was never reached.
#ifndef POLICYD_SERVICE_CLI_COVERAGE_H_
#define POLICYD_SERVICE_CLI_COVERAGE_H_

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/engine.h"
#include "engine/syntax/ast.h"

namespace policyd {

// Records the lines evaluation visits. Not thread-safe: one evaluation at a
// time.
class CoverageTracer : public EvalTracer {
 public:
  void EvalExpr(std::string_view file, const ast::Location& loc) override;
  void ExitRule(std::string_view file, const ast::Location& loc) override;

  // Covered lines per file.
  const std::map<std::string, std::set<int>, std::less<>>& hits() const {
    return hits_;
  }

 private:
  void Hit(std::string_view file, int line);
  std::map<std::string, std::set<int>, std::less<>> hits_;
};

// OPA's JSON coverage report over `modules`, indented as OPA prints it:
//   {"files": {"a.rego": {"covered": [{"start": {"row": 3}, "end": {"row": 5}}],
//    "not_covered": [...], "covered_lines": 3, "not_covered_lines": 1,
//    "coverage": 75}}, "covered_lines": 3, "not_covered_lines": 1,
//    "coverage": 75}
// Percentages are rounded as OPA rounds them (to 0.05).
std::string CoverageReportJson(const CoverageTracer& tracer,
                               const std::vector<ast::Module>& modules);

}  // namespace policyd

#endif  // POLICYD_SERVICE_CLI_COVERAGE_H_
