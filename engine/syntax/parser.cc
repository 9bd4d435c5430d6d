#include "engine/syntax/parser.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/errors.h"
#include "engine/syntax/lexer.h"

namespace policyd::ast {
namespace {

// Deeper nesting than this is refused rather than risking the stack.
constexpr int kMaxDepth = 256;
// OPA stops after this many errors too.
constexpr size_t kMaxErrors = 10;

TermPtr NewTerm(TermKind kind, Location loc) {
  auto t = std::make_shared<Term>();
  t->kind = kind;
  t->loc = loc;
  return t;
}

TermPtr ScalarTerm(Value v, Location loc) {
  TermPtr t = NewTerm(TermKind::kScalar, loc);
  t->value = std::move(v);
  return t;
}

TermPtr VarTerm(std::string name, Location loc) {
  TermPtr t = NewTerm(TermKind::kVar, loc);
  t->name = std::move(name);
  return t;
}

// `plus` -> Ref [Var plus]; `internal.member_2` -> Ref [Var internal,
// "member_2"].
TermPtr OperatorRef(std::string_view dotted, Location loc) {
  TermPtr ref = NewTerm(TermKind::kRef, loc);
  size_t dot = dotted.find('.');
  ref->items.push_back(VarTerm(std::string(dotted.substr(0, dot)), loc));
  while (dot != std::string_view::npos) {
    size_t next = dotted.find('.', dot + 1);
    ref->items.push_back(ScalarTerm(
        Value::String(dotted.substr(dot + 1, next == std::string_view::npos
                                                  ? std::string_view::npos
                                                  : next - dot - 1)),
        loc));
    dot = next;
  }
  return ref;
}

TermPtr CallTerm(std::string_view op, Location loc, std::vector<TermPtr> args) {
  TermPtr call = NewTerm(TermKind::kCall, loc);
  call->items.push_back(OperatorRef(op, loc));
  for (TermPtr& a : args) call->items.push_back(std::move(a));
  return call;
}

// Appends a path element to `base`, turning it into a ref when needed.
TermPtr AppendRef(TermPtr base, TermPtr elem) {
  if (base->kind != TermKind::kRef) {
    TermPtr ref = NewTerm(TermKind::kRef, base->loc);
    ref->items.push_back(std::move(base));
    base = std::move(ref);
  }
  base->items.push_back(std::move(elem));
  return base;
}

// A ref usable as a function name: a var, or a var followed by dot names.
bool IsCallableRef(const Term& t) {
  if (t.kind == TermKind::kVar) return true;
  if (t.kind != TermKind::kRef || t.items.empty() ||
      t.items[0]->kind != TermKind::kVar) {
    return false;
  }
  for (size_t i = 1; i < t.items.size(); ++i) {
    const Term& item = *t.items[i];
    if (item.kind != TermKind::kScalar || !item.value.is_string()) return false;
  }
  return true;
}

TermPtr AsRef(TermPtr t) {
  if (t->kind == TermKind::kRef) return t;
  TermPtr ref = NewTerm(TermKind::kRef, t->loc);
  ref->items.push_back(std::move(t));
  return ref;
}

std::string RefText(const Term& ref) {
  std::string out;
  for (size_t i = 0; i < ref.items.size(); ++i) {
    const Term& item = *ref.items[i];
    if (item.kind == TermKind::kVar) {
      absl::StrAppend(&out, i ? "." : "", item.name);
    } else if (item.kind == TermKind::kScalar && item.value.is_string()) {
      absl::StrAppend(&out, ".", std::string(item.value.string()));
    } else {
      absl::StrAppend(&out, "[...]");
    }
  }
  return out;
}

class Parser {
 public:
  Parser(std::string_view filename, std::string_view src, RegoVersion version)
      : filename_(filename), src_(src),
        toks_(Lex(src, 0, src.size(), Location{1, 1}, &comments_)) {
    if (version == RegoVersion::kV1) EnableV1();
    v1_module_ = version == RegoVersion::kV1;
  }

  absl::StatusOr<Module> ModuleText(RegoVersion version) {
    Module module;
    module.filename = std::string(filename_);
    module.version = version;
    if (!IsWord("package")) {
      Error(tok().loc, "package expected");
      return Status();
    }
    module.package_loc = tok().loc;
    Next();
    module.package = PackagePath();
    if (failed_) return Status();
    while (tok().kind != Tok::kEof && errors_.size() < kMaxErrors) {
      failed_ = false;
      if (tok().kind == Tok::kSemicolon) {
        Next();
      } else if (IsWord("import")) {
        ParseImport(&module);
      } else if (IsWord("package")) {
        Error(tok().loc, "unexpected package keyword");
      } else {
        Rules(&module);
      }
      // Statements end at a newline or `;`.
      if (!failed_ && tok().kind != Tok::kEof && !tok().nl_before &&
          tok().kind != Tok::kSemicolon) {
        Unexpected();
      }
      if (failed_) Recover();
    }
    if (!errors_.empty()) return Status();
    module.comments = std::move(comments_);
    return module;
  }

  absl::StatusOr<Body> QueryText() {
    EnableV1();
    if (tok().kind == Tok::kEof) {
      Error(tok().loc, "empty query");
      return Status();
    }
    std::optional<Body> body = ParseBody(Tok::kEof);
    if (!body || failed_) return Status();
    return *std::move(body);
  }

  absl::StatusOr<Value> GroundValueText() {
    EnableV1();
    TermPtr t = TermIn();
    if (t && tok().kind != Tok::kEof) Unexpected();
    if (failed_) return Status();
    std::optional<Value> v = ToValue(*t);
    if (!v) {
      Error(t->loc, "expected a ground value");
      return Status();
    }
    return *std::move(v);
  }

 private:
  // ---- tokens and errors ----

  const Token& tok() const { return toks_[pos_]; }
  const Token& Peek(size_t n = 1) const {
    return toks_[std::min(pos_ + n, toks_.size() - 1)];
  }
  void Next() {
    prev_end_ = tok().end;
    if (pos_ + 1 < toks_.size()) ++pos_;
  }

