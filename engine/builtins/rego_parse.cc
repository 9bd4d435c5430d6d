// rego.parse_module(filename, text): the module's syntax tree in OPA's JSON
// form, for policies that inspect policies (linters, meta-policies):
//
//   {"package": {"path": [TERM...]}, "imports": [{"path": TERM}],
//    "rules": [{"head": {...}, "body": [EXPR...]}]}
//
// A term is {"type": T, "value": V}: var, string, number, boolean, null, ref,
// array, set, object (V a list of [key, value] pairs), call, and the
// comprehensions (V {"term"|"key"/"value", "body"}). An expression is
// {"index": I, "terms": ...}: a call or an operator as [OPERATOR, ARG...]
// (`=` is eq, `:=` assign), any other term alone, `some` as {"symbols": ...};
// "negated" and "with" appear when used. Source locations are left out, as
// OPA leaves them out by default; so are comments, which OPA lists under
// "comments" (base64 text with locations). Wildcards are numbered $0, $1, ... in
// order. Collections keep the order of the source (OPA sorts set elements
// and object keys with its term order, which differs only for non-literal
// members).
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/builtins/args.h"
#include "engine/builtins/builtin.h"
#include "engine/syntax/ast.h"
#include "engine/syntax/parser.h"
#include "engine/value/value.h"

