#include "engine/builtins/go/template.h"

#include <cctype>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/builtins/args.h"
#include "engine/value/json.h"

namespace policyd {
namespace {

// ---- syntax tree -------------------------------------------------------------

struct Pipeline;

struct Operand {
  enum Kind { kDot, kVar, kLiteral, kNil, kFunc, kSub } kind = kDot;
  std::string name;                 // kVar: "$x"; kFunc: function name
  std::vector<std::string> fields;  // .a.b after the operand
  Value literal;
  std::shared_ptr<Pipeline> sub;    // kSub: ( pipeline )
};

struct Command {
  std::vector<Operand> args;
};

struct Pipeline {
  std::vector<std::string> decls;  // $i, $v :=
  bool assign = false;             // `=` rather than `:=`
  std::vector<Command> cmds;
};

struct Node {
  enum Kind { kText, kAction, kIf, kRange, kWith } kind = kText;
  std::string text;
  Pipeline pipe;
  std::vector<Node> body, else_body;
  int line = 1;
};

absl::Status TemplateError(int line, std::string_view what) {
  return absl::InvalidArgumentError(
      Concat("template: template:", int64_t{line}, ": ", what));
}

// ---- parser ------------------------------------------------------------------

class Parser {
 public:
  explicit Parser(std::string_view src) : src_(src) {}

  absl::StatusOr<std::vector<Node>> Parse() {
    std::vector<Node> nodes;
    std::string_view end_kw;
    POLICYD_RETURN_IF_ERROR(List(&nodes, &end_kw));
    if (!end_kw.empty()) {
      return TemplateError(line_, Concat("unexpected {{", end_kw, "}}"));
    }
    return nodes;
  }

 private:
  // An action's words, read by Next().
  struct Action {
    std::string_view body;
    int line;
  };

  // Reads text and actions until the end of input or an {{end}} / {{else}}
  // action (returned in *end_kw, with the rest of an else in else_rest_).
  absl::Status List(std::vector<Node>* nodes, std::string_view* end_kw) {
    *end_kw = {};
    while (pos_ < src_.size()) {
      size_t open = src_.find("{{", pos_);
      std::string_view text = src_.substr(pos_, open == std::string_view::npos
                                                    ? std::string_view::npos
                                                    : open - pos_);
      if (open == std::string_view::npos) {
        AddText(nodes, text);
        pos_ = src_.size();
        break;
      }
      bool trim_left = src_.substr(open + 2).starts_with("- ") ||
                       src_.substr(open + 2).starts_with("-\t") ||
                       src_.substr(open + 2).starts_with("-\n");
      if (trim_left) {
        while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
          text.remove_suffix(1);
        }
      }
      AddText(nodes, text);
      CountLines(src_.substr(pos_, open - pos_));
      size_t body_start = open + 2 + (trim_left ? 1 : 0);
      size_t close = FindClose(body_start);
      if (close == std::string_view::npos) {
        return TemplateError(line_, "unclosed action");
      }
      std::string_view body = src_.substr(body_start, close - body_start);
      bool trim_right = body.size() >= 2 && body.back() == '-' &&
                        std::isspace(static_cast<unsigned char>(body[body.size() - 2]));
      if (trim_right) body.remove_suffix(1);
      Action action{Trim(body), line_};
      CountLines(src_.substr(open, close + 2 - open));
      pos_ = close + 2;
      if (trim_right) {
        while (pos_ < src_.size() && std::isspace(static_cast<unsigned char>(src_[pos_]))) {
          if (src_[pos_] == '\n') ++line_;
          ++pos_;
        }
      }
      if (action.body.starts_with("/*")) continue;  // comment
      std::string_view kw = Keyword(action.body);
      if (kw == "end" || kw == "else") {
        *end_kw = kw;
        else_rest_ = Trim(action.body.substr(kw.size()));
        return absl::OkStatus();
      }
      Node node;
      node.line = action.line;
      if (kw == "if" || kw == "range" || kw == "with") {
        node.kind = kw == "if" ? Node::kIf : kw == "range" ? Node::kRange
                                                           : Node::kWith;
        POLICYD_RETURN_IF_ERROR(
            ParsePipeline(action.body.substr(kw.size()), action.line, &node.pipe));
        POLICYD_RETURN_IF_ERROR(Control(&node));
      } else if (kw == "define" || kw == "template" || kw == "block" ||
                 kw == "break" || kw == "continue") {
        return TemplateError(action.line,
                             Concat("unsupported action {{", kw, "}}"));
      } else {
        node.kind = Node::kAction;
        POLICYD_RETURN_IF_ERROR(ParsePipeline(action.body, action.line, &node.pipe));
      }
      nodes->push_back(std::move(node));
    }
    return absl::OkStatus();
  }