  void EnableV1() {
    kw_in_ = kw_every_ = kw_if_ = kw_contains_ = true;
    v1_rules_ = true;
  }

  bool IsKeyword(std::string_view word) const {
    if (word == "in") return kw_in_;
    if (word == "every") return kw_every_;
    if (word == "if") return kw_if_;
    if (word == "contains") return kw_contains_;
    return word == "not" || word == "some" || word == "with" || word == "as" ||
           word == "default" || word == "else" || word == "import" ||
           word == "package";
  }
  // The current token is the word `word` used as a keyword or literal: not
  // followed by `.`, which makes any word a var (`not.foo := 1`).
  bool IsWord(std::string_view word) const {
    return tok().kind == Tok::kIdent && tok().text == word && !UsedAsName();
  }
  // `not.foo := 1`: any word directly followed by `.` is a name, and so is
  // the builtin `contains(x, y)`.
  bool UsedAsName() const {
    const Token& next = Peek();
    if (next.space_before) return false;
    if (next.kind == Tok::kDot) return true;
    return next.kind == Tok::kLParen && tok().text == "contains";
  }
  // The current word is reserved (a keyword or literal) here.
  bool Reserved() const {
    const std::string& w = tok().text;
    return !UsedAsName() &&
           (IsKeyword(w) || w == "true" || w == "false" || w == "null");
  }
  bool IsKw(std::string_view word) const {
    return IsWord(word) && IsKeyword(word);
  }

  void Error(Location loc, std::string message) {
    if (failed_) return;
    failed_ = true;
    errors_.emplace_back(loc, std::move(message));
  }
  // OPA's "unexpected X token[: note]" ("keyword" for keywords).
  void Unexpected(std::string_view note = "") {
    const Token& t = tok();
    if (t.kind == Tok::kIllegal) {
      Error(t.loc, t.text);
      return;
    }
    std::string message;
    if (t.kind == Tok::kIdent && Reserved()) {
      message = absl::StrCat("unexpected ", t.text, " keyword");
    } else {
      message = absl::StrCat("unexpected ", std::string(TokenName(t.kind)), " token");
    }
    if (!note.empty()) absl::StrAppend(&message, ": ", std::string(note));
    Error(t.loc, std::move(message));
  }
  bool Expect(Tok kind) {
    if (tok().kind != kind) {
      Unexpected();
      return false;
    }
    Next();
    return true;
  }
  absl::Status Status() const {
    absl::Status first = MakeError(kRegoParseError, filename_,
                                   errors_[0].first.line, errors_[0].first.col,
                                   errors_[0].second);
    if (errors_.size() == 1) return first;
    std::vector<std::string> lines;
    for (const auto& [loc, message] : errors_) {
      lines.emplace_back(
          MakeError(kRegoParseError, filename_, loc.line, loc.col, message)
              .message());
    }
    absl::Status all(first.code(), absl::StrJoin(lines, "\n"));
    first.ForEachPayload([&all](absl::string_view url, const absl::Cord& payload) {
      all.SetPayload(url, payload);
    });
    return all;
  }
  // After an error in a statement: skip to the next line that starts with a
  // word in the first column, where the next statement most likely begins.
  void Recover() {
    while (tok().kind != Tok::kEof) {
      Next();
      if (tok().nl_before && tok().loc.col == 1 && tok().kind == Tok::kIdent) {
        break;
      }
    }
  }

  // Limits recursion depth.
  class Depth {
   public:
    explicit Depth(Parser* p) : p_(p) {
      if (++p->depth_ > kMaxDepth) {
        p->Error(p->tok().loc, "maximum nesting depth exceeded");
      }
    }
    ~Depth() { --p_->depth_; }
    Depth(const Depth&) = delete;
    Depth& operator=(const Depth&) = delete;

   private:
    Parser* p_;
  };

  // A nested construct: counts towards the depth limit, and `|` is an
  // operator again inside it.
  class Nest {
   public:
    explicit Nest(Parser* p) : p_(p), depth_(p), no_or_(p->no_or_) {
      p->no_or_ = false;
    }
    ~Nest() { p_->no_or_ = no_or_; }
    Nest(const Nest&) = delete;
    Nest& operator=(const Nest&) = delete;

   private:
    Parser* p_;
    Depth depth_;
    bool no_or_;
  };

  // ---- module statements ----

  TermPtr PackagePath() {
    TermPtr ref = NewTerm(TermKind::kRef, tok().loc);
    ref->items.push_back(VarTerm("data", tok().loc));
    if (tok().kind != Tok::kIdent) {
      Unexpected();
      return nullptr;
    }
    ref->items.push_back(ScalarTerm(Value::String(tok().text), tok().loc));
    Next();
    while (!tok().space_before &&
           (tok().kind == Tok::kDot || tok().kind == Tok::kLBrack)) {
      if (tok().kind == Tok::kDot) {
        Next();
        if (tok().kind != Tok::kIdent) {
          Unexpected("expected ident");
          return nullptr;
        }
        ref->items.push_back(ScalarTerm(Value::String(tok().text), tok().loc));
        Next();
      } else {
        Next();
        if (tok().kind != Tok::kString) {
          Error(tok().loc, "unexpected non-string package path element");
          return nullptr;
        }
        ref->items.push_back(ScalarTerm(Value::String(tok().text), tok().loc));
        Next();
        if (!Expect(Tok::kRBrack)) return nullptr;
      }
    }
    return ref;
  }

