#include "service/cli/eval_command.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "engine/engine.h"
#include "engine/syntax/parser.h"
#include "service/cli/eval_output.h"
#include "service/cli/flag_args.h"
#include "service/cli/policy_loader.h"

namespace policyd {
namespace {

constexpr std::string_view kUsage =
    "Usage: policyd eval [-d FILE_OR_DIR]... [-i INPUT] [--v0-compatible]\n"
    "                    [--format json|pretty] QUERY\n"
    "\n"
    "Evaluates QUERY (e.g. data.rbac.allow) and prints its results.\n"
    "\n"
    "  -d, --data PATH     a .rego file, a JSON/YAML data file (merged at the\n"
    "                      root of data), or a directory: its .rego files and\n"
    "                      its data.json/data.yaml files, placed in data at\n"
    "                      their folder path; may repeat\n"
    "  -i, --input FILE    the input document (JSON, or YAML by extension)\n"
    "  --v0-compatible     parse modules as Rego v0\n"
    "  -f, --format FMT    json (default, as `opa eval`) or pretty\n";

struct EvalArgs {
  std::vector<std::string> data_paths;
  std::optional<std::string> input_path;
  bool v0 = false;
  bool pretty = false;
  std::string query;
};

absl::StatusOr<EvalArgs> ParseArgs(const std::vector<std::string>& args) {
  EvalArgs parsed;
  std::vector<std::string> positional;
  std::string format = "json";
  for (size_t i = 0; i < args.size(); ++i) {
    std::string value;
    if (TakeFlagValue(args, &i, "-d", "--data", &value)) {
      parsed.data_paths.push_back(value);
    } else if (TakeFlagValue(args, &i, "-i", "--input", &value)) {
      parsed.input_path = value;
    } else if (TakeFlagValue(args, &i, "-f", "--format", &value)) {
      format = value;
    } else if (args[i] == "--v0-compatible") {
      parsed.v0 = true;
    } else if (absl::StartsWith(args[i], "-") && args[i] != "-") {
      return absl::InvalidArgumentError("unknown or incomplete flag " + args[i]);
    } else {
      positional.push_back(args[i]);
    }
  }
  if (format != "json" && format != "pretty") {
    return absl::InvalidArgumentError("unknown format \"" + format +
                                      "\" (use json or pretty)");
  }
  parsed.pretty = format == "pretty";
  if (positional.size() != 1) {
    return absl::InvalidArgumentError("expected exactly one QUERY argument");
  }
  parsed.query = positional.front();
  return parsed;
}

// The text and position of each top-level expression of `query`, which OPA
// prints next to its value.
std::vector<QueryExpression> DescribeQuery(const std::string& query,
                                           const PreparedQuery& prepared) {
  std::vector<QueryExpression> exprs;
  for (const std::string& text : prepared.expression_texts()) {
    exprs.push_back({text, 1, 1});
  }
  absl::StatusOr<ast::Body> body = ast::ParseQuery(query);
  if (body.ok() && body->size() == exprs.size()) {
    for (size_t i = 0; i < exprs.size(); ++i) {
      exprs[i].row = (*body)[i].loc.line;
      exprs[i].col = (*body)[i].loc.col;
    }
  }
  return exprs;
}

int Fail(const absl::Status& status, bool pretty, std::ostream& out) {
  out << (pretty ? FormatErrorsPretty(status) : FormatErrorsJson(status));
  return 1;
}

int RunEval(const std::vector<std::string>& args, std::ostream& out,
            std::ostream& err) {
  if (WantsHelp(args)) {
    out << kUsage;
    return 0;
  }
  absl::StatusOr<EvalArgs> parsed = ParseArgs(args);
  if (!parsed.ok()) {
    err << "policyd eval: " << parsed.status().message() << "\n\n" << kUsage;
    return 2;
  }
  absl::StatusOr<LoadedPolicies> loaded = LoadPolicyPaths(
      parsed->data_paths,
      parsed->v0 ? ast::RegoVersion::kV0 : ast::RegoVersion::kV1);
  if (!loaded.ok()) return Fail(loaded.status(), parsed->pretty, out);

  std::optional<Value> input;
  if (parsed->input_path) {
    absl::StatusOr<Value> doc = LoadDocumentFile(*parsed->input_path);
    if (!doc.ok()) return Fail(doc.status(), parsed->pretty, out);
    input = *std::move(doc);
  }

  absl::StatusOr<std::shared_ptr<const Engine>> engine =
      Engine::Compile(loaded->modules, loaded->data);
  if (!engine.ok()) return Fail(engine.status(), parsed->pretty, out);
  absl::StatusOr<PreparedQuery> query = (*engine)->Prepare(parsed->query);
  if (!query.ok()) return Fail(query.status(), parsed->pretty, out);

  EvalOptions options;
  if (input) options.input = &*input;
  ResultSet results = query->Eval(options);
  if (!results.error.ok()) return Fail(results.error, parsed->pretty, out);

  std::vector<QueryExpression> exprs = DescribeQuery(parsed->query, *query);
  out << (parsed->pretty ? FormatResultPretty(results, exprs)
                         : FormatResultJson(results, exprs));
  return 0;
}

}  // namespace

Command EvalCommand() {
  return {"eval", "Evaluate a Rego query over policies, data and input files",
          RunEval};
}

}  // namespace policyd
