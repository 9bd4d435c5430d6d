#include "service/cli/coverage.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "service/cli/eval_output.h"

namespace policyd {
namespace {

struct LineRange {
  int start = 0;
  int end = 0;
};

std::vector<LineRange> Ranges(const std::set<int>& lines) {
  std::vector<LineRange> ranges;
  for (int line : lines) {
    if (!ranges.empty() && ranges.back().end + 1 == line) {
      ranges.back().end = line;
    } else {
      ranges.push_back({line, line});
    }
  }
  return ranges;
}

int LineCount(const std::vector<LineRange>& ranges) {
  int n = 0;
  for (const LineRange& r : ranges) n += r.end - r.start + 1;
  return n;
}

// OPA rounds with math.Round(x*10*precision)/(10*precision), precision 2.
double Round(double x) { return std::round(x * 20) / 20; }

class NotCoveredWalker {
 public:
  NotCoveredWalker(const std::set<int>* covered, std::set<int>* out)
      : covered_(covered), out_(out) {}

  void Rule(const ast::Rule& rule) {
    if (!IsCovered(rule.loc.line)) out_->insert(rule.head.loc.line);
    Terms(rule.head.ref);
    for (const ast::TermPtr& arg : rule.head.args) Terms(arg);
    Terms(rule.head.key);
    Terms(rule.head.value);
    Body(rule.body);
    if (rule.else_rule) Rule(*rule.else_rule);
  }

 private:
  bool IsCovered(int line) const {
    return covered_ != nullptr && covered_->count(line) > 0;
  }

  void Body(const ast::Body& body) {
    for (const ast::Expr& expr : body) Expr(expr);
  }

  void Expr(const ast::Expr& expr) {
    bool declaration = expr.kind == ast::ExprKind::kSome ||
                       expr.kind == ast::ExprKind::kSomeIn;
    if (!declaration && !IsCovered(expr.loc.line)) out_->insert(expr.loc.line);
    for (const ast::TermPtr& t :
         {expr.term, expr.lhs, expr.rhs, expr.key, expr.value, expr.collection}) {
      Terms(t);
    }
    if (expr.body) Body(*expr.body);
    for (const ast::With& with : expr.withs) Terms(with.value);
  }

  // Expressions inside comprehensions.
  void Terms(const ast::TermPtr& term) {
    if (term == nullptr) return;
    for (const ast::TermPtr& item : term->items) Terms(item);
    for (const auto& [key, value] : term->pairs) {
      Terms(key);
      Terms(value);
    }
    Terms(term->key);
    Terms(term->head);
    if (term->body) Body(*term->body);
  }

  const std::set<int>* covered_;
  std::set<int>* out_;
};

void AppendRanges(const std::vector<LineRange>& ranges, int depth,
                  std::string* out) {
  out->push_back('[');
  for (size_t i = 0; i < ranges.size(); ++i) {
    if (i > 0) out->push_back(',');
    AppendJsonNewline(depth + 1, out);
    JsonObjectWriter range(depth + 1, out);
    JsonObjectWriter start(depth + 2, range.Key("start"));
    absl::StrAppend(start.Key("row"), ranges[i].start);
    start.Close();
    JsonObjectWriter end(depth + 2, range.Key("end"));
    absl::StrAppend(end.Key("row"), ranges[i].end);
    end.Close();
    range.Close();
  }
  AppendJsonNewline(depth, out);
  out->push_back(']');
}

}  // namespace

void CoverageTracer::Hit(std::string_view file, int line) {
  if (file.empty() || line <= 0) return;
  auto it = hits_.find(file);
  if (it == hits_.end()) it = hits_.emplace(std::string(file), std::set<int>()).first;
  it->second.insert(line);
}

void CoverageTracer::EvalExpr(std::string_view file, const ast::Location& loc) {
  Hit(file, loc.line);
}

void CoverageTracer::ExitRule(std::string_view file, const ast::Location& loc) {
  Hit(file, loc.line);
}

std::string CoverageReportJson(const CoverageTracer& tracer,
                               const std::vector<ast::Module>& modules) {
  struct FileLines {
    std::vector<LineRange> covered, not_covered;
  };
  std::map<std::string, FileLines> files;
  for (const auto& [file, lines] : tracer.hits()) {
    files[file].covered = Ranges(lines);
  }
  for (const ast::Module& module : modules) {
    auto hits = tracer.hits().find(module.filename);
    const std::set<int>* covered =
        hits == tracer.hits().end() ? nullptr : &hits->second;
    std::set<int> not_covered;
    NotCoveredWalker walker(covered, &not_covered);
    for (const ast::Rule& rule : module.rules) walker.Rule(rule);
    files[module.filename].not_covered = Ranges(not_covered);
  }

  int total_covered = 0, total_not_covered = 0;
  std::string out;
  JsonObjectWriter top(0, &out);
  JsonObjectWriter by_file(1, top.Key("files"));
  for (const auto& [file, lines] : files) {
    int covered = LineCount(lines.covered);
    int not_covered = LineCount(lines.not_covered);
    total_covered += covered;
    total_not_covered += not_covered;
    // Go's omitempty leaves out empty lists and zero counts.
    JsonObjectWriter report(2, by_file.Key(file));
    if (!lines.covered.empty()) AppendRanges(lines.covered, 3, report.Key("covered"));
    if (!lines.not_covered.empty()) {
      AppendRanges(lines.not_covered, 3, report.Key("not_covered"));
    }
    if (covered > 0) absl::StrAppend(report.Key("covered_lines"), covered);
    if (not_covered > 0) absl::StrAppend(report.Key("not_covered_lines"), not_covered);
    if (covered > 0) {
      absl::StrAppend(report.Key("coverage"),
                      Round(100.0 * covered / (covered + not_covered)));
    }
    report.Close();
  }
  by_file.Close();
  int total = total_covered + total_not_covered;
  absl::StrAppend(top.Key("covered_lines"), total_covered);
  absl::StrAppend(top.Key("not_covered_lines"), total_not_covered);
  absl::StrAppend(top.Key("coverage"),
                  total == 0 ? 0.0 : Round(100.0 * total_covered / total));
  top.Close();
  out.push_back('\n');
  return out;
}

}  // namespace policyd