  void ParseImport(Module* module) {
    Import imp;
    imp.loc = tok().loc;
    Next();
    if (tok().kind != Tok::kIdent) {
      Unexpected();
      return;
    }
    TermPtr path = VarTerm(tok().text, tok().loc);
    Next();
    path = RefSuffixes(std::move(path), /*calls=*/false);
    if (!path) return;
    imp.path = AsRef(path);
    const std::string& root = imp.path->items[0]->name;
    if (root != "data" && root != "input" && root != "future" && root != "rego") {
      Error(imp.path->loc,
            absl::StrCat("unexpected import path, must begin with one of: "
                         "{data, future, input, rego}, got: ",
                         root));
      return;
    }
    for (size_t i = 1; i < imp.path->items.size(); ++i) {
      const Term& item = *imp.path->items[i];
      if (item.kind != TermKind::kScalar || !item.value.is_string()) {
        Error(item.loc, "unexpected non-string token: expecting string");
        return;
      }
    }
    if (IsWord("as")) {
      Next();
      if (tok().kind != Tok::kIdent || Reserved()) {
        Unexpected("expected var");
        return;
      }
      imp.alias = tok().text;
      Next();
    }
    std::string text = RefText(*imp.path);
    // In a v0 module, `import rego.v1` implies the future keywords: the two
    // kinds of import exclude each other (OPA's parser refuses both).
    bool future = text == "future.keywords" || text.rfind("future.keywords.", 0) == 0;
    if (!v1_module_ && ((text == "rego.v1" && saw_future_import_) ||
                        (future && saw_rego_v1_import_))) {
      Error(imp.loc, "the `rego.v1` import implies `future.keywords`, these are "
                     "therefore mutually exclusive");
      return;
    }
    saw_future_import_ = saw_future_import_ || future;
    saw_rego_v1_import_ = saw_rego_v1_import_ || text == "rego.v1";
    if (text == "rego.v1") {
      EnableV1();
    } else if (text == "future.keywords") {
      kw_in_ = kw_every_ = kw_if_ = kw_contains_ = true;
    } else if (text.rfind("future.keywords.", 0) == 0) {
      std::string kw = text.substr(16);
      if (kw == "in") {
        kw_in_ = true;
      } else if (kw == "every") {
        kw_every_ = true;
      } else if (kw == "if") {
        kw_if_ = true;
      } else if (kw == "contains") {
        kw_contains_ = true;
      } else {
        Error(imp.loc, "unexpected keyword, must be one of [contains every if in]");
        return;
      }
    } else if (text.rfind("future.", 0) == 0 || text == "future") {
      Error(imp.loc, absl::StrCat("invalid import ", text,
                                  ", must be future.keywords"));
      return;
    }
    module->imports.push_back(std::move(imp));
  }

  // One rule statement; several rules when it has several bodies.
  void Rules(Module* module) {
    const Token& first = tok();
    size_t begin = first.begin;
    size_t first_rule = module->rules.size();
    Rule rule;
    rule.loc = first.loc;
    if (IsWord("default")) {
      rule.is_default = true;
      Next();
    }
    if (!RuleHeadRef(&rule.head)) return;
    RuleHead& head = rule.head;
    if (tok().kind == Tok::kLParen && !tok().space_before) {
      Nest nest(this);
      head.has_args = true;
      Next();
      if (!TermList(Tok::kRParen, &head.args)) return;
    }
    bool has_contains = false;
    if (IsKw("contains")) {
      has_contains = true;
      Next();
      head.key = TermIn(true);
      if (!head.key) return;
    } else if (tok().kind == Tok::kUnify || tok().kind == Tok::kAssign) {
      head.assign = tok().kind == Tok::kAssign;
      Next();
      head.value = TermIn(true);
      if (!head.value) return;
    }
    // `p[x]` without a value: a partial set unless `if` follows (then, as in
    // OPA, `p[x]` is true).
    bool set_shape = !has_contains && !head.value && !head.has_args &&
                     head.ref->items.size() == 2 && !IsKw("if");
    if (rule.is_default) {
      // A default rule is its head alone; a body is an unexpected token.
      if (ValidDefault(rule)) {
        rule.text = std::string(src_.substr(begin, prev_end_ - begin));
        module->rules.push_back(std::move(rule));
      }
      return;
    }
    bool has_body = false;
    if (IsKw("if")) {
      Next();
      if (!RuleBody(&rule.body)) return;
      has_body = true;
    } else if (tok().kind == Tok::kLBrace) {
      if (v1_rules_) {
        // OPA reports both for a v0 partial set.
        Error(rule.loc, "`if` keyword is required before rule body");
        if (set_shape) {
          errors_.emplace_back(
              rule.loc, "`contains` keyword is required for partial set rules");
        }
        return;
      }
      if (!BlockBody(&rule.body)) return;
      has_body = true;
    }
    if (set_shape) {
      if (v1_rules_) {
        Error(rule.loc, "`contains` keyword is required for partial set rules");
        return;
      }
      // v0 `p[x] { ... }`: a partial set.
      head.key = head.ref->items.back();
      head.ref->items.pop_back();
    }
    // A function head alone (`allowed_kind("Pod")`, `f(_)`) is true for the
    // arguments it matches, as in OPA.
    bool bare_function = head.has_args && (tok().kind == Tok::kEof || tok().nl_before);
    if (!has_body && !head.value && !head.key && !bare_function) {
      if (tok().kind == Tok::kEof || tok().nl_before) {
        Error(rule.loc, "rule must have a value or a body");
      } else {
        Unexpected();
      }
      return;
    }
    module->rules.push_back(rule);
    // v0 allows several bodies for one head: `p { a } { b }`.
    while (has_body && tok().kind == Tok::kLBrace) {
      Rule more = rule;
      more.loc = tok().loc;
      more.body.clear();
      if (!BlockBody(&more.body)) return;
      module->rules.push_back(std::move(more));
    }
    // `else` chains hang off the last rule of the statement.
    std::shared_ptr<Rule>* tail = nullptr;
    while (has_body && IsWord("else")) {
      if (head.key) {
        Error(tok().loc, "else keyword cannot be used on multi-value rules");
        return;
      }
      for (size_t i = 1; i < head.ref->items.size(); ++i) {
        if (head.ref->items[i]->kind != TermKind::kScalar) {
          Error(tok().loc,
                "else keyword cannot be used on rules with variables in head");
          return;
        }
      }
      auto else_rule = std::make_shared<Rule>();
      else_rule->loc = tok().loc;
      else_rule->head.loc = tok().loc;
      else_rule->head.ref = head.ref;
      else_rule->head.args = head.args;
      else_rule->head.has_args = head.has_args;
      Next();
      if (tok().kind == Tok::kUnify || tok().kind == Tok::kAssign) {
        else_rule->head.assign = tok().kind == Tok::kAssign;
        Next();
        else_rule->head.value = TermIn(true);
        if (!else_rule->head.value) return;
      } else if (!IsKw("if") && tok().kind != Tok::kLBrace) {
        Unexpected("expected else value term or rule body");
        return;
      }
      if (IsKw("if")) {
        Next();
        if (tok().kind == Tok::kEof) {
          Unexpected("rule body expected");
          return;
        }
        if (!RuleBody(&else_rule->body)) return;
      } else if (tok().kind == Tok::kLBrace) {
        if (v1_rules_) {
          Error(else_rule->loc, "`if` keyword is required before rule body");
          return;
        }
        if (!BlockBody(&else_rule->body)) return;
      }
      if (tail == nullptr) {
        module->rules.back().else_rule = else_rule;
        tail = &module->rules.back().else_rule;
      } else {
        (*tail)->else_rule = else_rule;
        tail = &(*tail)->else_rule;
      }
    }
    std::string text(src_.substr(begin, prev_end_ - begin));
    for (size_t i = first_rule; i < module->rules.size(); ++i) {
      module->rules[i].text = text;
    }
  }

