// The lowered plan that the evaluator runs. The compiler resolves every name:
// local variables become slots of a flat frame, references to rules and base
// documents become walks of the rule tree, calls point straight at their
// function or builtin. Bodies are already in a safe evaluation order.
#ifndef POLICYD_ENGINE_COMPILE_PLAN_H_
#define POLICYD_ENGINE_COMPILE_PLAN_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "engine/builtins/builtin.h"
#include "engine/compile/plan_arena.h"
#include "engine/compile/tight_vector.h"
#include "engine/syntax/ast.h"
#include "engine/value/value.h"

namespace policyd::plan {

struct Body;
struct RuleSet;
struct Function;
struct Node;

enum class TermOp : uint8_t {
  kConst,        // `value`
  kVar,          // `slot`
  kInput,        // the input document
  kData,         // the root of data (rule tree `node`)
  kRef,          // items[0] base term (kInput/kData/kVar/any), items[1..] keys
  kArray,        // items
  kSet,          // items
  kObject,       // pairs()
  kArrayCompr,   // head(), body()
  kSetCompr,     // head(), body()
  kObjectCompr,  // key(), head(), body()
  kCall,         // items = arguments; `function` or `builtin`
  kTemplate,     // items: constant strings and embedded terms, in order
  kPrint,        // items: print(...) arguments
};

// An optional T kept out of line that copies deeply. Plan nodes keep their
// rarely used parts in one, so that the common case costs a pointer: a
// compiled policy set holds hundreds of thousands of terms. MoveInto places
// the T in a PlanArena for good; the Boxed still destroys it.
template <typename T>
class Boxed {
 public:
  Boxed() = default;
  explicit Boxed(T value) : p_(reinterpret_cast<uintptr_t>(new T(std::move(value)))) {}
  // A T made in `arena` (on the heap when it is null).
  template <typename... Args>
  static Boxed InArena(PlanArena* arena, Args&&... args) {
    Boxed boxed;
    if (arena == nullptr) {
      boxed.p_ = reinterpret_cast<uintptr_t>(new T(std::forward<Args>(args)...));
    } else {
      T* placed = new (arena->Allocate(sizeof(T), alignof(T))) T(std::forward<Args>(args)...);
      boxed.p_ = reinterpret_cast<uintptr_t>(placed) | kInArena;
    }
    return boxed;
  }
  Boxed(const Boxed& other) : p_(other.get() ? reinterpret_cast<uintptr_t>(new T(*other.get())) : 0) {}
  Boxed(Boxed&& other) noexcept : p_(std::exchange(other.p_, 0)) {}
  Boxed& operator=(const Boxed& other) {
    if (this != &other) *this = Boxed(other);
    return *this;
  }
  Boxed& operator=(Boxed&& other) noexcept {
    if (this != &other) {
      Reset();
      p_ = std::exchange(other.p_, 0);
    }
    return *this;
  }
  ~Boxed() { Reset(); }

  const T* get() const { return reinterpret_cast<const T*>(p_ & ~kInArena); }
  T* get() { return reinterpret_cast<T*>(p_ & ~kInArena); }
  explicit operator bool() const { return p_ != 0; }
  const T& operator*() const { return *get(); }
  T& operator*() { return *get(); }
  const T* operator->() const { return get(); }
  T* operator->() { return get(); }
  // The parts, made (empty) when there are none yet.
  T& Mutable() {
    if (p_ == 0) p_ = reinterpret_cast<uintptr_t>(new T());
    return *get();
  }
  void MoveInto(PlanArena& arena) {
    static_assert(alignof(T) > 1, "the low bit of the pointer marks arena memory");
    if (p_ == 0 || (p_ & kInArena) != 0) return;
    T* heap = get();
    T* placed = new (arena.Allocate(sizeof(T), alignof(T))) T(std::move(*heap));
    delete heap;
    p_ = reinterpret_cast<uintptr_t>(placed) | kInArena;
  }

 private:
  static constexpr uintptr_t kInArena = 1;
  void Reset() {
    if (T* p = get()) {
      if ((p_ & kInArena) != 0) {
        p->~T();
      } else {
        delete p;
      }
    }
    p_ = 0;
  }
  uintptr_t p_ = 0;
};

struct TermParts;

// A source position in four bytes (a plan holds one per term): lines past
// 2^20 - 1 and columns past 2^12 - 1 are kept as those maxima, so a message
// about such a place names the last line or column that fits.
struct Location {
  static constexpr uint32_t kMaxLine = (1u << 20) - 1;
  static constexpr uint32_t kMaxCol = (1u << 12) - 1;
  Location() = default;
  Location(const ast::Location& loc)  // NOLINT: implicit, as plain data
      : line(Clamp(loc.line, kMaxLine)), col(Clamp(loc.col, kMaxCol)) {}
  operator ast::Location() const {  // NOLINT
    return {static_cast<int>(line), static_cast<int>(col)};
  }
  uint32_t line : 20 = 0;
  uint32_t col : 12 = 0;

