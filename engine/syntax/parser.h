// Rego source text to syntax trees. Errors are absl::InvalidArgumentError
// whose message reads `FILE:LINE:COL: rego_parse_error: WHAT` (OPA's words
// where known, e.g. "unexpected identifier token", "var cannot be used for
// rule name"), one error per line when there are several.
#ifndef POLICYD_ENGINE_SYNTAX_PARSER_H_
#define POLICYD_ENGINE_SYNTAX_PARSER_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "engine/syntax/ast.h"
#include "engine/value/value.h"

namespace policyd::ast {

// A whole module. `version` is the syntax to parse; a v0 module that imports
// `rego.v1` or `future.keywords[.x]` accepts those keywords.
absl::StatusOr<Module> ParseModule(std::string_view filename,
                                   std::string_view text,
                                   RegoVersion version = RegoVersion::kV1);

// A query: one or more expressions separated by `;` or newlines
// (`data.x.p = y; y > 1`), with v1 keywords enabled.
absl::StatusOr<Body> ParseQuery(std::string_view text);

// A ground term (`input_term`): scalars, arrays, sets, objects with any keys.
absl::StatusOr<Value> ParseValue(std::string_view text);

}  // namespace policyd::ast

#endif  // POLICYD_ENGINE_SYNTAX_PARSER_H_