  // OPA's checks of a default rule: a constant value, distinct var args.
  bool ValidDefault(const Rule& rule) {
    const RuleHead& head = rule.head;
    if (!head.value) {
      Error(rule.loc, "illegal default rule (must have a value)");
      return false;
    }
    if (const char* what = NonConstant(*head.value)) {
      Error(rule.loc, absl::StrCat("illegal default rule (value cannot contain ",
                                   what, ")"));
      return false;
    }
    std::vector<std::string> seen;
    for (const TermPtr& arg : head.args) {
      if (arg->kind != TermKind::kVar) {
        Error(rule.loc, "illegal default rule (arguments cannot contain " +
                            std::string(TermKindName(arg->kind)) + ")");
        return false;
      }
      if (arg->name != "_" &&
          std::find(seen.begin(), seen.end(), arg->name) != seen.end()) {
        Error(rule.loc, "illegal default rule (arguments cannot be repeated " +
                            arg->name + ")");
        return false;
      }
      seen.push_back(arg->name);
    }
    return true;
  }

  static const char* TermKindName(TermKind kind) {
    switch (kind) {
      case TermKind::kScalar: return "scalar";
      case TermKind::kVar: return "var";
      case TermKind::kRef: return "ref";
      case TermKind::kArray: return "array";
      case TermKind::kSet: return "set";
      case TermKind::kObject: return "object";
      case TermKind::kArrayCompr: return "arraycomprehension";
      case TermKind::kSetCompr: return "setcomprehension";
      case TermKind::kObjectCompr: return "objectcomprehension";
      case TermKind::kCall: return "call";
      case TermKind::kTemplate: return "templatestring";
    }
    return "term";
  }

  // "var", "ref" or "call" when `t` holds one outside comprehensions.
  static const char* NonConstant(const Term& t) {
    switch (t.kind) {
      case TermKind::kVar:
      case TermKind::kRef:
      case TermKind::kCall:
      case TermKind::kTemplate:
        return t.kind == TermKind::kTemplate ? "call" : TermKindName(t.kind);
      case TermKind::kArray:
      case TermKind::kSet:
        for (const TermPtr& item : t.items) {
          if (const char* what = NonConstant(*item)) return what;
        }
        return nullptr;
      case TermKind::kObject:
        for (const auto& [k, v] : t.pairs) {
          if (const char* what = NonConstant(*k)) return what;
          if (const char* what = NonConstant(*v)) return what;
        }
        return nullptr;
      default:
        return nullptr;
    }
  }

  // The rule name: a var followed by `.name` and `[term]` parts.
  bool RuleHeadRef(RuleHead* head) {
    const Token& t = tok();
    head->loc = t.loc;
    if (t.kind != Tok::kIdent || Reserved()) {
      Unexpected();
      return false;
    }
    TermPtr ref = NewTerm(TermKind::kRef, t.loc);
    ref->items.push_back(VarTerm(t.text, t.loc));
    Next();
    while (!tok().space_before &&
           (tok().kind == Tok::kDot || tok().kind == Tok::kLBrack)) {
      if (tok().kind == Tok::kDot) {
        Next();
        if (tok().kind != Tok::kIdent) {
          Unexpected();
          return false;
        }
        ref->items.push_back(ScalarTerm(Value::String(tok().text), tok().loc));
        Next();
      } else {
        Nest nest(this);
        Next();
        TermPtr elem = TermIn();
        if (!elem || !Expect(Tok::kRBrack)) return false;
        ref->items.push_back(std::move(elem));
      }
    }
    head->ref = std::move(ref);
    return true;
  }

  // After `if`: a braced body or a single expression.
  bool RuleBody(Body* body) {
    if (tok().kind == Tok::kLBrace && Peek().kind != Tok::kRBrace) {
      // Usually a braced body, but `p if {x: 1 | ...}` is an expression, and
      // so is `p if {}` (an empty object, as in OPA).
      size_t pos = pos_, errors = errors_.size();
      if (BlockBody(body)) return true;
      size_t body_end = pos_;
      std::vector<std::pair<Location, std::string>> body_errors(
          errors_.begin() + errors, errors_.end());
      pos_ = pos;
      errors_.resize(errors);
      failed_ = false;
      if (!SingleExpressionBody(body)) {
        pos_ = body_end;
        errors_.resize(errors);
        errors_.insert(errors_.end(), body_errors.begin(), body_errors.end());
        failed_ = true;
        return false;
      }
      return true;
    }
    return SingleExpressionBody(body);
  }

