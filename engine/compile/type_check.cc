#include "engine/compile/type_check.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/builtins/builtin.h"
#include "engine/errors.h"

namespace policyd::compile {
namespace {

using plan::TermOp;

// A type is the set of kinds a term can have, as KindBit()s; kAny when
// nothing is known.
using Type = uint8_t;
constexpr Type kAny = 0x7f;
constexpr Type kBool = KindBit(Kind::kBoolean);
constexpr Type kNumber = KindBit(Kind::kNumber);
constexpr Type kString = KindBit(Kind::kString);
constexpr Type kArray = KindBit(Kind::kArray);
constexpr Type kObject = KindBit(Kind::kObject);
constexpr Type kSet = KindBit(Kind::kSet);
constexpr Type kComposite = kArray | kObject | kSet;

// Result kinds of the builtins whose results the checker follows (OPA's
// declarations); every other builtin's result is any.
Type BuiltinResult(const std::string& name) {
  static const absl::flat_hash_map<std::string, Type> kResults = {
      {"equal", kBool}, {"neq", kBool}, {"lt", kBool}, {"lte", kBool},
      {"gt", kBool}, {"gte", kBool}, {"internal.member_2", kBool},
      {"internal.member_3", kBool}, {"startswith", kBool}, {"endswith", kBool},
      {"contains", kBool}, {"regex.match", kBool}, {"plus", kNumber},
      {"minus", kNumber | kSet}, {"mul", kNumber}, {"div", kNumber},
      {"rem", kNumber}, {"abs", kNumber}, {"round", kNumber}, {"ceil", kNumber},
      {"floor", kNumber}, {"count", kNumber}, {"sum", kNumber},
      {"product", kNumber}, {"to_number", kNumber}, {"indexof", kNumber},
      {"concat", kString}, {"lower", kString}, {"upper", kString},
      {"sprintf", kString}, {"replace", kString}, {"substring", kString},
      {"trim", kString}, {"trim_left", kString}, {"trim_right", kString},
      {"trim_prefix", kString}, {"trim_suffix", kString},
      {"trim_space", kString}, {"strings.reverse", kString},
      {"strings.replace_n", kString}, {"format_int", kString},
      {"json.marshal", kString}, {"type_name", kString}, {"split", kArray},
      {"sort", kArray}, {"numbers.range", kArray}, {"array.concat", kArray},
      {"array.slice", kArray}, {"array.reverse", kArray},
      {"object.keys", kSet}, {"object.union", kObject}, {"and", kSet},
      {"or", kSet},
  };
  auto it = kResults.find(name);
  return it == kResults.end() ? kAny : it->second;
}

std::string TypeName(Type t) {
  std::vector<std::string> names;
  for (int k = 0; k <= static_cast<int>(Kind::kSet); ++k) {
    if (t & (1u << k)) names.emplace_back(KindName(static_cast<Kind>(k)));
  }
  return absl::StrJoin(names, "|");
}

class Checker {
 public:
  Checker() : stack_start_(StackAddress()) {}

  absl::Status CheckNode(const plan::Node& node) {
    if (node.rules) {
      for (const auto& r : node.rules->rules) CheckRuleChain(*r);
      if (node.rules->default_rule) CheckRuleChain(*node.rules->default_rule);
    }
    if (node.function) {
      for (const auto& r : node.function->rules) CheckRuleChain(*r);
      if (node.function->default_rule) CheckRuleChain(*node.function->default_rule);
    }
    for (const auto& [k, child] : node.children) {
      if (!error_.ok()) break;
      if (absl::Status s = CheckNode(*child); !s.ok()) return s;
    }
    return error_;
  }

  absl::Status CheckQuery(const plan::Query& query) {
    file_ = &kNoFile;
    Slots slots(query.num_slots, 0);
    Body(query.body, slots, /*report=*/true);
    return error_;
  }

 private:
  // Per frame slot, the kinds its bindings can have (0: not bound yet).
  using Slots = std::vector<Type>;

  void CheckRuleChain(const plan::Rule& rule) {
    for (const plan::Rule* link = &rule; link && error_.ok(); link = link->else_rule.get()) {
      file_ = &link->file_name();
      Slots slots(link->num_slots, 0);
      RuleValue(*link, slots, /*report=*/true);
    }
  }

  // Infers the slots of `rule` and returns the type of its value.
  Type RuleValue(const plan::Rule& rule, Slots& slots, bool report) {
    for (const plan::Term& p : rule.params) Bind(p, kAny, slots);
    Body(rule.body, slots, report);
    for (const plan::Term& k : rule.key_path) TypeOf(k, slots, report);
    TypeOf(rule.key, slots, report);
    return TypeOf(rule.value, slots, report);
  }