  // The body and else branch of if/range/with, up to its {{end}}.
  absl::Status Control(Node* node) {
    if (++depth_ > kMaxDepth) return TemplateError(line_, "nested too deeply");
    absl::Status s = ControlBody(node);
    --depth_;
    return s;
  }

  absl::Status ControlBody(Node* node) {
    std::string_view kw;
    POLICYD_RETURN_IF_ERROR(List(&node->body, &kw));
    if (kw.empty()) return TemplateError(line_, "unexpected EOF");
    if (kw == "else") {
      std::string_view rest = else_rest_;
      std::string_view sub_kw = Keyword(rest);
      if (sub_kw == "if" || sub_kw == "with") {
        // else if / else with: a nested node sharing our {{end}}.
        Node nested;
        nested.line = line_;
        nested.kind = sub_kw == "if" ? Node::kIf : Node::kWith;
        POLICYD_RETURN_IF_ERROR(
            ParsePipeline(rest.substr(sub_kw.size()), line_, &nested.pipe));
        POLICYD_RETURN_IF_ERROR(Control(&nested));
        node->else_body.push_back(std::move(nested));
        return absl::OkStatus();
      }
      POLICYD_RETURN_IF_ERROR(List(&node->else_body, &kw));
      if (kw != "end") return TemplateError(line_, "expected {{end}}");
    }
    return absl::OkStatus();
  }

  size_t FindClose(size_t from) const {
    bool in_str = false, in_raw = false;
    for (size_t i = from; i + 1 < src_.size(); ++i) {
      char c = src_[i];
      if (in_str) {
        if (c == '\\') ++i;
        else if (c == '"') in_str = false;
      } else if (in_raw) {
        if (c == '`') in_raw = false;
      } else if (c == '"') {
        in_str = true;
      } else if (c == '`') {
        in_raw = true;
      } else if (c == '}' && src_[i + 1] == '}') {
        return i;
      }
    }
    return std::string_view::npos;
  }

  static std::string_view Trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
  }
  static std::string_view Keyword(std::string_view body) {
    size_t n = 0;
    while (n < body.size() && std::isalpha(static_cast<unsigned char>(body[n]))) ++n;
    std::string_view w = body.substr(0, n);
    if (w == "if" || w == "else" || w == "end" || w == "range" ||
        w == "with" || w == "define" || w == "template" || w == "block" ||
        w == "break" || w == "continue") {
      return w;
    }
    return {};
  }
  void AddText(std::vector<Node>* nodes, std::string_view text) {
    if (text.empty()) return;
    Node n;
    n.kind = Node::kText;
    n.text = std::string(text);
    nodes->push_back(std::move(n));
  }
  void CountLines(std::string_view s) {
    for (char c : s) line_ += c == '\n';
  }

  // ---- pipelines ----

  struct Lexer {
    std::string_view s;
    size_t i = 0;
    void Skip() {
      while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    }
    bool AtEnd() {
      Skip();
      return i >= s.size();
    }
  };

  absl::Status ParsePipeline(std::string_view text, int line, Pipeline* out) {
    Lexer lx{text};
    return PipelineAt(&lx, line, false, out);
  }