  bool SingleExpressionBody(Body* body) {
    Nest nest(this);
    std::optional<Expr> e = Literal();
    if (!e) return false;
    body->push_back(*std::move(e));
    return !failed_;
  }

  bool BlockBody(Body* body) {
    Nest nest(this);
    Next();  // {
    std::optional<Body> b = ParseBody(Tok::kRBrace);
    if (!b || !Expect(Tok::kRBrace)) return false;
    *body = *std::move(b);
    return true;
  }

  // ---- bodies and expressions ----

  // Expressions separated by `;` or newlines, up to (not including) `end`.
  std::optional<Body> ParseBody(Tok end) {
    Nest nest(this);
    Body body;
    if (tok().kind == end) {
      Error(tok().loc, "found empty body");
      return std::nullopt;
    }
    while (true) {
      std::optional<Expr> e = Literal();
      if (!e || failed_) return std::nullopt;
      body.push_back(*std::move(e));
      if (tok().kind == Tok::kSemicolon) {
        Next();
        if (tok().kind == end) break;
        continue;
      }
      if (tok().kind == end) break;
      if (tok().nl_before) continue;
      Unexpected(absl::StrCat("expected \\n or ; or ", std::string(TokenName(end))));
      return std::nullopt;
    }
    return body;
  }

  std::optional<Expr> Literal() {
    Nest nest(this);
    if (failed_) return std::nullopt;
    Expr e;
    e.loc = tok().loc;
    if (IsKw("some")) {
      if (!Some(&e)) return std::nullopt;
    } else if (IsKw("every")) {
      if (!Every(&e)) return std::nullopt;
    } else {
      if (IsKw("not")) {
        e.negated = true;
        Next();
      }
      if (!ExprCore(&e)) return std::nullopt;
    }
    while (IsKw("with")) {
      With w;
      w.loc = tok().loc;
      Next();
      w.target = Primary();
      if (!w.target) return std::nullopt;
      if (!IsKw("as")) {
        Unexpected("expected as keyword");
        return std::nullopt;
      }
      Next();
      w.value = TermIn(true);
      if (!w.value) return std::nullopt;
      w.target = AsRef(std::move(w.target));
      e.withs.push_back(std::move(w));
    }
    return e;
  }

  bool ExprCore(Expr* e) {
    TermPtr lhs = TermIn(true);
    if (!lhs) return false;
    if (tok().kind == Tok::kUnify || tok().kind == Tok::kAssign) {
      e->kind = tok().kind == Tok::kUnify ? ExprKind::kUnify : ExprKind::kAssign;
      Next();
      TermPtr rhs = TermIn(true);
      if (!rhs) return false;
      e->lhs = std::move(lhs);
      e->rhs = std::move(rhs);
      return true;
    }
    e->kind = ExprKind::kTerm;
    e->term = std::move(lhs);
    return true;
  }

  bool Some(Expr* e) {
    Next();  // some
    std::vector<TermPtr> terms;
    while (true) {
      TermPtr t = TermRelation();
      if (!t) return false;
      terms.push_back(std::move(t));
      if (tok().kind != Tok::kComma) break;
      Next();
    }
    if (IsKw("in")) {
      if (terms.size() > 2) {
        Error(terms[0]->loc, "unexpected , token: expected at most two terms");
        return false;
      }
      Next();
      e->kind = ExprKind::kSomeIn;
      if (terms.size() == 2) e->key = terms[0];
      e->value = terms.back();
      e->collection = TermRelation();
      return e->collection != nullptr;
    }
    for (const TermPtr& t : terms) {
      if (t->kind != TermKind::kVar) {
        Error(t->loc, "expected var");
        return false;
      }
    }
    e->kind = ExprKind::kSome;
    e->vars = std::move(terms);
    return true;
  }

  bool Every(Expr* e) {
    Next();  // every
    TermPtr first = TermRelation();
    if (!first) return false;
    TermPtr second;
    if (tok().kind == Tok::kComma) {
      Next();
      second = TermRelation();
      if (!second) return false;
    }
    if (!IsKw("in")) {
      Unexpected("expected `x[, y] in xs { ... }` expression");
      return false;
    }
    Next();
    e->kind = ExprKind::kEvery;
    if (second) {
      e->key = std::move(first);
      e->value = std::move(second);
    } else {
      e->value = std::move(first);
    }
    e->collection = TermRelation();
    if (!e->collection) return false;
    if (tok().kind != Tok::kLBrace) {
      Unexpected("missing body");
      return false;
    }
    e->body = std::make_shared<Body>();
    return BlockBody(e->body.get());
  }

  // After `key` at a `,`: `key, value in xs`, then any further `in xs`.
  TermPtr MemberTail(TermPtr key) {
    // Not followed by `v in xs`: the comma belongs to the caller.
    size_t pos = pos_, errors = errors_.size();
    Next();  // ,
    TermPtr value = TermRelation();
    if (!value || !IsKw("in")) {
      pos_ = pos;
      errors_.resize(errors);
      failed_ = false;
      return InTail(std::move(key));
    }
    Location loc = key->loc;
    Next();
    TermPtr coll = TermRelation();
    if (!coll) return nullptr;
    TermPtr lhs = CallTerm("internal.member_3", loc,
                           {std::move(key), std::move(value), std::move(coll)});
    return InTail(std::move(lhs));
  }


  // ---- terms, by operator precedence ----

  // Precedence, loosest first: in, comparisons, |, &, + -, * / %.
  // `key_val` allows `k, v in xs` (expressions and parentheses, not lists).
  TermPtr TermIn(bool key_val = false) {
    TermPtr lhs = TermRelation();
    if (lhs && key_val && tok().kind == Tok::kComma && kw_in_) {
      return MemberTail(std::move(lhs));
    }
    return InTail(std::move(lhs));
  }

  // Infix operator calls are located where their left operand is, as in OPA.
  TermPtr InTail(TermPtr lhs) {
    while (lhs && IsKw("in")) {
      Location loc = lhs->loc;
      Next();
      TermPtr rhs = TermRelation();
      if (!rhs) return nullptr;
      lhs = CallTerm("internal.member_2", loc, {std::move(lhs), std::move(rhs)});
    }
    return lhs;
  }