namespace policyd {
namespace {

using Args = absl::Span<const Value>;

constexpr std::string_view kName = "rego.parse_module";

Value Str(std::string_view s) { return Value::String(s); }

// `s` split at each `sep` (std::string_view: Debian's abseil has its own).
std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  for (size_t start = 0;;) {
    size_t end = s.find(sep, start);
    out.push_back(s.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

Value Obj(std::vector<ObjectEntry> entries) { return Value::Object(std::move(entries)); }

class AstJson {
 public:
  Value Module(const ast::Module& m) {
    std::vector<ObjectEntry> out = {{Str("package"), Obj({{Str("path"), Items(*m.package)}})}};
    if (!m.imports.empty()) {
      std::vector<Value> imports;
      for (const ast::Import& imp : m.imports) {
        std::vector<ObjectEntry> e = {{Str("path"), Term(*imp.path)}};
        if (!imp.alias.empty()) e.emplace_back(Str("alias"), Str(imp.alias));
        imports.push_back(Obj(std::move(e)));
      }
      out.emplace_back(Str("imports"), Value::Array(std::move(imports)));
    }
    if (!m.rules.empty()) {
      std::vector<Value> rules;
      for (const ast::Rule& r : m.rules) rules.push_back(Rule(r));
      out.emplace_back(Str("rules"), Value::Array(std::move(rules)));
    }
    return Obj(std::move(out));
  }

 private:
  static Value Typed(std::string_view type, Value value) {
    return Obj({{Str("type"), Str(type)}, {Str("value"), std::move(value)}});
  }

  // An operator as OPA writes it: a ref of one var (`eq`, `plus`, ...).
  static Value Operator(std::string_view name) {
    std::vector<Value> parts;
    for (std::string_view part : Split(name, '.')) {
      parts.push_back(parts.empty() ? Typed("var", Str(part)) : Typed("string", Str(part)));
    }
    return Typed("ref", Value::Array(std::move(parts)));
  }

  Value Items(const ast::Term& t) {
    std::vector<Value> out;
    for (const ast::TermPtr& item : t.items) out.push_back(Term(*item));
    return Value::Array(std::move(out));
  }

  Value Term(const ast::Term& t) {
    switch (t.kind) {
      case ast::TermKind::kScalar:
        switch (t.value.kind()) {
          case Kind::kNull: return Typed("null", Value());
          case Kind::kBoolean: return Typed("boolean", t.value);
          case Kind::kNumber: return Typed("number", t.value);
          default: return Typed("string", t.value);
        }
      case ast::TermKind::kVar:
        if (t.name == "_") return Typed("var", Str(Concat("$", wildcards_++)));
        return Typed("var", Str(t.name));
      case ast::TermKind::kRef: return Typed("ref", Items(t));
      case ast::TermKind::kArray: return Typed("array", Items(t));
      case ast::TermKind::kSet: return Typed("set", Items(t));
      case ast::TermKind::kCall: return Typed("call", Items(t));
      case ast::TermKind::kTemplate: return Typed("templatestring", Items(t));
      case ast::TermKind::kObject: {
        std::vector<Value> pairs;
        for (const auto& [k, v] : t.pairs) pairs.push_back(Value::Array({Term(*k), Term(*v)}));
        return Typed("object", Value::Array(std::move(pairs)));
      }
      case ast::TermKind::kArrayCompr:
        return Typed("arraycomprehension",
                     Obj({{Str("term"), Term(*t.head)}, {Str("body"), Body(*t.body)}}));
      case ast::TermKind::kSetCompr:
        return Typed("setcomprehension",
                     Obj({{Str("term"), Term(*t.head)}, {Str("body"), Body(*t.body)}}));
      case ast::TermKind::kObjectCompr:
        return Typed("objectcomprehension", Obj({{Str("key"), Term(*t.key)},
                                                 {Str("value"), Term(*t.head)},
                                                 {Str("body"), Body(*t.body)}}));
    }
    return Value();
  }

  Value Call(std::string_view op, std::vector<Value> args) {
    args.insert(args.begin(), Operator(op));
    return Value::Array(std::move(args));
  }

  // What an expression's "terms" holds.
  Value ExprTerms(const ast::Expr& e) {
    switch (e.kind) {
      case ast::ExprKind::kTerm:
        if (e.term->kind == ast::TermKind::kCall) return Items(*e.term);
        return Term(*e.term);
      case ast::ExprKind::kUnify: return Call("eq", {Term(*e.lhs), Term(*e.rhs)});
      case ast::ExprKind::kAssign: return Call("assign", {Term(*e.lhs), Term(*e.rhs)});
      case ast::ExprKind::kSome: {
        std::vector<Value> symbols;
        for (const ast::TermPtr& v : e.vars) symbols.push_back(Term(*v));
        return Obj({{Str("symbols"), Value::Array(std::move(symbols))}});
      }
      case ast::ExprKind::kSomeIn: {
        std::vector<Value> args;
        if (e.key) args.push_back(Term(*e.key));
        args.push_back(Term(*e.value));
        args.push_back(Term(*e.collection));
        std::string_view member = e.key ? "internal.member_3" : "internal.member_2";
        return Obj({{Str("symbols"), Value::Array({Typed("call", Call(member, std::move(args)))})}});
      }
      case ast::ExprKind::kEvery: {
        std::vector<ObjectEntry> every;
        every.emplace_back(Str("key"), e.key ? Term(*e.key) : Value());  // null when absent
        every.emplace_back(Str("value"), Term(*e.value));
        every.emplace_back(Str("domain"), Term(*e.collection));
        every.emplace_back(Str("body"), Body(*e.body));
        return Obj(std::move(every));
      }
    }
    return Value();
  }

  Value Body(const ast::Body& body) {
    if (body.empty()) {  // a rule without a body holds `true`
      return Value::Array(
          {Obj({{Str("index"), Value::Int(0)}, {Str("terms"), Typed("boolean", Value::Bool(true))}})});
    }
    std::vector<Value> out;
    for (size_t i = 0; i < body.size(); ++i) {
      const ast::Expr& e = body[i];
      std::vector<ObjectEntry> expr = {{Str("index"), Value::Int(static_cast<int64_t>(i))},
                                       {Str("terms"), ExprTerms(e)}};
      if (e.negated) expr.emplace_back(Str("negated"), Value::Bool(true));
      if (!e.withs.empty()) {
        std::vector<Value> withs;
        for (const ast::With& w : e.withs) {
          withs.push_back(Obj({{Str("target"), Term(*w.target)}, {Str("value"), Term(*w.value)}}));
        }
        expr.emplace_back(Str("with"), Value::Array(std::move(withs)));
      }
      out.push_back(Obj(std::move(expr)));
    }
    return Value::Array(std::move(out));
  }

  Value Head(const ast::RuleHead& h) {
    std::vector<ObjectEntry> out;
    const ast::Term& ref = *h.ref;
    if (ref.items.size() == 1 && ref.items[0]->kind == ast::TermKind::kVar) {
      out.emplace_back(Str("name"), Str(ref.items[0]->name));
    }
    out.emplace_back(Str("ref"), Items(ref));
    if (!h.args.empty()) {
      std::vector<Value> args;
      for (const ast::TermPtr& a : h.args) args.push_back(Term(*a));
      out.emplace_back(Str("args"), Value::Array(std::move(args)));
    }
    if (h.key) out.emplace_back(Str("key"), Term(*h.key));
    if (h.value) {
      out.emplace_back(Str("value"), Term(*h.value));
    } else if (!h.key) {
      out.emplace_back(Str("value"), Typed("boolean", Value::Bool(true)));
    }
    if (h.assign) out.emplace_back(Str("assign"), Value::Bool(true));
    return Obj(std::move(out));
  }

  Value Rule(const ast::Rule& r) {
    std::vector<ObjectEntry> out = {{Str("head"), Head(r.head)}, {Str("body"), Body(r.body)}};
    if (r.is_default) out.emplace_back(Str("default"), Value::Bool(true));
    if (r.else_rule) out.emplace_back(Str("else"), Rule(*r.else_rule));
    return Obj(std::move(out));
  }

  int64_t wildcards_ = 0;
};

// Our parser's "FILE:LINE:COL: code: message" lines in OPA's form for a
// list of errors: "1 error occurred: FILE:LINE: code: message".
std::string OpaErrors(std::string_view message) {
  std::vector<std::string> lines;
  for (std::string_view line : Split(message, '\n')) {
    // Drop the column: the number after the line number.
    size_t line_end = line.find(':', line.find(':') + 1);
    size_t col_end = line_end == std::string_view::npos ? line_end : line.find(':', line_end + 1);
    if (col_end == std::string_view::npos) {
      lines.emplace_back(line);
    } else {
      lines.push_back(Concat(line.substr(0, line_end), line.substr(col_end)));
    }
  }
  if (lines.size() == 1) return Concat("1 error occurred: ", lines[0]);
  std::string out = Concat(static_cast<int64_t>(lines.size()), " errors occurred:");
  for (const std::string& l : lines) out.append(Concat("\n", l));
  return out;
}

BuiltinResult ParseModule(BuiltinContext&, Args args) {
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 1, args[0], Kind::kString));
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 2, args[1], Kind::kString));
  absl::StatusOr<ast::Module> module = ast::ParseModule(args[0].string(), args[1].string());
  if (!module.ok()) return BuiltinError(kName, OpaErrors(MessageOf(module.status())));
  return ValueResult(AstJson().Module(*module));
}

}  // namespace

void RegisterRegoParseBuiltins(BuiltinRegistry& registry) {
  registry.Add({.name = "rego.parse_module", .arity = 2, .fn = ParseModule});
}

}  // namespace policyd
