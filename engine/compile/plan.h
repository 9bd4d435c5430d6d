// The lowered plan that the evaluator runs. The compiler resolves every name:
// local variables become slots of a flat frame, references to rules and base
// documents become walks of the rule tree, calls point straight at their
// function or builtin. Bodies are already in a safe evaluation order.
#ifndef POLICYD_ENGINE_COMPILE_PLAN_H_
#define POLICYD_ENGINE_COMPILE_PLAN_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "engine/builtins/builtin.h"
#include "engine/syntax/ast.h"
#include "engine/value/value.h"

namespace policyd::plan {

struct Body;
struct RuleSet;
struct Function;
struct Node;

enum class TermOp {
  kConst,        // `value`
  kVar,          // `slot`
  kInput,        // the input document
  kData,         // the root of data (rule tree `node`)
  kRef,          // items[0] base term (kInput/kData/kVar/any), items[1..] keys
  kArray,        // items
  kSet,          // items
  kObject,       // pairs
  kArrayCompr,   // head, body
  kSetCompr,     // head, body
  kObjectCompr,  // key, head, body
  kCall,         // items = arguments; `function` or `builtin`
  kTemplate,     // items: constant strings and embedded terms, in order
  kPrint,        // items: print(...) arguments
};

struct Term {
  TermOp op = TermOp::kConst;
  ast::Location loc;
  Value value;
  int slot = -1;
  std::vector<Term> items;
  std::vector<std::pair<Term, Term>> pairs;
  std::shared_ptr<Term> key, head;
  std::shared_ptr<Body> body;
  // kRef into data: the rule-tree node reached by the constant keys
  // items[1..node_depth) (evaluation starts there).
  const Node* node = nullptr;
  int node_depth = 1;
  // kRef into data: items[node_depth] names no rule below `node`, so the
  // rest of the ref reads base data only.
  bool leaves_tree = false;
  // kRef: its base and keys are constants, vars, input or base data, so
  // the evaluator may resolve it directly (when its vars are bound).
  bool simple_shape = false;
  const Function* function = nullptr;
  const Builtin* builtin = nullptr;
  // The name called (for `with` on functions and builtins, and messages).
  std::string call_name;
  // kCall: the order to evaluate arguments in, when not left to right.
  std::vector<int> eval_order;
  // kCall of a builtin the evaluator computes inline (no dispatch).
  enum class FastOp : uint8_t {
    kNone, kEqual, kNotEqual, kLess, kLessEqual, kGreater, kGreaterEqual, kMember
  } fast_op = FastOp::kNone;
  // True when the term mentions no variable and no input/data: its value
  // never changes.
  bool ground = false;
};

struct With {
  ast::Location loc;
  enum Target { kInput, kData, kFunction } target = kInput;
  std::vector<std::string> path;  // below input/data
  std::string function_name;      // kFunction: the function or builtin
  // kFunction: the replacement, when it is a function or builtin rather
  // than a value.
  const Function* replacement_function = nullptr;
  const Builtin* replacement_builtin = nullptr;
  Term value;
};

enum class ExprOp {
  kTerm,    // `a`: true unless undefined or false
  kUnify,   // a = b (also :=)
  kSomeIn,  // some [key,] value in collection; key/value are patterns
  kEvery,   // every [key,] value in collection { body }
};

struct Expr {
  ExprOp op = ExprOp::kTerm;
  ast::Location loc;
  bool negated = false;
  Term a, b;                          // kTerm: a; kUnify: a = b
  std::shared_ptr<Term> key, value;   // kSomeIn, kEvery
  Term collection;                    // kSomeIn, kEvery
  std::shared_ptr<Body> body;         // kEvery
  std::vector<With> withs;
  // Queries: the slot that keeps a kTerm expression's value for results,
  // and whether a false value is a result rather than a failure.
  int result_slot = -1;
  bool keep_false = false;
};

struct Body {
  std::vector<Expr> exprs;
};

// One rule definition (or one link of an else chain).
struct Rule {
  ast::Location loc;
  std::string file;
  bool is_default = false;
  Body body;
  int num_slots = 0;
  // Object-producing rules: the key terms after the rule set's path
  // (`p[x].y := v` at node p: [x, "y"]).
  std::vector<Term> key_path;
  // `p[x] contains y`: the object's leaves are sets of `key` values.
  bool set_leaf = false;
  Term key;    // partial set member
  Term value;  // head value (true when the source gives none)
  // Functions: parameter patterns.
  std::vector<Term> params;
  std::unique_ptr<Rule> else_rule;
  // The head value is the same for every solution of the body.
  bool constant_value = false;
};

// Rules found by hashing instead of trying each (OPA's rule index): the
// rules whose bodies require `key == constant` are filed under the constant;
// the others are always tried.
struct RuleIndex {
  Term key;  // a ref over input or base data with constant keys
  absl::flat_hash_map<Value, std::vector<int>, ValueHash> by_value;
  std::vector<int> unconditional;
};

struct RuleSet {
  enum Kind { kComplete, kPartialSet, kObject } kind = kComplete;
  std::string path;  // "data.a.b", for messages
  std::vector<std::unique_ptr<Rule>> rules;
  std::unique_ptr<Rule> default_rule;
  std::unique_ptr<RuleIndex> index;  // null when not worth it
};

struct Function {
  std::string name;  // "data.pkg.f"
  int arity = 0;
  std::vector<std::unique_ptr<Rule>> rules;
  std::unique_ptr<Rule> default_rule;  // used when no rule gives a value
};

// The rule tree: one node per path under data that rules define.
struct Node {
  std::string path;                    // "data.a.b"
  std::vector<std::string> key_path;   // ["a", "b"]
  std::map<std::string, std::unique_ptr<Node>> children;
  std::unique_ptr<RuleSet> rules;      // rules whose path is this node
  std::unique_ptr<Function> function;  // a function named by this path
  bool has_rules_below = false;        // rules here or in a descendant
  bool is_package = false;             // a package: defined even if empty
};

struct Query {
  Body body;
  int num_slots = 0;
  std::vector<std::pair<std::string, int>> bindings;  // name -> slot, sorted
  std::vector<std::string> texts;  // per expression, in evaluation order
};

}  // namespace policyd::plan

#endif  // POLICYD_ENGINE_COMPILE_PLAN_H_