  static bool IsIdentChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  }

  // Declarations, then commands separated by '|', up to the end or ')'.
  absl::Status PipelineAt(Lexer* lx, int line, bool in_parens, Pipeline* out) {
    // Declarations: $x := / $i, $v := / $x =
    size_t save = lx->i;
    std::vector<std::string> decls;
    while (true) {
      lx->Skip();
      if (lx->i >= lx->s.size() || lx->s[lx->i] != '$') break;
      size_t j = lx->i + 1;
      while (j < lx->s.size() && IsIdentChar(lx->s[j])) ++j;
      decls.emplace_back(lx->s.substr(lx->i, j - lx->i));
      lx->i = j;
      lx->Skip();
      if (lx->s.substr(lx->i).starts_with(",")) {
        ++lx->i;
        continue;
      }
      if (lx->s.substr(lx->i).starts_with(":=")) {
        lx->i += 2;
        out->decls = std::move(decls);
      } else if (lx->s.substr(lx->i).starts_with("=") &&
                 !lx->s.substr(lx->i).starts_with("==")) {
        lx->i += 1;
        out->decls = std::move(decls);
        out->assign = true;
      }
      break;
    }
    if (out->decls.empty()) lx->i = save;
    Command cmd;
    while (true) {
      lx->Skip();
      if (lx->i >= lx->s.size() || (in_parens && lx->s[lx->i] == ')')) break;
      if (lx->s[lx->i] == '|') {
        if (cmd.args.empty()) return TemplateError(line, "missing command");
        out->cmds.push_back(std::move(cmd));
        cmd = Command();
        ++lx->i;
        continue;
      }
      Operand op;
      POLICYD_RETURN_IF_ERROR(OperandAt(lx, line, &op));
      cmd.args.push_back(std::move(op));
    }
    if (cmd.args.empty()) return TemplateError(line, "missing value for command");
    out->cmds.push_back(std::move(cmd));
    return absl::OkStatus();
  }

  // Trailing .field.field after an operand.
  static void Fields(Lexer* lx, Operand* op) {
    while (lx->i < lx->s.size() && lx->s[lx->i] == '.' &&
           lx->i + 1 < lx->s.size() && IsIdentChar(lx->s[lx->i + 1])) {
      size_t j = lx->i + 1;
      while (j < lx->s.size() && IsIdentChar(lx->s[j])) ++j;
      op->fields.emplace_back(lx->s.substr(lx->i + 1, j - lx->i - 1));
      lx->i = j;
    }
  }

  absl::Status OperandAt(Lexer* lx, int line, Operand* op) {
    std::string_view s = lx->s;
    char c = s[lx->i];
    if (c == '.') {
      op->kind = Operand::kDot;
      if (lx->i + 1 < s.size() && IsIdentChar(s[lx->i + 1])) {
        Fields(lx, op);
      } else {
        ++lx->i;
      }
      return absl::OkStatus();
    }
    if (c == '$') {
      size_t j = lx->i + 1;
      while (j < s.size() && IsIdentChar(s[j])) ++j;
      op->kind = Operand::kVar;
      op->name = std::string(s.substr(lx->i, j - lx->i));
      lx->i = j;
      Fields(lx, op);
      return absl::OkStatus();
    }
    if (c == '(') {
      if (++depth_ > kMaxDepth) return TemplateError(line, "nested too deeply");
      ++lx->i;
      op->kind = Operand::kSub;
      op->sub = std::make_shared<Pipeline>();
      POLICYD_RETURN_IF_ERROR(PipelineAt(lx, line, true, op->sub.get()));
      if (lx->i >= s.size() || s[lx->i] != ')') {
        return TemplateError(line, "unclosed left paren");
      }
      ++lx->i;
      --depth_;
      Fields(lx, op);
      return absl::OkStatus();
    }
    if (c == '"' || c == '`') {
      size_t j = lx->i + 1;
      while (j < s.size() && s[j] != c) j += (c == '"' && s[j] == '\\') ? 2 : 1;
      if (j >= s.size()) return TemplateError(line, "unterminated quoted string");
      std::string_view lit = s.substr(lx->i, j + 1 - lx->i);
      lx->i = j + 1;
      op->kind = Operand::kLiteral;
      if (c == '`') {
        op->literal = Value::String(lit.substr(1, lit.size() - 2));
      } else {
        auto v = ParseJson(lit);
        if (!v.ok()) return TemplateError(line, "bad quoted string");
        op->literal = *v;
      }
      return absl::OkStatus();
    }
    size_t j = lx->i;
    while (j < s.size() && (IsIdentChar(s[j]) || s[j] == '-' || s[j] == '+' ||
                            s[j] == '.')) {
      ++j;
    }
    std::string_view word = s.substr(lx->i, j - lx->i);
    if (word.empty()) {
      return TemplateError(line, Concat("unexpected \"", s.substr(lx->i, 1),
                                        "\" in command"));
    }
    lx->i = j;
    if (word == "true" || word == "false") {
      op->kind = Operand::kLiteral;
      op->literal = Value::Bool(word == "true");
    } else if (word == "nil") {
      op->kind = Operand::kNil;
    } else if (std::optional<Value> n = Value::NumberFromText(word)) {
      op->kind = Operand::kLiteral;
      op->literal = *n;
    } else if (std::isalpha(static_cast<unsigned char>(word[0]))) {
      op->kind = Operand::kFunc;
      op->name = std::string(word);
    } else {
      return TemplateError(line, Concat("bad number syntax: \"", word, "\""));
    }
    return absl::OkStatus();
  }

  static constexpr int kMaxDepth = 256;
  std::string_view src_;
  size_t pos_ = 0;
  int line_ = 1;
  int depth_ = 0;
  std::string_view else_rest_;
};

