// A subset of Go's text/template, for strings.render_template. Supported:
// text; {{pipeline}}; {{- and -}} trimming; {{/* comments */}}; if / else if /
// else / end; range (over arrays, sets and objects, with `$v :=` or
// `$i, $v :=`, and else); with; variables ($x := ..., $x = ..., $); field
// chains (.a.b, $x.a); string, number, bool and nil literals; parentheses;
// `|` pipes; the functions and, or, not, len, index, eq, ne, lt, le, gt, ge,
// print. Values print as Go prints the JSON-decoded data OPA hands to
// text/template: objects as map[k:v], arrays as [a b], null as <nil>, and a
// missing key as <undefined> (OPA's replacement for Go's <no value>).
#ifndef POLICYD_ENGINE_BUILTINS_GO_TEMPLATE_H_
#define POLICYD_ENGINE_BUILTINS_GO_TEMPLATE_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "engine/value/value.h"

namespace policyd {

// Renders `templ` with `data` as dot. Errors (parse or execution) carry a
// message in the style of Go's: "template: template:1: unexpected EOF".
absl::StatusOr<std::string> RenderGoTemplate(std::string_view templ,
                                             const Value& data);

}  // namespace policyd

#endif  // POLICYD_ENGINE_BUILTINS_GO_TEMPLATE_H_
