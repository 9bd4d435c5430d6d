// The Rego syntax tree, as the parser produces it and the compiler consumes
// it. It stays close to the source: names are unresolved, bodies unordered,
// and both Rego v0 and v1 syntax map onto the same nodes.
#ifndef POLICYD_ENGINE_SYNTAX_AST_H_
#define POLICYD_ENGINE_SYNTAX_AST_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/value/value.h"

namespace policyd::ast {

enum class RegoVersion { kV0, kV1 };

struct Location {
  int line = 0;  // 1-based
  int col = 0;   // 1-based, in bytes
};

struct Term;
struct Expr;
using TermPtr = std::shared_ptr<Term>;
using Body = std::vector<Expr>;

enum class TermKind {
  kScalar,        // null, boolean, number or string literal: `value`
  kVar,           // `name`; the wildcard `_` is kept as "_" (each one distinct)
  kRef,           // `items`: head term (Var, or any term such as a call or
                  // array literal) followed by the path; `a.b[c]["d"]` is
                  // [Var a, Scalar "b", Var c, Scalar "d"]
  kArray,         // `items`
  kSet,           // `items` (`set()` is an empty set)
  kObject,        // `pairs`
  kArrayCompr,    // [head | body]
  kSetCompr,      // {head | body}
  kObjectCompr,   // {key: head | body}
  kCall,          // `items[0]` is the operator as a Ref (`f`, `a.b.f`,
                  // `plus` for `+`), `items[1..]` the arguments
  kTemplate,      // $"..." / $`...`: `items` alternates literal pieces
                  // (Scalar strings) and embedded expression terms, in order
};

struct Term {
  TermKind kind = TermKind::kScalar;
  Location loc;
  Value value;                                   // kScalar
  std::string name;                              // kVar
  std::vector<TermPtr> items;                    // kRef, kArray, kSet, kCall,
                                                 // kTemplate
  std::vector<std::pair<TermPtr, TermPtr>> pairs;  // kObject
  TermPtr key;                                   // kObjectCompr
  TermPtr head;                                  // comprehensions
  std::shared_ptr<Body> body;                    // comprehensions
};

// `with target as value`. `target` is a Ref (input..., data..., or a function
// or builtin name).
struct With {
  Location loc;
  TermPtr target;
  TermPtr value;
};

enum class ExprKind {
  kTerm,    // a term used as a condition (usually a call): `term`
  kUnify,   // lhs = rhs
  kAssign,  // lhs := rhs (declares the vars of lhs)
  kSome,    // `some a, b` declaration: `vars` (Var terms)
  kSomeIn,  // `some [key,] value in collection`: `key` (may be null),
            // `value`, `collection`
  kEvery,   // `every [key,] value in collection { body }`
};

// Operators map to calls of these builtin names: `==` equal, `!=` neq,
// `<` lt, `<=` lte, `>` gt, `>=` gte, `+` plus, `-` minus, `*` mul,
// `/` div, `%` rem, `&` and, `|` or; a bare `x in xs` is a call of
// `internal.member_2`, `k, v in xs` of `internal.member_3`; unary minus on a
// non-literal is `minus(0, x)`.
struct Expr {
  ExprKind kind = ExprKind::kTerm;
  Location loc;
  bool negated = false;  // `not ...`
  TermPtr term;          // kTerm
  TermPtr lhs, rhs;      // kUnify, kAssign
  std::vector<TermPtr> vars;  // kSome
  TermPtr key, value, collection;  // kSomeIn, kEvery (key may be null)
  std::shared_ptr<Body> body;      // kEvery
  std::vector<With> withs;
};

// A rule head. The name is a ref: `p` is [Var p]; `a.b.c` is
// [Var a, "b", "c"]; `p[x]` is [Var p, Var x].
//  - complete:        `p := v`, `p = v`, `p if {...}` (value true),
//                     `a.b.c := v`
//  - partial set:     `p contains x` (key = x, value null); v0 `p[x] { }`
//  - partial object / ref with variable parts: `p[k] := v`, `a.b[k].c := v`
//  - function:        `f(a, b) := v` (args non-empty or `has_args`)
struct RuleHead {
  Location loc;
  TermPtr ref;
  std::vector<TermPtr> args;
  bool has_args = false;   // `f()` with no arguments is still a function
  TermPtr key;             // `contains` member (partial set); else null
  TermPtr value;           // null when the head gives no value (true)
  bool assign = false;     // `:=` rather than `=`
};

struct Rule {
  Location loc;
  bool is_default = false;
  RuleHead head;
  Body body;                       // empty for `p := 1`
  std::shared_ptr<Rule> else_rule; // `else [= v] { ... }` chain
  // The source text of the rule, for messages.
  std::string text;
};

struct Import {
  Location loc;
  TermPtr path;       // Ref: data.x.y, input.a, future.keywords.in, rego.v1
  std::string alias;  // `as alias`, empty when none
};

// A `#` comment: where its `#` is, and the text after the `#`.
struct Comment {
  Location loc;
  std::string text;
};

struct Module {
  std::string filename;
  RegoVersion version = RegoVersion::kV1;
  Location package_loc;
  TermPtr package;  // Ref starting with Var "data": `package a.b` -> data.a.b
  std::vector<Import> imports;
  std::vector<Rule> rules;
  std::vector<Comment> comments;  // in source order (METADATA annotations)
};

}  // namespace policyd::ast

#endif  // POLICYD_ENGINE_SYNTAX_AST_H_