// ---- execution ---------------------------------------------------------------

// nullopt is Go's "no value" (a missing map key).
using Val = std::optional<Value>;

bool Truth(const Val& v) {
  if (!v.has_value()) return false;
  switch (v->kind()) {
    case Kind::kNull: return false;
    case Kind::kBoolean: return v->boolean();
    case Kind::kNumber: return v->AsDouble() != 0;
    case Kind::kString: return !v->string().empty();
    default: return v->size() > 0;
  }
}

// Go's fmt %v of the JSON-decoded value.
void Print(const Val& v, std::string* out) {
  if (!v.has_value()) {
    out->append("<no value>");
    return;
  }
  switch (v->kind()) {
    case Kind::kNull: out->append("<nil>"); return;
    case Kind::kBoolean: out->append(v->boolean() ? "true" : "false"); return;
    case Kind::kNumber: out->append(v->NumberText()); return;
    case Kind::kString: out->append(v->string()); return;
    case Kind::kArray:
    case Kind::kSet: {
      out->push_back('[');
      bool first = true;
      for (const Value& e : v->elements()) {
        if (!first) out->push_back(' ');
        first = false;
        Print(e, out);
      }
      out->push_back(']');
      return;
    }
    case Kind::kObject: {
      out->append("map[");
      bool first = true;
      for (const auto& [k, e] : v->entries()) {
        if (!first) out->push_back(' ');
        first = false;
        Print(k, out);
        out->push_back(':');
        Print(e, out);
      }
      out->push_back(']');
      return;
    }
  }
}

class Executor {
 public:
  explicit Executor(const Value& data) { vars_.emplace_back("$", data); }

  absl::Status Run(const std::vector<Node>& nodes, const Val& dot,
                   std::string* out) {
    for (const Node& n : nodes) {
      size_t mark = vars_.size();
      POLICYD_RETURN_IF_ERROR(RunNode(n, dot, out));
      if (n.kind != Node::kAction) vars_.resize(mark);
    }
    return absl::OkStatus();
  }

 private:
  absl::Status RunNode(const Node& n, const Val& dot, std::string* out) {
    line_ = n.line;
    switch (n.kind) {
      case Node::kText:
        out->append(n.text);
        return absl::OkStatus();
      case Node::kAction: {
        POLICYD_ASSIGN_OR_RETURN(Val v, EvalPipeline(n.pipe, dot));
        if (n.pipe.decls.empty()) Print(v, out);
        return absl::OkStatus();
      }
      case Node::kIf:
      case Node::kWith: {
        size_t mark = vars_.size();
        POLICYD_ASSIGN_OR_RETURN(Val v, EvalPipeline(n.pipe, dot));
        absl::Status s = Truth(v) ? Run(n.body, n.kind == Node::kWith ? v : dot, out)
                                  : Run(n.else_body, dot, out);
        vars_.resize(mark);
        return s;
      }
      case Node::kRange:
        return RunRange(n, dot, out);
    }
    return absl::OkStatus();
  }