  // The kinds of a rule set's value, from its rules (memoised; any while
  // being computed, so recursion stays gradual).
  Type RuleSetType(const plan::RuleSet& rs) {
    if (rs.kind == plan::RuleSet::kPartialSet) return kSet;
    if (rs.kind == plan::RuleSet::kObject) return kObject;
    return Memoised(rule_types_, &rs, rs.rules, rs.default_rule.get());
  }

  Type FunctionType(const plan::Function& f) {
    return Memoised(function_types_, &f, f.rules, f.default_rule.get());
  }

  // The union of the value types of `rules`, their else links and the
  // default, memoised in `memo` under `key`.
  template <typename Key>
  Type Memoised(std::map<const Key*, Type>& memo, const Key* key,
                const plan::TightVector<plan::Boxed<plan::Rule>>& rules,
                const plan::Rule* default_rule) {
    auto [it, fresh] = memo.try_emplace(key, kAny);
    if (!fresh) return it->second;
    // A chain of rules each defined by the next is as long as the policy
    // makes it: past kMaxDepth the type is left unknown (`any`, which never
    // errs) instead of recursing further. Not memoised, so that the rule
    // gets its real type when it is reached from less deep.
    if (TooDeep()) {
      memo.erase(key);
      return kAny;
    }
    ++depth_;
    Type t = 0;
    auto add = [&](const plan::Rule& first) {
      for (const plan::Rule* link = &first; link; link = link->else_rule.get()) {
        Slots slots(link->num_slots, 0);
        t |= RuleValue(*link, slots, /*report=*/false);
      }
    };
    for (const auto& r : rules) add(*r);
    if (default_rule) add(*default_rule);
    --depth_;
    if (t == 0) t = kAny;
    memo[key] = t;
    return t;
  }

  // Nested rule inferences and terms being typed, bounded by count and by
  // the stack they use: a level is a few frames, about 1 KiB in a release
  // build but 20 KiB under AddressSanitizer, and the checker may run on a
  // thread with a small stack.
  static constexpr int kMaxDepth = 48;
  static constexpr uintptr_t kMaxStackBytes = 96 << 10;
  static uintptr_t StackAddress() {
    return reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  }
  bool TooDeep() const {
    return depth_ >= kMaxDepth || stack_start_ - StackAddress() > kMaxStackBytes;
  }
  const uintptr_t stack_start_;
  int depth_ = 0;

  void Body(const plan::Body& body, Slots& slots, bool report) {
    for (const plan::Expr& e : body.exprs) {
      if (!error_.ok()) return;
      for (const plan::With& w : e.withs) TypeOf(w.value, slots, report);
      switch (e.op) {
        case plan::ExprOp::kTerm:
          TypeOf(e.a, slots, report);
          break;
        case plan::ExprOp::kUnify: {
          Type a = TypeOf(e.a, slots, report);
          Type b = TypeOf(e.b, slots, report);
          if (!e.negated) {
            Bind(e.a, b, slots);
            Bind(e.b, a, slots);
          }
          break;
        }
        case plan::ExprOp::kSomeIn:
        case plan::ExprOp::kEvery: {
          Type c = TypeOf(e.collection(), slots, report);
          // `some x in 5` is refused; `every x in 5` is merely undefined
          // (OPA's conformance cases).
          if (report && e.op == plan::ExprOp::kSomeIn && (c & kComposite) == 0) {
            Fail(e.collection().loc,
                 absl::StrCat("undefined ref: cannot iterate over ", TypeName(c)));
          }
          if (e.key()) Bind(*e.key(), kAny, slots);
          if (e.value()) Bind(*e.value(), kAny, slots);
          if (e.body()) Body(*e.body(), slots, report);
          break;
        }
      }
    }
  }

  // Records that pattern `p` is bound to a value of type `t`.
  void Bind(const plan::Term& p, Type t, Slots& slots) {
    if (p.op == TermOp::kVar) {
      slots[p.slot] |= t;
    } else if (p.op == TermOp::kArray || p.op == TermOp::kSet) {
      for (const plan::Term& i : p.items) Bind(i, kAny, slots);
    } else if (p.op == TermOp::kObject) {
      for (const auto& [k, v] : p.pairs()) Bind(v, kAny, slots);
    } else if (p.op == TermOp::kRef) {
      for (size_t i = 1; i < p.items.size(); ++i) Bind(p.items[i], kAny, slots);
    }
  }