  // One left-associative level of infix operators: operands parsed by
  // `next`, the operator's builtin name given by `op` for the current token
  // (nullptr when the token is no operator of this level).
  TermPtr LeftAssociative(TermPtr (Parser::*next)(), const char* (Parser::*op)() const) {
    TermPtr lhs = (this->*next)();
    while (lhs) {
      const char* name = (this->*op)();
      if (name == nullptr) break;
      Location loc = lhs->loc;
      Next();
      TermPtr rhs = (this->*next)();
      if (!rhs) return nullptr;
      lhs = CallTerm(name, loc, {std::move(lhs), std::move(rhs)});
    }
    return lhs;
  }

  const char* OrOp() const { return tok().kind == Tok::kOr && !no_or_ ? "or" : nullptr; }
  const char* AndOp() const { return tok().kind == Tok::kAnd ? "and" : nullptr; }
  const char* RelationOp() const {
    switch (tok().kind) {
      case Tok::kEqual: return "equal";
      case Tok::kNotEqual: return "neq";
      case Tok::kLt: return "lt";
      case Tok::kLte: return "lte";
      case Tok::kGt: return "gt";
      case Tok::kGte: return "gte";
      default: return nullptr;
    }
  }
  const char* ArithOp() const {
    switch (tok().kind) {
      case Tok::kPlus: return "plus";
      case Tok::kMinus: return "minus";
      default: return nullptr;
    }
  }
  const char* FactorOp() const {
    switch (tok().kind) {
      case Tok::kMul: return "mul";
      case Tok::kQuo: return "div";
      case Tok::kRem: return "rem";
      default: return nullptr;
    }
  }

  // OPA's precedence, loosest first: comparison, |, &, + -, * / %.
  TermPtr TermRelation() { return LeftAssociative(&Parser::TermOr, &Parser::RelationOp); }
  TermPtr TermOr() { return LeftAssociative(&Parser::TermAnd, &Parser::OrOp); }
  TermPtr TermAnd() { return LeftAssociative(&Parser::TermArith, &Parser::AndOp); }
  TermPtr TermArith() { return LeftAssociative(&Parser::TermFactor, &Parser::ArithOp); }
  TermPtr TermFactor() { return LeftAssociative(&Parser::Unary, &Parser::FactorOp); }

  TermPtr Unary() {
    if (tok().kind != Tok::kMinus) return Primary();
    Depth depth(this);
    if (failed_) return nullptr;
    Location loc = tok().loc;
    Next();
    if (tok().kind == Tok::kMinus) {
      Unexpected();  // `- -1`: OPA has no double negation
      return nullptr;
    }
    if (tok().kind == Tok::kNumber ||
        (tok().kind == Tok::kDot && Peek().kind == Tok::kNumber &&
         !Peek().space_before)) {
      return Number("-", loc);  // a negative literal
    }
    TermPtr operand = Unary();
    if (!operand) return nullptr;
    return CallTerm("minus", loc,
                    {ScalarTerm(Value::Int(0), loc), std::move(operand)});
  }

  // A term followed by `.name`, `[term]` and `(args)` suffixes.
  TermPtr Primary() {
    TermPtr t = Operand();
    if (!t) return nullptr;
    return RefSuffixes(std::move(t), /*calls=*/true);
  }

  TermPtr RefSuffixes(TermPtr t, bool calls) {
    while (!tok().space_before) {
      if (tok().kind == Tok::kDot) {
        Next();
        // `input.` then a newline is no reference (OPA refuses it).
        if (tok().kind != Tok::kIdent || tok().space_before) {
          Unexpected("expected identifier");
          return nullptr;
        }
        t = AppendRef(std::move(t),
                      ScalarTerm(Value::String(tok().text), tok().loc));
        Next();
      } else if (tok().kind == Tok::kLBrack) {
        Nest nest(this);
        Next();
        TermPtr elem = TermIn();
        if (!elem || !Expect(Tok::kRBrack)) return nullptr;
        t = AppendRef(std::move(t), std::move(elem));
      } else if (calls && tok().kind == Tok::kLParen) {
        if (!IsCallableRef(*t)) {
          Unexpected();
          return nullptr;
        }
        Nest nest(this);
        TermPtr call = NewTerm(TermKind::kCall, t->loc);
        call->items.push_back(AsRef(std::move(t)));
        Next();
        std::vector<TermPtr> args;
        if (!TermList(Tok::kRParen, &args)) return nullptr;
        for (TermPtr& a : args) call->items.push_back(std::move(a));
        t = std::move(call);
      } else {
        break;
      }
    }
    return t;
  }

  // Comma-separated terms up to `end` (consumed); a trailing comma is fine.
  bool TermList(Tok end, std::vector<TermPtr>* out) {
    while (tok().kind != end) {
      TermPtr t = TermIn();
      if (!t) return false;
      out->push_back(std::move(t));
      if (tok().kind == Tok::kComma) {
        Next();
        continue;
      }
      if (tok().kind != end) {
        Unexpected(absl::StrCat("expected \",\" or \"", std::string(TokenName(end)), "\""));
        return false;
      }
    }
    Next();
    return true;
  }

  // A comprehension head or first collection element: `|` ends it.
  TermPtr HeadTerm() {
    bool saved = no_or_;
    no_or_ = true;
    TermPtr t = TermIn();
    no_or_ = saved;
    return t;
  }

  TermPtr Operand() {
    if (failed_) return nullptr;
    const Token& t = tok();
    Location loc = t.loc;
    switch (t.kind) {
      case Tok::kNumber:
        return Number("", loc);
      case Tok::kDot:
        if (Peek().kind == Tok::kNumber && !Peek().space_before) {
          return Number("", loc);
        }
        Unexpected();
        return nullptr;
      case Tok::kString: {
        TermPtr s = ScalarTerm(Value::String(t.text), loc);
        Next();
        return s;
      }
      case Tok::kTemplate:
        return Template();
      case Tok::kIdent:
        return Word();
      case Tok::kLBrack:
        return Array();
      case Tok::kLBrace:
        return Braces();
      case Tok::kLParen: {
        Nest nest(this);
        Next();
        TermPtr inner = TermIn(true);
        if (!inner || !Expect(Tok::kRParen)) return nullptr;
        return inner;
      }
      default:
        Unexpected();
        return nullptr;
    }
  }