  absl::Status RunRange(const Node& n, const Val& dot, std::string* out) {
    Pipeline pipe = n.pipe;
    std::vector<std::string> decls = std::move(pipe.decls);
    pipe.decls.clear();
    POLICYD_ASSIGN_OR_RETURN(Val v, EvalPipeline(pipe, dot));
    auto iterate = [&](const Value& key, const Value& elem) -> absl::Status {
      size_t mark = vars_.size();
      if (decls.size() == 1) vars_.emplace_back(decls[0], elem);
      if (decls.size() == 2) {
        vars_.emplace_back(decls[0], key);
        vars_.emplace_back(decls[1], elem);
      }
      absl::Status s = Run(n.body, elem, out);
      vars_.resize(mark);
      return s;
    };
    if (!v.has_value() || v->is_null() || (v->is_collection() && v->size() == 0)) {
      return Run(n.else_body, dot, out);
    }
    if (v->is_array() || v->is_set()) {
      int64_t i = 0;
      for (const Value& e : v->elements()) {
        POLICYD_RETURN_IF_ERROR(iterate(Value::Int(i++), e));
      }
      return absl::OkStatus();
    }
    if (v->is_object()) {
      for (const auto& [k, e] : v->entries()) {
        POLICYD_RETURN_IF_ERROR(iterate(k, e));
      }
      return absl::OkStatus();
    }
    std::string shown;
    Print(v, &shown);
    return Error(Concat("range can't iterate over ", shown));
  }

  absl::Status Error(std::string_view what) const {
    return TemplateError(line_, what);
  }

  absl::StatusOr<Val> EvalPipeline(const Pipeline& p, const Val& dot) {
    Val result;
    bool have = false;
    for (const Command& c : p.cmds) {
      POLICYD_ASSIGN_OR_RETURN(result, EvalCommand(c, dot, have ? &result : nullptr));
      have = true;
    }
    for (const std::string& name : p.decls) {
      if (p.assign) {
        bool found = false;
        for (auto it = vars_.rbegin(); it != vars_.rend(); ++it) {
          if (it->first == name) {
            it->second = result;
            found = true;
            break;
          }
        }
        if (!found) return Error(Concat("undefined variable: ", name));
      } else {
        vars_.emplace_back(name, result);
      }
    }
    return result;
  }

  absl::StatusOr<Val> Field(Val v, const std::vector<std::string>& fields) {
    for (const std::string& f : fields) {
      if (!v.has_value() || v->is_null()) {
        return Error(Concat("nil pointer evaluating interface {}.", f));
      }
      if (!v->is_object()) {
        return Error(Concat("can't evaluate field ", f, " in type ",
                            KindName(v->kind())));
      }
      const Value* e = v->Find(std::string_view(f));
      v = e == nullptr ? Val() : Val(*e);
    }
    return v;
  }

  absl::StatusOr<Val> EvalOperand(const Operand& op, const Val& dot) {
    switch (op.kind) {
      case Operand::kDot:
        return Field(dot, op.fields);
      case Operand::kVar:
        for (auto it = vars_.rbegin(); it != vars_.rend(); ++it) {
          if (it->first == op.name) return Field(it->second, op.fields);
        }
        return Error(Concat("undefined variable: ", op.name));
      case Operand::kLiteral:
        return Val(op.literal);
      case Operand::kNil:
        return Val(Value());
      case Operand::kSub: {
        POLICYD_ASSIGN_OR_RETURN(Val v, EvalPipeline(*op.sub, dot));
        return Field(v, op.fields);
      }
      case Operand::kFunc:
        return Call(op.name, {}, dot);
    }
    return Val();
  }

  absl::StatusOr<Val> EvalCommand(const Command& c, const Val& dot,
                                  const Val* piped) {
    const Operand& head = c.args[0];
    if (head.kind != Operand::kFunc) {
      if (c.args.size() > 1 || piped != nullptr) {
        return Error("can't give argument to non-function");
      }
      return EvalOperand(head, dot);
    }
    std::vector<Val> args;
    for (size_t i = 1; i < c.args.size(); ++i) {
      POLICYD_ASSIGN_OR_RETURN(Val v, EvalOperand(c.args[i], dot));
      args.push_back(std::move(v));
    }
    if (piped != nullptr) args.push_back(*piped);
    return Call(head.name, args, dot);
  }

