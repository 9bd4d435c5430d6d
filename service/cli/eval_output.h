// Printing a query's results and errors the way `opa eval` does.
//
// JSON format (`--format json`, OPA's exact shape, two-space indentation):
//   {"result": [{"expressions": [{"value": V, "text": "data.x",
//                 "location": {"row": 1, "col": 1}}],
//                "bindings": {"x": V}}]}
// with "bindings" left out when empty and `{}` for an undefined query, and
//   {"errors": [{"message": M, "code": C, "location": {"file": F, "row": R,
//                "col": C}}]}
// for errors. Pretty format: the value alone for a single expression without
// bindings, a table of the bindings otherwise, "undefined" when there are no
// results.
#ifndef POLICYD_SERVICE_CLI_EVAL_OUTPUT_H_
#define POLICYD_SERVICE_CLI_EVAL_OUTPUT_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "engine/engine.h"
#include "engine/value/value.h"

namespace policyd {

// An expression of the query, as OPA echoes it next to its value.
struct QueryExpression {
  std::string text;
  int row = 1;
  int col = 1;
};

std::string FormatResultJson(const ResultSet& results,
                             const std::vector<QueryExpression>& expressions);
std::string FormatResultPretty(const ResultSet& results,
                               const std::vector<QueryExpression>& expressions);

// `status` holds one error per line, each `FILE:ROW[:COL]: CODE: MESSAGE` (or
// without the location, or free text).
std::string FormatErrorsJson(const absl::Status& status);
std::string FormatErrorsPretty(const absl::Status& status);

// `value` as JSON indented by two spaces per level, the way Go's
// json.MarshalIndent prints it: sets become arrays, object keys are strings
// (non-string keys as their JSON text) in byte order. Lines after the first
// are indented by `depth` levels.
void AppendIndentedJson(const Value& value, int depth, std::string* out);

// A newline and `depth` levels of two-space indentation.
void AppendJsonNewline(int depth, std::string* out);

// Writes a JSON object key by key in the caller's order (Go's struct field
// order), indented as AppendIndentedJson does at `depth`.
class JsonObjectWriter {
 public:
  JsonObjectWriter(int depth, std::string* out);
  // Writes `"key": ` and returns the output for the value.
  std::string* Key(std::string_view key);
  void Close();

 private:
  int depth_;
  std::string* out_;
  bool first_ = true;
};

// The first error of `status` as OPA's error object
// {"message": M, "code": C, "location": {"file": F, "row": R, "col": C}}.
void AppendErrorJson(const absl::Status& status, int depth, std::string* out);

}  // namespace policyd

#endif  // POLICYD_SERVICE_CLI_EVAL_OUTPUT_H_