 private:
  static uint32_t Clamp(int v, uint32_t max) {
    return v < 0 ? 0 : static_cast<uint32_t>(v) > max ? max : static_cast<uint32_t>(v);
  }
};
static_assert(sizeof(Location) == 4);

// Fields are ordered to pack into 64 bytes on 64-bit targets (it was 96
// with a location of two ints, separate node, function and builtin
// pointers and a std::vector of items): a compiled policy set holds
// hundreds of thousands of terms.
struct Term {
  TermOp op = TermOp::kConst;
  // kCall of a builtin the evaluator computes inline (no dispatch).
  enum class FastOp : uint8_t {
    kNone, kEqual, kNotEqual, kLess, kLessEqual, kGreater, kGreaterEqual, kMember
  } fast_op = FastOp::kNone;
  // kRef into data: items[node_depth] names no rule below `node`, so the
  // rest of the ref reads base data only.
  bool leaves_tree = false;
  // kRef: its base and keys are constants, vars, input or base data, so
  // the evaluator may resolve it directly (when its vars are bound).
  bool simple_shape = false;
  // True when the term mentions no variable and no input/data: its value
  // never changes.
  bool ground = false;

 private:
  // Which of node(), function() and builtin() target_ is (at most one).
  enum class Target : uint8_t { kNone, kNode, kFunction, kBuiltin } target_kind_ = Target::kNone;

 public:
  // kRef into data: the rule-tree node reached by the constant keys
  // items[1..node_depth) (evaluation starts there). The lowering stops at
  // kMaxNodeDepth keys; the evaluator walks the rest.
  static constexpr int kMaxNodeDepth = UINT16_MAX;
  uint16_t node_depth = 1;
  int slot = -1;
  Location loc;
  Value value;
  TightVector<Term> items;

 private:
  const void* target_ = nullptr;

 public:
  // Objects, comprehensions and calls with an argument order of their own.
  Boxed<TermParts> parts;

  // kRef, kData: the rule-tree node (null when none).
  const Node* node() const {
    return target_kind_ == Target::kNode ? static_cast<const Node*>(target_) : nullptr;
  }
  // kCall: what is called, a function or a builtin (the other is null). Its
  // name (for `with` on functions and builtins, and messages) is CallName().
  const Function* function() const {
    return target_kind_ == Target::kFunction ? static_cast<const Function*>(target_) : nullptr;
  }
  const Builtin* builtin() const {
    return target_kind_ == Target::kBuiltin ? static_cast<const Builtin*>(target_) : nullptr;
  }
  void set_node(const Node* n) { Set(Target::kNode, n); }
  void set_function(const Function* f) { Set(Target::kFunction, f); }
  void set_builtin(const Builtin* b) { Set(Target::kBuiltin, b); }


  // kObject: key and value terms.
  const TightVector<std::pair<Term, Term>>& pairs() const;
  // Comprehensions: the key (objects only), the head and the body.
  const Term* key() const;
  const Term* head() const;
  const Body* body() const;
  // kCall: the order to evaluate arguments in; empty for left to right.
  const TightVector<int>& eval_order() const;
  const std::string& CallName() const;

 private:
  void Set(Target kind, const void* target) {
    target_kind_ = target != nullptr ? kind : Target::kNone;
    target_ = target;
  }
};
static_assert(sizeof(Term) == 64, "plan::Term grew: a policy set holds ~300 per module");

struct TermParts {
  TightVector<std::pair<Term, Term>> pairs;
  Boxed<Term> key, head;
  Boxed<Body> body;
  TightVector<int> eval_order;
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

enum class ExprOp : uint8_t {
  kTerm,    // `a`: true unless undefined or false
  kUnify,   // a = b (also :=)
  kSomeIn,  // some [key,] value in collection; key/value are patterns
  kEvery,   // every [key,] value in collection { body }
};

struct ExprParts;

struct Expr {
  ExprOp op = ExprOp::kTerm;
  bool negated = false;
  // Queries: whether a false value is a result rather than a failure, and
  // the slot that keeps a kTerm expression's value for results.
  bool keep_false = false;
  int result_slot = -1;
  ast::Location loc;
  Term a, b;                          // kTerm: a; kUnify: a = b
  std::vector<With> withs;
  Boxed<ExprParts> parts;             // kSomeIn, kEvery