  absl::StatusOr<Val> Call(const std::string& fn, const std::vector<Val>& args,
                           const Val& dot) {
    auto want = [&](size_t n) -> absl::Status {
      if (args.size() == n) return absl::OkStatus();
      return Error(Concat("wrong number of args for ", fn, ": want ",
                          static_cast<int64_t>(n), " got ",
                          static_cast<int64_t>(args.size())));
    };
    if (fn == "and" || fn == "or") {
      if (args.empty()) return Error(Concat("wrong number of args for ", fn));
      for (const Val& a : args) {
        if (Truth(a) == (fn == "or")) return a;
      }
      return args.back();
    }
    if (fn == "not") {
      POLICYD_RETURN_IF_ERROR(want(1));
      return Val(Value::Bool(!Truth(args[0])));
    }
    if (fn == "len") {
      POLICYD_RETURN_IF_ERROR(want(1));
      const Val& a = args[0];
      if (a.has_value() && a->is_string()) {
        return Val(Value::Int(static_cast<int64_t>(a->string().size())));
      }
      if (a.has_value() && a->is_collection()) {
        return Val(Value::Int(static_cast<int64_t>(a->size())));
      }
      return Error("error calling len: len of invalid value");
    }
    if (fn == "index") {
      if (args.empty()) return Error("wrong number of args for index");
      Val v = args[0];
      for (size_t i = 1; i < args.size(); ++i) {
        if (!v.has_value() || !args[i].has_value()) {
          return Error("error calling index: index of untyped nil");
        }
        if (v->is_object()) {
          const Value* e = v->Find(*args[i]);
          v = e == nullptr ? Val() : Val(*e);
        } else if (v->is_array() && args[i]->is_number()) {
          int64_t k;
          const Value* e = args[i]->AsInt64(&k) ? v->At(k) : nullptr;
          if (e == nullptr) return Error("error calling index: index out of range");
          v = *e;
        } else {
          return Error("error calling index: can't index item");
        }
      }
      return v;
    }
    if (fn == "eq" || fn == "ne" || fn == "lt" || fn == "le" || fn == "gt" ||
        fn == "ge") {
      if (args.size() < 2 || (fn != "eq" && args.size() != 2)) {
        return Error(Concat("wrong number of args for ", fn));
      }
      for (const Val& a : args) {
        if (!a.has_value()) {
          return Error(Concat("error calling ", fn,
                              ": incompatible types for comparison"));
        }
      }
      if (fn == "eq") {
        for (size_t i = 1; i < args.size(); ++i) {
          if (*args[0] == *args[i]) return Val(Value::Bool(true));
        }
        return Val(Value::Bool(false));
      }
      int c = args[0]->Compare(*args[1]);
      bool r = fn == "ne" ? c != 0 : fn == "lt" ? c < 0 : fn == "le" ? c <= 0
               : fn == "gt" ? c > 0 : c >= 0;
      return Val(Value::Bool(r));
    }
    if (fn == "print") {
      std::string s;
      for (size_t i = 0; i < args.size(); ++i) {
        bool is_str = args[i].has_value() && args[i]->is_string();
        bool prev_str = i > 0 && args[i - 1].has_value() && args[i - 1]->is_string();
        if (i > 0 && !is_str && !prev_str) s.push_back(' ');
        Print(args[i], &s);
      }
      return Val(Value::String(std::move(s)));
    }
    (void)dot;
    return Error(Concat("function \"", fn, "\" not defined"));
  }

  std::vector<std::pair<std::string, Val>> vars_;
  int line_ = 1;
};

}  // namespace

absl::StatusOr<std::string> RenderGoTemplate(std::string_view templ,
                                             const Value& data) {
  Parser parser(templ);
  POLICYD_ASSIGN_OR_RETURN(std::vector<Node> nodes, parser.Parse());
  Executor exec(data);
  std::string out;
  POLICYD_RETURN_IF_ERROR(exec.Run(nodes, Val(data), &out));
  return out;
}

}  // namespace policyd