  // A number literal, at `1.5` or at `.5` (as 0.5), after `sign`.
  TermPtr Number(std::string sign, Location loc) {
    std::string text = std::move(sign);
    if (tok().kind == Tok::kDot) {
      Next();
      text += "0." + tok().text;
    } else {
      const std::string& lit = tok().text;
      if (lit.size() > 1 && lit[0] == '0' && lit[1] != '.' && lit[1] != 'e' &&
          lit[1] != 'E') {
        Unexpected("expected number without leading zero");
        return nullptr;
      }
      text += lit;
    }
    std::optional<Value> v = Value::NumberFromText(text);
    if (!v) {
      Unexpected("invalid number");
      return nullptr;
    }
    Next();
    return ScalarTerm(*std::move(v), loc);
  }

  TermPtr Word() {
    const Token& t = tok();
    Location loc = t.loc;
    if (IsWord("true") || IsWord("false")) {
      TermPtr b = ScalarTerm(Value::Bool(t.text == "true"), loc);
      Next();
      return b;
    }
    if (IsWord("null")) {
      Next();
      return ScalarTerm(Value::Null(), loc);
    }
    if (Reserved()) {
      Unexpected();
      return nullptr;
    }
    if (t.text == "set" && Peek().kind == Tok::kLParen &&
        !Peek().space_before && Peek(2).kind == Tok::kRParen) {
      Next();
      Next();
      Next();
      return NewTerm(TermKind::kSet, loc);
    }
    TermPtr v = VarTerm(t.text, loc);
    Next();
    return v;
  }

  TermPtr Array() {
    Nest nest(this);
    TermPtr arr = NewTerm(TermKind::kArray, tok().loc);
    Next();  // [
    if (tok().kind == Tok::kRBrack) {
      Next();
      return arr;
    }
    size_t first_pos = pos_;
    TermPtr first = HeadTerm();
    if (!first) return nullptr;
    if (tok().kind == Tok::kOr && !BarStartsBody(Tok::kRBrack)) {
      // `[a | b, c]`: an array whose first element is `a | b`.
      Rewind(first_pos);
      first = TermIn();
      if (!first) return nullptr;
    }
    if (tok().kind == Tok::kOr) {
      Next();
      arr->kind = TermKind::kArrayCompr;
      arr->head = std::move(first);
      return ComprehensionBody(std::move(arr), Tok::kRBrack);
    }
    arr->items.push_back(std::move(first));
    if (tok().kind == Tok::kComma) {
      Next();
    } else if (tok().kind != Tok::kRBrack) {
      Unexpected("expected \",\" or \"]\"");
      return nullptr;
    }
    if (!TermList(Tok::kRBrack, &arr->items)) return nullptr;
    return arr;
  }

  // At the `|` after a collection's first term: true unless what follows up
  // to `end` cannot be a body because it is a list (`[a | b, c]`). A comma
  // at the top level belongs to a body only in `some`, `every` and
  // `k, v in xs`.
  bool BarStartsBody(Tok end) const {
    int depth = 0;
    bool comma = false;
    for (size_t i = pos_ + 1; i < toks_.size(); ++i) {
      const Token& t = toks_[i];
      switch (t.kind) {
        case Tok::kLParen: case Tok::kLBrack: case Tok::kLBrace:
          ++depth;
          break;
        case Tok::kRParen: case Tok::kRBrack: case Tok::kRBrace:
          if (depth == 0) return !(comma && t.kind == end);
          --depth;
          break;
        case Tok::kComma:
          if (depth == 0) comma = true;
          break;
        case Tok::kIdent:
          if (depth == 0 && (t.text == "some" || t.text == "every" || t.text == "in")) {
            return true;
          }
          break;
        case Tok::kEof:
          return true;
        default:
          break;
      }
    }
    return true;
  }

  // Back to token `pos` (no error has been reported since).
  void Rewind(size_t pos) {
    pos_ = pos;
    prev_end_ = pos > 0 ? toks_[pos - 1].end : 0;
  }

  TermPtr ComprehensionBody(TermPtr compr, Tok end) {
    compr->body = std::make_shared<Body>();
    std::optional<Body> body = ParseBody(end);
    if (!body || !Expect(end)) return nullptr;
    *compr->body = *std::move(body);
    return compr;
  }

  // `{}` object, `{a, b}` set, `{k: v}` object, and their comprehensions.
  TermPtr Braces() {
    Nest nest(this);
    TermPtr t = NewTerm(TermKind::kObject, tok().loc);
    Next();  // {
    if (tok().kind == Tok::kRBrace) {
      Next();
      return t;
    }
    size_t first_pos = pos_;
    TermPtr first = HeadTerm();
    if (!first) return nullptr;
    if (tok().kind == Tok::kOr && !BarStartsBody(Tok::kRBrace)) {
      Rewind(first_pos);  // `{a | b, c}`: a set
      first = TermIn();
      if (!first) return nullptr;
    }
    if (tok().kind == Tok::kOr) {
      Next();
      t->kind = TermKind::kSetCompr;
      t->head = std::move(first);
      return ComprehensionBody(std::move(t), Tok::kRBrace);
    }
    if (tok().kind == Tok::kColon) {
      Next();
      TermPtr value = HeadTerm();
      if (!value) return nullptr;
      if (tok().kind == Tok::kOr) {
        Next();
        t->kind = TermKind::kObjectCompr;
        t->key = std::move(first);
        t->head = std::move(value);
        return ComprehensionBody(std::move(t), Tok::kRBrace);
      }
      t->pairs.emplace_back(std::move(first), std::move(value));
      while (true) {
        if (tok().kind == Tok::kComma) {
          Next();
        } else if (tok().kind != Tok::kRBrace) {
          Unexpected("expected \",\" or \"}\"");
          return nullptr;
        }
        if (tok().kind == Tok::kRBrace) break;
        TermPtr key = TermIn();
        if (!key || !Expect(Tok::kColon)) return nullptr;
        TermPtr val = TermIn();
        if (!val) return nullptr;
        t->pairs.emplace_back(std::move(key), std::move(val));
      }
      Next();
      return t;
    }
    t->kind = TermKind::kSet;
    t->items.push_back(std::move(first));
    if (tok().kind == Tok::kComma) {
      Next();
    } else if (tok().kind != Tok::kRBrace) {
      Unexpected("expected \",\" or \"}\"");
      return nullptr;
    }
    if (!TermList(Tok::kRBrace, &t->items)) return nullptr;
    return t;
  }