  Type TypeOf(const plan::Term& t, Slots& slots, bool report) {
    if (!error_.ok()) return kAny;
    // Terms nest as deep as the parser allows and rule types are inferred
    // through chains of rules: past kMaxDepth the type is left unknown
    // (`any`, which never errs) rather than using more stack.
    if (TooDeep()) return kAny;
    ++depth_;
    Type type = TermType(t, slots, report);
    --depth_;
    return type;
  }

  Type TermType(const plan::Term& t, Slots& slots, bool report) {
    switch (t.op) {
      case TermOp::kConst:
        return KindBit(t.value.kind());
      case TermOp::kVar:
        return t.slot >= 0 && slots[t.slot] != 0 ? slots[t.slot] : kAny;
      case TermOp::kInput:
      case TermOp::kData:
        return kAny;
      case TermOp::kRef:
        return RefType(t, slots, report);
      case TermOp::kArray:
      case TermOp::kSet:
        for (const plan::Term& i : t.items) TypeOf(i, slots, report);
        return t.op == TermOp::kArray ? kArray : kSet;
      case TermOp::kObject:
        for (const auto& [k, v] : t.pairs()) {
          TypeOf(k, slots, report);
          TypeOf(v, slots, report);
        }
        return kObject;
      case TermOp::kArrayCompr:
      case TermOp::kSetCompr:
      case TermOp::kObjectCompr:
        Body(*t.body(), slots, report);
        if (t.key()) TypeOf(*t.key(), slots, report);
        TypeOf(*t.head(), slots, report);
        return t.op == TermOp::kArrayCompr ? kArray
               : t.op == TermOp::kSetCompr ? kSet
                                           : kObject;
      case TermOp::kTemplate:
        for (const plan::Term& i : t.items) TypeOf(i, slots, report);
        return kString;
      case TermOp::kPrint:
        for (const plan::Term& i : t.items) TypeOf(i, slots, report);
        return kBool;
      case TermOp::kCall:
        return CallType(t, slots, report);
    }
    return kAny;
  }

  Type CallType(const plan::Term& t, Slots& slots, bool report) {
    std::vector<Type> args;
    for (const plan::Term& a : t.items) args.push_back(TypeOf(a, slots, report));
    if (t.function()) return FunctionType(*t.function());
    if (!t.builtin()) return kAny;
    const Builtin& b = *t.builtin();
    for (size_t i = 0; report && i < b.operand_kinds.size() && i < args.size(); ++i) {
      if ((b.operand_kinds[i] & args[i]) == 0) {
        Fail(t.loc, absl::StrCat(b.name, ": invalid argument(s): operand ", i + 1,
                                 " cannot be ", TypeName(args[i])));
        return kAny;
      }
    }
    return BuiltinResult(b.name);
  }

  Type RefType(const plan::Term& t, Slots& slots, bool report) {
    for (size_t i = 1; i < t.items.size(); ++i) TypeOf(t.items[i], slots, report);
    const plan::Term& base = t.items[0];
    if (base.op != TermOp::kData) {
      TypeOf(base, slots, report);
      return kAny;
    }
    const plan::Node* node = t.node();
    if (node == nullptr || t.leaves_tree || !node->rules ||
        node->rules->kind != plan::RuleSet::kComplete) {
      return kAny;
    }
    Type value = RuleSetType(*node->rules);
    if (t.node_depth >= static_cast<int>(t.items.size())) return value;
    if (report && (value & kComposite) == 0) {
      Fail(t.loc, absl::StrCat("undefined ref: ", std::string(node->path), " is ", TypeName(value),
                               ", it has no field ",
                               t.items[t.node_depth].op == TermOp::kConst
                                   ? t.items[t.node_depth].value.ToJson()
                                   : std::string("[...]")));
    }
    return kAny;
  }

  void Fail(ast::Location loc, std::string message) {
    if (error_.ok()) error_ = MakeError(kRegoTypeError, *file_, loc.line, loc.col, message);
  }

  const std::string kNoFile;
  const std::string* file_ = &kNoFile;
  absl::Status error_;
  std::map<const plan::RuleSet*, Type> rule_types_;
  std::map<const plan::Function*, Type> function_types_;
};

}  // namespace

absl::Status CheckTypes(const plan::Node& root) { return Checker().CheckNode(root); }

absl::Status CheckQueryTypes(const plan::Query& query) {
  return Checker().CheckQuery(query);
}

}  // namespace policyd::compile
