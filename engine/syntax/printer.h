// Syntax trees back to Rego-like text, for messages and tests. Operators
// print as the calls they are (`plus(x, 1)`), as OPA prints them.
#ifndef POLICYD_ENGINE_SYNTAX_PRINTER_H_
#define POLICYD_ENGINE_SYNTAX_PRINTER_H_

#include <string>

#include "engine/syntax/ast.h"

namespace policyd::ast {

std::string TermString(const Term& term);
std::string ExprString(const Expr& expr);
// Expressions joined by "; ".
std::string BodyString(const Body& body);
// `default `, the head (`p[x] := v`, `p contains x`, `f(a) = v`) and
// ` if { body }` when there is a body; else rules follow as ` else ...`.
std::string RuleString(const Rule& rule);

}  // namespace policyd::ast

#endif  // POLICYD_ENGINE_SYNTAX_PRINTER_H_