  // $"...{expr}...": items alternate literal strings and expressions,
  // starting and ending with a literal (possibly empty).
  TermPtr Template() {
    TermPtr t = NewTerm(TermKind::kTemplate, tok().loc);
    std::vector<TemplatePart> parts = tok().parts;
    Next();
    for (const TemplatePart& part : parts) {
      if (!part.is_expr) {
        t->items.push_back(ScalarTerm(Value::String(part.text), part.loc));
        continue;
      }
      // Parse the embedded expression with its own tokens.
      std::vector<Token> saved = std::move(toks_);
      size_t saved_pos = pos_;
      size_t saved_end = prev_end_;
      toks_ = Lex(src_, part.begin, part.end, part.loc);
      pos_ = 0;
      TermPtr expr;
      if (tok().kind == Tok::kEof) {
        Error(part.loc, "empty template expression");
      } else {
        expr = TemplateExpr();
        if (expr && tok().kind != Tok::kEof) Unexpected();
      }
      toks_ = std::move(saved);
      pos_ = saved_pos;
      prev_end_ = saved_end;
      if (!expr || failed_) return nullptr;
      t->items.push_back(std::move(expr));
    }
    return t;
  }

  // An embedded template expression: a term, or a term with `with`
  // modifiers, which becomes `[v | v = term with ...][0]` (the term's value
  // under the modifiers, undefined when it is).
  TermPtr TemplateExpr() {
    std::optional<Expr> e = Literal();
    if (!e) return nullptr;
    const char* what = nullptr;
    if (e->negated) {
      what = "negation ('not')";
    } else if (e->kind == ExprKind::kUnify) {
      what = "unification ('=')";
    } else if (e->kind == ExprKind::kAssign) {
      what = "assignment (':=')";
    } else if (e->kind == ExprKind::kEvery) {
      what = "'every'";
    } else if (e->kind != ExprKind::kTerm) {
      what = "'some'";
    }
    if (what != nullptr) {
      Error(e->loc, absl::StrCat("unexpected ", what, " in template-string expression"));
      return nullptr;
    }
    if (e->withs.empty()) return e->term;
    Location loc = e->loc;
    std::string name = absl::StrCat("__localt", template_vars_++, "__");
    TermPtr compr = NewTerm(TermKind::kArrayCompr, loc);
    compr->head = VarTerm(name, loc);
    Expr unify;
    unify.kind = ExprKind::kUnify;
    unify.loc = loc;
    unify.lhs = VarTerm(name, loc);
    unify.rhs = e->term;
    unify.withs = std::move(e->withs);
    compr->body = std::make_shared<Body>(Body{std::move(unify)});
    return AppendRef(std::move(compr), ScalarTerm(Value::Int(0), loc));
  }

  static std::optional<Value> ToValue(const Term& t) {
    switch (t.kind) {
      case TermKind::kScalar:
        return t.value;
      case TermKind::kArray:
      case TermKind::kSet: {
        std::vector<Value> elems;
        for (const TermPtr& item : t.items) {
          std::optional<Value> v = ToValue(*item);
          if (!v) return std::nullopt;
          elems.push_back(*std::move(v));
        }
        return t.kind == TermKind::kArray ? Value::Array(std::move(elems))
                                          : Value::Set(std::move(elems));
      }
      case TermKind::kObject: {
        std::vector<ObjectEntry> entries;
        for (const auto& [key, value] : t.pairs) {
          std::optional<Value> k = ToValue(*key);
          std::optional<Value> v = ToValue(*value);
          if (!k || !v) return std::nullopt;
          entries.emplace_back(*std::move(k), *std::move(v));
        }
        return Value::Object(std::move(entries));
      }
      default:
        return std::nullopt;
    }
  }

  std::string_view filename_;
  std::string_view src_;
  std::vector<Comment> comments_;  // filled by the lexer, before toks_
  std::vector<Token> toks_;
  size_t pos_ = 0;
  size_t prev_end_ = 0;
  // Keywords enabled by the version or by imports.
  bool kw_in_ = false, kw_every_ = false, kw_if_ = false, kw_contains_ = false;
  // v1 rule syntax: `if` and `contains` required.
  bool v1_rules_ = false;
  bool no_or_ = false; // `|` ends the term (comprehension heads)
  // The module is v1 by version (not by `import rego.v1`); the imports seen.
  bool v1_module_ = false;
  bool saw_future_import_ = false, saw_rego_v1_import_ = false;
  int depth_ = 0;
  int template_vars_ = 0;
  bool failed_ = false;
  std::vector<std::pair<Location, std::string>> errors_;
};

}  // namespace

absl::StatusOr<Module> ParseModule(std::string_view filename,
                                   std::string_view text,
                                   RegoVersion version) {
  return Parser(filename, text, version).ModuleText(version);
}

absl::StatusOr<Body> ParseQuery(std::string_view text) {
  return Parser("", text, RegoVersion::kV1).QueryText();
}

absl::StatusOr<Value> ParseValue(std::string_view text) {
  return Parser("", text, RegoVersion::kV1).GroundValueText();
}

}  // namespace policyd::ast