  // kSomeIn, kEvery: the key pattern (may be null), the value pattern, the
  // collection; kEvery: the body.
  const Term* key() const;
  const Term* value() const;
  const Term& collection() const;
  const Body* body() const;
};

struct Body {
  TightVector<Expr> exprs;
};

struct ExprParts {
  Boxed<Term> key, value;
  Term collection;
  Boxed<Body> body;
};

// One rule definition (or one link of an else chain).
struct Rule {
  ast::Location loc;
  // The module's file name, kept by the compiled module set ("" if none).
  const std::string* file = nullptr;
  const std::string& file_name() const;
  bool is_default = false;
  Body body;
  int num_slots = 0;
  // Object-producing rules: the key terms after the rule set's path
  // (`p[x].y := v` at node p: [x, "y"]).
  TightVector<Term> key_path;
  // `p[x] contains y`: the object's leaves are sets of `key` values.
  bool set_leaf = false;
  Term key;    // partial set member
  Term value;  // head value (true when the source gives none)
  // Functions: parameter patterns.
  TightVector<Term> params;
  Boxed<Rule> else_rule;
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
  TightVector<Boxed<Rule>> rules;
  Boxed<Rule> default_rule;
  std::unique_ptr<RuleIndex> index;  // null when not worth it
};

struct Function {
  std::string name;  // "data.pkg.f"
  int arity = 0;
  TightVector<Boxed<Rule>> rules;
  Boxed<Rule> default_rule;  // used when no rule gives a value
};

// What the accessors return for parts a term or expression does not have.
namespace parts_internal {
inline const TightVector<std::pair<Term, Term>> kNoPairs;
inline const TightVector<int> kNoOrder;
inline const std::string kNoName;
inline const Term kNoTerm;
}  // namespace parts_internal

inline const TightVector<std::pair<Term, Term>>& Term::pairs() const {
  return parts.get() ? parts.get()->pairs : parts_internal::kNoPairs;
}
inline const Term* Term::key() const { return parts.get() ? parts.get()->key.get() : nullptr; }
inline const Term* Term::head() const { return parts.get() ? parts.get()->head.get() : nullptr; }
inline const Body* Term::body() const { return parts.get() ? parts.get()->body.get() : nullptr; }
inline const TightVector<int>& Term::eval_order() const {
  return parts.get() ? parts.get()->eval_order : parts_internal::kNoOrder;
}
inline const std::string& Term::CallName() const {
  if (const Function* f = function()) return f->name;
  if (const Builtin* b = builtin()) return b->name;
  return parts_internal::kNoName;
}
inline const std::string& Rule::file_name() const {
  return file != nullptr ? *file : parts_internal::kNoName;
}
inline const Term* Expr::key() const { return parts.get() ? parts.get()->key.get() : nullptr; }
inline const Term* Expr::value() const {
  return parts.get() ? parts.get()->value.get() : nullptr;
}
inline const Term& Expr::collection() const {
  return parts.get() ? parts.get()->collection : parts_internal::kNoTerm;
}
inline const Body* Expr::body() const { return parts.get() ? parts.get()->body.get() : nullptr; }

// The rule tree: one node per path under data that rules define. Nodes are
// made in the compiled module set's arena with their paths, keys and
// children's index (the plan's terms point at them, so they never move).
struct Node {
  explicit Node(PlanArena* arena = nullptr) : children(ChildAllocator(arena)) {}
  using ChildAllocator = ArenaAllocator<std::pair<const std::string_view, Boxed<Node>>>;

  std::string_view path;                    // "data.a.b"
  TightVector<std::string_view> key_path;   // ["a", "b"]
  std::map<std::string_view, Boxed<Node>, std::less<>, ChildAllocator> children;
  Boxed<RuleSet> rules;                     // rules whose path is this node
  Boxed<Function> function;                 // a function named by this path
  bool has_rules_below = false;             // rules here or in a descendant
  bool is_package = false;                  // a package: defined even if empty
};

struct Query {
  Body body;
  int num_slots = 0;
  std::vector<std::pair<std::string, int>> bindings;  // name -> slot, sorted
  std::vector<std::string> texts;  // per expression, in evaluation order
};

}  // namespace policyd::plan

#endif  // POLICYD_ENGINE_COMPILE_PLAN_H_
