#include "service/cli/test_runner.h"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "engine/syntax/parser.h"
#include "re2/re2.h"

namespace policyd {
namespace {

constexpr std::string_view kTestPrefix = "test_";
constexpr std::string_view kSkipPrefix = "todo_test_";

bool IsIdentifier(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

// The parts of a ref of constant keys (`data.a.b`, a rule head `a.test_x`);
// nullopt when a part is not a name or a string.
std::optional<std::vector<std::string>> RefParts(const ast::Term& term) {
  std::vector<std::string> parts;
  auto add = [&](const ast::Term& t) {
    if (t.kind == ast::TermKind::kVar) {
      parts.push_back(t.name);
    } else if (t.kind == ast::TermKind::kScalar && t.value.is_string()) {
      parts.emplace_back(t.value.string());
    } else {
      return false;
    }
    return true;
  };
  if (term.kind != ast::TermKind::kRef) {
    if (!add(term)) return std::nullopt;
    return parts;
  }
  for (const ast::TermPtr& item : term.items) {
    if (!add(*item)) return std::nullopt;
  }
  return parts;
}

// `a.b["c-d"]`, as OPA prints a ref.
std::string RefText(const std::vector<std::string>& parts) {
  std::string text;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i == 0) {
      text = parts[i];
    } else if (IsIdentifier(parts[i])) {
      absl::StrAppend(&text, ".", parts[i]);
    } else {
      absl::StrAppend(&text, "[", Value::String(parts[i]).ToJson(), "]");
    }
  }
  return text;
}

// Renames the last part of a rule head's ref.
void RenameHead(ast::Rule& rule, const std::string& name) {
  ast::Term& ref = *rule.head.ref;
  ast::Term& last = ref.kind == ast::TermKind::kRef ? *ref.items.back() : ref;
  // The ref is shared with nothing else once copied: the parser made it.
  if (last.kind == ast::TermKind::kVar) {
    last.name = name;
  } else {
    last.value = Value::String(name);
  }
}

struct FoundTest {
  size_t module = 0;
  const ast::Rule* rule = nullptr;
  std::string package;  // "data.pkg"
  std::string name;     // "test_x#01"
  std::string query;    // "data.pkg[\"test_x#01\"]"
  bool skip = false;
};

// Finds the tests of `modules` (sorted by file name) and gives duplicates
// OPA's numbered names, in the modules themselves so that each is compiled
// as a rule of its own.
std::vector<FoundTest> FindTests(std::vector<ast::Module>& modules) {
  std::vector<FoundTest> tests;
  std::map<std::string, int> seen;
  for (size_t m = 0; m < modules.size(); ++m) {
    ast::Module& module = modules[m];
    std::optional<std::vector<std::string>> package = RefParts(*module.package);
    if (!package) continue;
    for (ast::Rule& rule : module.rules) {
      if (rule.head.has_args || !rule.head.args.empty() || rule.head.key) continue;
      std::optional<std::vector<std::string>> head = RefParts(*rule.head.ref);
      if (!head) continue;
      const std::string& last = head->back();
      bool skip = last.starts_with(kSkipPrefix);
      if (!skip && !last.starts_with(kTestPrefix)) continue;
      std::vector<std::string> full = *package;
      full.insert(full.end(), head->begin(), head->end());
      if (!skip) {
        int& count = seen[RefText(full)];
        if (count > 0) {
          std::string renamed = absl::StrFormat("%s#%02d", last, count);
          RenameHead(rule, renamed);
          head->back() = renamed;
          full.back() = renamed;
        }
        ++count;
      }
      tests.push_back({m, &rule, RefText(*package), RefText(*head),
                       RefText(full), skip});
    }
  }
  return tests;
}

TestResult RunOne(const Engine& engine, const FoundTest& test,
                  const ast::Module& module, const TestOptions& options) {
  TestResult result;
  result.file = module.filename;
  result.location = test.rule->loc;
  result.package = test.package;
  result.name = test.name;
  if (test.skip) {
    result.outcome = TestResult::Outcome::kSkip;
    return result;
  }
  absl::Time start = absl::Now();
  absl::StatusOr<PreparedQuery> query = engine.Prepare(test.query);
  if (!query.ok()) {
    result.outcome = TestResult::Outcome::kError;
    result.error = query.status();
    return result;
  }
  EvalOptions eval;
  eval.deadline = start + options.timeout;
  eval.tracer = options.tracer;
  eval.print = [&](std::string_view line) {
    result.output.append(line);
    result.output.push_back('\n');
  };
  ResultSet rows = query->Eval(eval);
  result.duration = absl::Now() - start;
  if (!rows.error.ok()) {
    result.outcome = TestResult::Outcome::kError;
    result.error = rows.error;
  } else if (rows.rows.empty() || rows.rows[0].expressions.empty() ||
             rows.rows[0].expressions[0] != Value::Bool(true)) {
    result.outcome = TestResult::Outcome::kFail;
  }
  return result;
}

}  // namespace

absl::StatusOr<TestRun> RunTests(const std::vector<SourceModule>& modules,
                                 const Value& data,
                                 const TestOptions& options) {
  std::optional<RE2> filter;
  if (!options.run_regex.empty()) {
    filter.emplace(options.run_regex, RE2::Quiet);
    if (!filter->ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--run: invalid regular expression: ", filter->error()));
    }
  }
  std::vector<const SourceModule*> sorted;
  for (const SourceModule& module : modules) sorted.push_back(&module);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const SourceModule* a, const SourceModule* b) {
                     return a->filename < b->filename;
                   });
  TestRun run;
  std::string errors;
  for (const SourceModule* source : sorted) {
    absl::StatusOr<ast::Module> module =
        ast::ParseModule(source->filename, source->text, source->version);
    if (!module.ok()) {
      absl::StrAppend(&errors, errors.empty() ? "" : "\n",
                      module.status().message());
      continue;
    }
    run.modules.push_back(*std::move(module));
  }
  if (!errors.empty()) return absl::InvalidArgumentError(errors);

  std::vector<FoundTest> tests = FindTests(run.modules);
  absl::StatusOr<std::shared_ptr<const Engine>> engine =
      Engine::CompileParsed(run.modules, data);
  if (!engine.ok()) return engine.status();
  for (const FoundTest& test : tests) {
    if (filter && !RE2::PartialMatch(test.query, *filter)) continue;
    run.results.push_back(
        RunOne(**engine, test, run.modules[test.module], options));
  }
  return run;
}

}  // namespace policyd
