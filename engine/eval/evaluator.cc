// The evaluator's contract.
//
// Evaluation is a depth-first search written in continuation-passing style.
// Every Eval*/Unify*/Call function takes the rest of the work as a
// continuation `k` and calls it once per solution it finds:
//
//  - `k` returns true to ask for more solutions and false to stop; a
//    function returns false exactly when some `k` it called returned false
//    or an error was recorded (then the whole search unwinds at once), and
//    true when its solutions are exhausted. Undefined is "no call of k",
//    never an error.
//  - Backtracking is the return from `k`: a function that binds a frame
//    slot (UnifyValue) calls `k` with the slot bound and unbinds it after
//    `k` returns, so on every return the frame is as it was on entry.
//    Iteration (`some x in xs`, refs with variable keys, partial rules) is
//    a loop that calls `k` per member.
//  - A body runs its expressions in the order the compiler chose
//    (EvalBody(i) continues with EvalBody(i + 1)); `not e` runs `e` with a
//    continuation that stops at the first solution and continues with `k`
//    only when there was none. Comprehensions and rule values collect all
//    solutions of their body with a continuation that returns true.
//  - Frames are per rule, function or query call; bindings never leak out
//    of the body that made them. Values that `k` receives are only valid
//    during the call of `k` unless copied.
//  - Errors go to `error_` through Fail() (the first one wins) and stop the
//    search; builtin errors make the call undefined and are reported at the
//    end in strict mode. Step() counts work for the step budget and checks
//    the deadline every 1024 steps.
//  - The values of rule-tree nodes (rules) are memoised per query
//    (`cache_`); `with` saves and restores the memo and the overrides for
//    the scope of its expression.
//  - With an EvalTracer in the options, each expression goes through
//    EvalExprTraced (Eval, then Fail when it gave no solution), rule bodies
//    report Enter/Exit and trace() calls report a Note; without one, the
//    only cost is the pointer tests in EvalBody.
//  - Conditions decided inline (Decide) run in EvalBody's loop; only other
//    expressions and rule evaluations nest, and StackLeft fails the
//    decision (eval_limit_error) before the thread's stack runs out.

#include "engine/eval/evaluator.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/base/optimization.h"
#include "absl/container/fixed_array.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/functional/function_ref.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/types/span.h"
#include "engine/builtins/builtin.h"
#include "engine/errors.h"
#include "engine/eval/stack_limit.h"

namespace policyd::eval {
namespace {

using plan::ExprOp;
using plan::TermOp;

// The local variables of one rule, function or query evaluation. Fixed
// arrays: slots are read on every variable access, and their data pointer
// is fixed (an inlined vector asks on each access where its data is).
struct Frame {
  explicit Frame(int n) : values(n), bound(n, false) {}
  absl::FixedArray<Value, 16> values;
  absl::FixedArray<bool, 16> bound;
};

using Cont = absl::FunctionRef<bool()>;
// Call arguments: most calls take few, so they stay off the heap.
using Args = absl::InlinedVector<Value, 4>;
using ValueCont = absl::FunctionRef<bool(const Value&)>;
// Members of a collection being built: few, so they stay off the heap until
// the collection is made.
using Values = absl::InlinedVector<Value, 8>;
using Entries = absl::InlinedVector<ObjectEntry, 8>;

// Returns a copy of `root` with the value at `path` replaced by `v`,
// creating objects on the way.
Value SetPath(const Value* root, const std::vector<std::string>& path,
              size_t i, const Value& v) {
  if (i == path.size()) return v;
  std::vector<ObjectEntry> entries;
  if (root && root->is_object()) entries = root->entries().ToVector();
  Value key = Value::String(path[i]);
  for (auto& e : entries) {
    if (e.first == key) {
      e.second = SetPath(&e.second, path, i + 1, v);
      return Value::ObjectFromSorted(std::move(entries));
    }
  }
  entries.emplace_back(key, SetPath(nullptr, path, i + 1, v));
  return Value::Object(std::move(entries));
}

bool HasPrefix(absl::Span<const std::string_view> path, absl::Span<const std::string> prefix) {
  if (prefix.size() > path.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (path[i] != prefix[i]) return false;
  }
  return true;
}

// A replaced function or builtin (`with f as ...`).
struct Mock {
  Value value;
  const plan::Function* function = nullptr;
  const Builtin* builtin = nullptr;
};

// State that `with` replaces for the scope of one expression.
struct WithState {
  const Value* input = nullptr;
  std::shared_ptr<Value> input_holder;
  // Data overrides: the patched data root and the overridden paths.
  std::shared_ptr<Value> data_holder;
  std::vector<std::vector<std::string>> data_paths;
  std::shared_ptr<std::map<std::string, Mock>> mocks;
};

struct CacheEntry {
  bool computed = false;
  bool defined = false;
  Value value;
};

// Nested objects built from `p[a].b[c] := v` rules.
struct ObjectBuilder {
  std::map<Value, std::pair<std::optional<Value>, std::unique_ptr<ObjectBuilder>>> m;
  // A set leaf collects members; any other leaf holds one value.
  std::vector<Value> members;
  bool is_set_leaf = false;

  bool Insert(const std::vector<Value>& keys, size_t i, const Value& v,
              bool set_leaf) {
    auto& slot = m[keys[i]];
    if (i + 1 == keys.size()) {
      if (set_leaf) {
        if (slot.first) return false;
        if (!slot.second) {
          slot.second = std::make_unique<ObjectBuilder>();
          slot.second->is_set_leaf = true;
        }
        if (!slot.second->is_set_leaf) return false;
        slot.second->members.push_back(v);
        return true;
      }
      if (slot.second) return false;
      if (slot.first && *slot.first != v) return false;
      slot.first = v;
      return true;
    }
    if (slot.first) return false;
    if (!slot.second) slot.second = std::make_unique<ObjectBuilder>();
    if (slot.second->is_set_leaf) return false;
    return slot.second->Insert(keys, i + 1, v, set_leaf);
  }
  // Makes `keys[i..]` an (empty) object level, for empty packages.
  void EnsurePath(const std::vector<Value>& keys, size_t i) {
    if (i == keys.size()) return;
    auto& slot = m[keys[i]];
    if (slot.first) return;
    if (!slot.second) slot.second = std::make_unique<ObjectBuilder>();
    slot.second->EnsurePath(keys, i + 1);
  }
  void EnsureSet(const std::vector<Value>& keys, size_t i) {
    auto& slot = m[keys[i]];
    if (i + 1 == keys.size()) {
      if (!slot.first && !slot.second) {
        slot.second = std::make_unique<ObjectBuilder>();
        slot.second->is_set_leaf = true;
      }
      return;
    }
    if (slot.first) return;
    if (!slot.second) slot.second = std::make_unique<ObjectBuilder>();
    slot.second->EnsureSet(keys, i + 1);
  }
  Value Build() const {
    if (is_set_leaf) return Value::Set(members);
    std::vector<ObjectEntry> entries;
    for (auto& [k, s] : m) {
      entries.emplace_back(k, s.first ? *s.first : s.second->Build());
    }
    return Value::ObjectFromSorted(std::move(entries));
  }
};

class Evaluator {
 public:
  Evaluator(const plan::Node& root, const Value& data,
            const EvalOptions& options)
      : root_(root), data_(data), options_(options) {
    state_.input = options.input;
    ctx_.now_ns = options.now_ns;
    ctx_.cache = &ndb_cache_;
    ctx_.deadline = options.deadline;
    if (options.max_memory_bytes > 0) ctx_.bytes_left = options.max_memory_bytes;
  }

  ResultSet Run(const plan::Query& query) {
    ResultSet result;
    Frame frame(query.num_slots);
    EvalBody(query.body, 0, frame, [&]() {
      ResultRow row;
      for (auto& e : query.body.exprs) {
        row.expressions.push_back(e.result_slot >= 0 && frame.bound[e.result_slot]
                                      ? frame.values[e.result_slot]
                                      : Value::Bool(true));
      }
      for (auto& [name, slot] : query.bindings) {
        if (frame.bound[slot]) row.bindings.emplace_back(name, frame.values[slot]);
      }
      result.rows.push_back(std::move(row));
      return true;
    });
    if (!error_.ok()) {
      result.rows.clear();
      result.error = error_;
    } else if (!builtin_error_.ok() && options_.strict_builtin_errors) {
      result.error = builtin_error_;
    }
    return result;
  }

 private:
  // ---- errors and limits ----

  bool Fail(std::string_view code, ast::Location loc, std::string message) {
    if (error_.ok()) {
      error_ = MakeError(code, *file_, loc.line, 0, message);
    }
    return false;
  }

  // Inlined at every expression and member: only each 1024th step checks.
  ABSL_ATTRIBUTE_ALWAYS_INLINE bool Step() {
    if (ABSL_PREDICT_TRUE(++steps_ & 1023)) return true;
    return CheckLimits();
  }

  ABSL_ATTRIBUTE_NOINLINE bool CheckLimits() {
    if (options_.max_steps > 0 && steps_ > options_.max_steps) {
      return Fail(kEvalLimitError, {}, "evaluation step budget exceeded");
    }
    if (options_.deadline != absl::InfiniteFuture() &&
        absl::Now() > options_.deadline) {
      return Fail(kEvalCancelError, {}, "evaluation deadline exceeded");
    }
    if (options_.cancel != nullptr &&
        options_.cancel->load(std::memory_order_relaxed)) {
      return Fail(kEvalCancelError, {}, "evaluation cancelled");
    }
    return true;
  }

  // ---- bodies and expressions ----

  // False, with eval_limit_error, when this thread's stack is nearly used
  // up: each expression of a body and each rule a rule refers to nests the
  // continuations, and both are as long as the policy makes them.
  bool StackLeft(ast::Location loc) {
    uintptr_t frame = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
    if (frame >= stack_limit_) return true;
    // Past the first checkpoint: look up how far this thread's stack goes
    // (most decisions never get here, so they never pay for the lookup).
    if (!stack_limit_exact_) {
      stack_limit_exact_ = true;
      stack_limit_ = StackLimit();
      if (frame >= stack_limit_) return true;
    }
    return Fail(kEvalLimitError, loc,
                "evaluation nested too deeply: a body or a chain of rules "
                "is too long for the stack");
  }

  // Conditions decided inline (see Decide) need no continuation, so a run
  // of them is a loop: only the other expressions nest.
  bool EvalBody(const plan::Body& body, size_t i, Frame& f, Cont k) {
    for (; i < body.exprs.size(); ++i) {
      const plan::Expr& e = body.exprs[i];
      if (!Step()) return false;
      switch (Decide(e, f)) {
        case Decided::kTrue:
          continue;
        case Decided::kFalse:
          return true;
        case Decided::kNo:
          break;
      }
      if (!StackLeft(e.loc)) return false;
      auto rest = [&]() { return EvalBody(body, i + 1, f, k); };
      if (ABSL_PREDICT_FALSE(tracer_ != nullptr)) return EvalExprTraced(e, f, rest);
      if (!e.withs.empty()) return EvalWith(e, f, rest);
      return EvalExprNoWith(e, f, rest);
    }
    return k();
  }

  // The commonest condition, `a == b` (or another FastOp) over simple terms,
  // possibly negated, is decided right here: it binds nothing.
  enum class Decided { kNo, kTrue, kFalse };
  Decided Decide(const plan::Expr& e, const Frame& f) {
    if (e.op != ExprOp::kTerm || e.result_slot >= 0 || e.a.op != TermOp::kCall ||
        e.a.fast_op == plan::Term::FastOp::kNone || !e.withs.empty() ||
        state_.mocks || tracer_ != nullptr) {
      return Decided::kNo;
    }
    const Value* x;
    const Value* y;
    Simple sx = EvalSimple(e.a.items[0], f, &x);
    if (sx == Simple::kNo) return Decided::kNo;
    bool holds = false;
    if (sx == Simple::kValue) {
      Simple sy = EvalSimple(e.a.items[1], f, &y);
      if (sy == Simple::kNo) return Decided::kNo;
      holds = sy == Simple::kValue && FastOp(e.a.fast_op, *x, *y);
    }
    return holds != e.negated ? Decided::kTrue : Decided::kFalse;
  }

  ABSL_ATTRIBUTE_NOINLINE bool EvalExprTraced(const plan::Expr& e, Frame& f, Cont k) {
    tracer_->EvalExpr(*file_, e.loc);
    bool any = false;
    auto next = [&]() {
      any = true;
      return k();
    };
    bool r = e.withs.empty() ? EvalExprNoWith(e, f, next) : EvalWith(e, f, next);
    if (!any && error_.ok()) tracer_->FailExpr(*file_, e.loc);
    return r;
  }

  bool EvalExprNoWith(const plan::Expr& e, Frame& f, Cont k) {
    if (e.negated) {
      bool found = false;
      EvalPositive(e, f, [&]() {
        found = true;
        return false;
      });
      if (!error_.ok()) return false;
      return found ? true : k();
    }
    return EvalPositive(e, f, k);
  }

  bool EvalPositive(const plan::Expr& e, Frame& f, Cont k) {
    switch (e.op) {
      case ExprOp::kTerm:
        return EvalTerm(e.a, f, [&](const Value& v) {
          // A query's captured term keeps its value, false included.
          if (!e.keep_false && v.is_bool() && !v.boolean()) return true;
          if (e.result_slot >= 0) {
            f.values[e.result_slot] = v;
            f.bound[e.result_slot] = true;
            bool r = k();
            f.bound[e.result_slot] = false;
            return r;
          }
          return k();
        });
      case ExprOp::kUnify:
        return Unify(e.a, e.b, f, k);
      case ExprOp::kSomeIn:
        return EvalTerm(e.collection(), f, [&](const Value& coll) {
          return Members(coll, [&](const Value& key, const Value& val) {
            auto bind_value = [&]() { return UnifyValue(*e.value(), val, f, k); };
            if (e.key()) return UnifyValue(*e.key(), key, f, bind_value);
            return bind_value();
          });
        });
      case ExprOp::kEvery:
        return EvalTerm(e.collection(), f, [&](const Value& coll) {
          if (!coll.is_collection()) return true;
          bool all = true;
          Members(coll, [&](const Value& key, const Value& val) {
            bool found = false;
            auto body = [&]() {
              return EvalBody(*e.body(), 0, f, [&]() {
                found = true;
                return false;
              });
            };
            auto bind_value = [&]() { return UnifyValue(*e.value(), val, f, body); };
            if (e.key()) {
              UnifyValue(*e.key(), key, f, bind_value);
            } else {
              bind_value();
            }
            if (!error_.ok()) return false;
            all = found;
            return found;
          });
          if (!error_.ok()) return false;
          return all ? k() : true;
        });
    }
    return true;
  }

  // Calls fn(key, value) for each member of a collection.
  // Each member is a step of the evaluation budget.
  template <typename Fn>
  bool Members(const Value& coll, Fn fn) {
    switch (coll.kind()) {
      case Kind::kArray: {
        const auto& elems = coll.elements();
        for (size_t i = 0; i < elems.size(); ++i) {
          if (!Step() || !fn(Value::Int(static_cast<int64_t>(i)), elems[i])) return false;
        }
        return true;
      }
      case Kind::kSet:
        for (const Value& v : coll.elements()) {
          if (!Step() || !fn(v, v)) return false;
        }
        return true;
      case Kind::kObject:
        for (const auto& [key, v] : coll.entries()) {
          if (!Step() || !fn(key, v)) return false;
        }
        return true;
      default:
        return true;
    }
  }

  bool EvalWith(const plan::Expr& e, Frame& f, Cont k) {
    WithState next = state_;
    for (const plan::With& w : e.withs) {
      std::optional<Value> value;
      if (w.target != plan::With::kFunction || (!w.replacement_function &&
                                                !w.replacement_builtin)) {
        EvalTerm(w.value, f, [&](const Value& v) {
          value = v;
          return false;
        });
        if (!error_.ok()) return false;
        if (!value) return true;  // undefined replacement: no solution
      }
      switch (w.target) {
        case plan::With::kInput:
          next.input_holder = std::make_shared<Value>(
              SetPath(w.path.empty() ? nullptr : next.input, w.path, 0, *value));
          next.input = next.input_holder.get();
          break;
        case plan::With::kData: {
          const Value* base = next.data_holder ? next.data_holder.get() : &data_;
          next.data_holder =
              std::make_shared<Value>(SetPath(base, w.path, 0, *value));
          next.data_paths.push_back(w.path);
          break;
        }
        case plan::With::kFunction: {
          auto mocks = next.mocks ? std::make_shared<std::map<std::string, Mock>>(
                                        *next.mocks)
                                  : std::make_shared<std::map<std::string, Mock>>();
          Mock m;
          if (value) m.value = *value;
          m.function = w.replacement_function;
          m.builtin = w.replacement_builtin;
          (*mocks)[w.function_name] = m;
          next.mocks = mocks;
          break;
        }
      }
    }
    WithState saved = state_;
    auto saved_cache = std::move(cache_);
    cache_.clear();
    state_ = next;
    bool r = EvalExprNoWith(e, f, [&]() {
      WithState inner = state_;
      auto inner_cache = std::move(cache_);
      state_ = saved;
      cache_ = std::move(saved_cache);
      bool r2 = k();
      saved_cache = std::move(cache_);
      cache_ = std::move(inner_cache);
      state_ = inner;
      return r2;
    });
    state_ = saved;
    cache_ = std::move(saved_cache);
    return r;
  }

  // ---- unification ----

  static bool IsPattern(const plan::Term& t, const Frame& f) {
    switch (t.op) {
      case TermOp::kVar:
        return !f.bound[t.slot];
      case TermOp::kArray:
        for (auto& i : t.items) {
          if (IsPattern(i, f)) return true;
        }
        return false;
      case TermOp::kObject:
        for (auto& [k, v] : t.pairs()) {
          if (IsPattern(v, f)) return true;
        }
        return false;
      default:
        return false;
    }
  }

  bool Unify(const plan::Term& a, const plan::Term& b, Frame& f, Cont k) {
    if (!IsPattern(a, f)) {
      return EvalTerm(a, f, [&](const Value& va) { return UnifyValue(b, va, f, k); });
    }
    if (!IsPattern(b, f)) {
      return EvalTerm(b, f, [&](const Value& vb) { return UnifyValue(a, vb, f, k); });
    }
    if (a.op == TermOp::kArray && b.op == TermOp::kArray) {
      if (a.items.size() != b.items.size()) return true;
      return UnifyPairs(a.items, b.items, 0, f, k);
    }
    if (a.op == TermOp::kObject && b.op == TermOp::kObject) {
      if (a.pairs().size() != b.pairs().size()) return true;
      return UnifyObjects(a, b, 0, f, k);
    }
    if (a.op == TermOp::kVar || b.op == TermOp::kVar) {
      return Fail(kRegoUnsafeVarError, a.loc, "unification of two unbound variables");
    }
    return true;
  }

  bool UnifyPairs(absl::Span<const plan::Term> a,
                  absl::Span<const plan::Term> b, size_t i, Frame& f, Cont k) {
    if (i == a.size()) return k();
    return Unify(a[i], b[i], f, [&]() { return UnifyPairs(a, b, i + 1, f, k); });
  }

  // Both objects have ground keys; values pair up by key.
  bool UnifyObjects(const plan::Term& a, const plan::Term& b, size_t i,
                    Frame& f, Cont k) {
    if (i == a.pairs().size()) return k();
    return EvalTerm(a.pairs()[i].first, f, [&](const Value& key) {
      for (const auto& pair : b.pairs()) {
        // Not a structured binding: clang 14 (the fuzz build's) cannot
        // capture one in a lambda.
        const plan::Term& bv = pair.second;
        bool r = EvalTerm(pair.first, f, [&](const Value& other) {
          if (other != key) return true;
          return Unify(a.pairs()[i].second, bv, f,
                       [&]() { return UnifyObjects(a, b, i + 1, f, k); });
        });
        if (!r) return false;
      }
      return true;
    });
  }

  bool UnifyValue(const plan::Term& p, const Value& v, Frame& f, Cont k) {
    switch (p.op) {
      case TermOp::kVar: {
        if (f.bound[p.slot]) return f.values[p.slot] == v ? k() : true;
        f.values[p.slot] = v;
        f.bound[p.slot] = true;
        bool r = k();
        f.bound[p.slot] = false;
        f.values[p.slot] = Value();
        return r;
      }
      case TermOp::kArray:
        if (!v.is_array() || v.elements().size() != p.items.size()) return true;
        return UnifyElements(p.items, v.elements(), 0, f, k);
      case TermOp::kObject: {
        if (!v.is_object() || v.entries().size() != p.pairs().size()) return true;
        return UnifyEntries(p, v, 0, f, k);
      }
      case TermOp::kConst:
        return p.value == v ? k() : true;
      default:
        return EvalTerm(p, f, [&](const Value& pv) { return pv == v ? k() : true; });
    }
  }

  template <typename Values>
  bool UnifyElements(absl::Span<const plan::Term> ps, const Values& vs,
                     size_t i, Frame& f, Cont k) {
    if (i == ps.size()) return k();
    return UnifyValue(ps[i], vs[i], f,
                      [&]() { return UnifyElements(ps, vs, i + 1, f, k); });
  }

  bool UnifyEntries(const plan::Term& p, const Value& v, size_t i, Frame& f,
                    Cont k) {
    if (i == p.pairs().size()) return k();
    return EvalTerm(p.pairs()[i].first, f, [&](const Value& key) {
      const Value* found = v.Find(key);
      if (!found) return true;
      return UnifyValue(p.pairs()[i].second, *found, f,
                        [&]() { return UnifyEntries(p, v, i + 1, f, k); });
    });
  }

  // ---- terms ----

  // The commonest terms are handled here; the others, which need buffers
  // or nest continuations, are out of line so that this frame stays small
  // (its set-up and tear-down are paid by every term).
  bool EvalTerm(const plan::Term& t, Frame& f, ValueCont k) {
    switch (t.op) {
      case TermOp::kConst:
        return k(t.value);
      case TermOp::kVar:
        if (!f.bound[t.slot]) {
          return Fail(kRegoUnsafeVarError, t.loc, "var is unbound");
        }
        return k(f.values[t.slot]);
      case TermOp::kInput:
        return state_.input ? k(*state_.input) : true;
      case TermOp::kRef:
        return EvalRef(t, f, k);
      case TermOp::kCall:
        return EvalCall(t, f, k);
      default:
        return EvalComposite(t, f, k);
    }
  }

  ABSL_ATTRIBUTE_NOINLINE bool EvalComposite(const plan::Term& t, Frame& f,
                                             ValueCont k) {
    switch (t.op) {
      case TermOp::kData: {
        std::optional<Value> v = EvalNode(root_);
        if (!error_.ok()) return false;
        return v ? k(*v) : true;
      }
      case TermOp::kArray:
      case TermOp::kSet: {
        Values vals;
        return EvalList(t.items, 0, vals, f, [&]() {
          std::vector<Value> elems(vals.begin(), vals.end());
          return k(t.op == TermOp::kArray ? Value::Array(std::move(elems))
                                          : Value::Set(std::move(elems)));
        });
      }
      case TermOp::kObject: {
        Entries entries;
        return EvalPairs(t, 0, entries, f, [&]() {
          return k(Value::Object(std::vector<ObjectEntry>(entries.begin(), entries.end())));
        });
      }
      case TermOp::kArrayCompr:
      case TermOp::kSetCompr: {
        Values vals;
        EvalBody(*t.body(), 0, f, [&]() {
          return EvalTerm(*t.head(), f, [&](const Value& v) {
            vals.push_back(v);
            return true;
          });
        });
        if (!error_.ok()) return false;
        std::vector<Value> elems(std::make_move_iterator(vals.begin()),
                                 std::make_move_iterator(vals.end()));
        return k(t.op == TermOp::kArrayCompr ? Value::Array(std::move(elems))
                                             : Value::Set(std::move(elems)));
      }
      case TermOp::kObjectCompr: {
        std::map<Value, Value> entries;
        EvalBody(*t.body(), 0, f, [&]() {
          return EvalTerm(*t.key(), f, [&](const Value& key) {
            return EvalTerm(*t.head(), f, [&](const Value& v) {
              auto [it, inserted] = entries.emplace(key, v);
              if (!inserted && it->second != v) {
                return Fail(kEvalConflictError, t.loc, "object keys must be unique");
              }
              return true;
            });
          });
        });
        if (!error_.ok()) return false;
        std::vector<ObjectEntry> sorted(entries.begin(), entries.end());
        return k(Value::ObjectFromSorted(std::move(sorted)));
      }
      case TermOp::kTemplate:
        return EvalTemplate(t, f, k);
      case TermOp::kPrint:
        return EvalPrint(t, f, k);
      default:
        return true;
    }
  }

  ABSL_ATTRIBUTE_NOINLINE bool EvalCall(const plan::Term& t, Frame& f, ValueCont k) {
    Args args;
    for (const plan::Term& item : t.items) {
      const Value* v;
      Simple simple = EvalSimple(item, f, &v);
      if (simple == Simple::kUndefined) return true;
      if (simple == Simple::kNo) break;
      args.push_back(*v);
    }
    if (args.size() == t.items.size()) return Call(t, args, k);
    args.clear();
    if (t.eval_order().empty()) {
      return EvalList(t.items, 0, args, f, [&]() { return Call(t, args, k); });
    }
    args.resize(t.items.size());
    return EvalInOrder(t, 0, args, f, [&]() { return Call(t, args, k); });
  }

  template <typename Out>
  bool EvalList(absl::Span<const plan::Term> items, size_t i, Out& out,
                Frame& f, Cont k) {
    if (i == items.size()) return k();
    return EvalTerm(items[i], f, [&](const Value& v) {
      out.push_back(v);
      bool r = EvalList(items, i + 1, out, f, k);
      out.pop_back();
      return r;
    });
  }

  bool EvalInOrder(const plan::Term& t, size_t i, Args& out,
                   Frame& f, Cont k) {
    if (i == t.eval_order().size()) return k();
    int pos = t.eval_order()[i];
    return EvalTerm(t.items[pos], f, [&](const Value& v) {
      out[pos] = v;
      return EvalInOrder(t, i + 1, out, f, k);
    });
  }

  bool EvalPairs(const plan::Term& t, size_t i, Entries& out,
                 Frame& f, Cont k) {
    if (i == t.pairs().size()) return k();
    return EvalTerm(t.pairs()[i].first, f, [&](const Value& key) {
      return EvalTerm(t.pairs()[i].second, f, [&](const Value& v) {
        out.emplace_back(key, v);
        bool r = EvalPairs(t, i + 1, out, f, k);
        out.pop_back();
        return r;
      });
    });
  }

  // Each embedded expression contributes the set of its values; the
  // rendering is internal.template_string's.
  bool EvalTemplate(const plan::Term& t, Frame& f, ValueCont k) {
    std::vector<Value> pieces;
    for (const plan::Term& item : t.items) {
      if (item.op == TermOp::kConst && item.value.is_string()) {
        pieces.push_back(item.value);
        continue;
      }
      std::vector<Value> vals;
      EvalTerm(item, f, [&](const Value& v) {
        vals.push_back(v);
        return true;
      });
      if (!error_.ok()) return false;
      pieces.push_back(Value::Set(std::move(vals)));
    }
    static const Builtin* render =
        BuiltinRegistry::Default().Find("internal.template_string");
    Value arg = Value::Array(std::move(pieces));
    BuiltinResult r = render->fn(ctx_, absl::MakeConstSpan(&arg, 1));
    if (!r.ok()) return Fail(kEvalBuiltinError, t.loc, std::string(r.status().message()));
    return *r ? k(**r) : true;
  }

  bool EvalPrint(const plan::Term& t, Frame& f, ValueCont k) {
    std::string line;
    for (size_t i = 0; i < t.items.size(); ++i) {
      if (i > 0) line += ' ';
      std::vector<Value> vals;
      EvalTerm(t.items[i], f, [&](const Value& v) {
        vals.push_back(v);
        return true;
      });
      if (!error_.ok()) return false;
      if (vals.empty()) {
        line += "<undefined>";
      } else if (vals.size() == 1 && vals[0].is_string()) {
        line += vals[0].string();
      } else {
        line += vals.size() == 1 ? vals[0].ToRego() : Value::Set(vals).ToRego();
      }
    }
    if (options_.print) options_.print(line);
    return k(Value::Bool(true));
  }

  // ---- calls ----

  // The builtins computed inline (see plan::Term::FastOp).
  static bool FastOp(plan::Term::FastOp op, const Value& a, const Value& b) {
    using Op = plan::Term::FastOp;
    switch (op) {
      case Op::kEqual: return a == b;
      case Op::kNotEqual: return a != b;
      case Op::kLess: return a.Compare(b) < 0;
      case Op::kLessEqual: return a.Compare(b) <= 0;
      case Op::kGreater: return a.Compare(b) > 0;
      case Op::kGreaterEqual: return a.Compare(b) >= 0;
      case Op::kMember: return IsMember(a, b);
      case Op::kNone: break;
    }
    return false;
  }

  // `x in coll` for internal.member_2.
  static bool IsMember(const Value& x, const Value& coll) {
    switch (coll.kind()) {
      case Kind::kSet:
        return coll.Contains(x);
      case Kind::kArray:
        for (const Value& v : coll.elements()) {
          if (v == x) return true;
        }
        return false;
      case Kind::kObject:
        for (const auto& [key, v] : coll.entries()) {
          if (v == x) return true;
        }
        return false;
      default:
        return false;
    }
  }

  bool Call(const plan::Term& t, const Args& args, ValueCont k) {
    if (t.fast_op != plan::Term::FastOp::kNone && !state_.mocks) {
      return k(Value::Bool(FastOp(t.fast_op, args[0], args[1])));
    }
    if (state_.mocks) {
      auto it = state_.mocks->find(t.CallName());
      if (it != state_.mocks->end()) {
        const Mock& m = it->second;
        if (m.function) {
          // Inside the replacement, the replaced name means the original.
          // Inside a replacement nothing is replaced: the replaced name
          // means the original, and other replacements do not chain.
          auto saved = state_.mocks;
          state_.mocks = nullptr;
          std::optional<Value> result;
          bool ok = CallFunction(*m.function, t, args, [&](const Value& v) {
            result = v;
            return true;
          });
          state_.mocks = saved;
          if (!ok && !error_.ok()) return false;
          return result ? k(*result) : true;
        }
        if (m.builtin) return CallBuiltin(*m.builtin, t, args, k);
        return k(m.value);
      }
    }
    if (const plan::Function* f = t.function()) return CallFunction(*f, t, args, k);
    return CallBuiltin(*t.builtin(), t, args, k);
  }

  bool CallBuiltin(const Builtin& b, const plan::Term& t, const Args& args,
                   ValueCont k) {
    if (static_cast<int>(args.size()) != b.arity) {
      return Fail(kEvalTypeError, t.loc, absl::StrCat(b.name, ": arity mismatch"));
    }
    if (ABSL_PREDICT_FALSE(tracer_ != nullptr) && b.name == "trace" &&
        args[0].is_string()) {
      tracer_->Note(*file_, t.loc, args[0].string());
    }
    BuiltinResult r = b.fn(ctx_, absl::MakeConstSpan(args));
    if (r.ok() && *r) {
      if (absl::Status charged = Charge(b, **r); !charged.ok()) r = charged;
    }
    if (!r.ok() && (r.status().code() == absl::StatusCode::kResourceExhausted ||
                    r.status().code() == absl::StatusCode::kDeadlineExceeded)) {
      // Limits end the decision: a result that is merely undefined could
      // let a deny rule pass.
      return Fail(r.status().code() == absl::StatusCode::kResourceExhausted
                      ? kEvalLimitError
                      : kEvalCancelError,
                  t.loc, std::string(r.status().message()));
    }
    if (!r.ok()) {
      std::string_view code = r.status().code() == absl::StatusCode::kInvalidArgument
                                  ? kEvalTypeError
                                  : kEvalBuiltinError;
      if (builtin_error_.ok()) {
        builtin_error_ = MakeError(code, *file_, t.loc.line, 0,
                                   std::string(r.status().message()));
      }
      return true;  // undefined; reported at the end in strict mode
    }
    if (!*r) return true;
    if (b.relation) {
      for (const Value& v : (**r).elements()) {
        if (!k(v)) return false;
      }
      return true;
    }
    return k(**r);
  }

  // Charges a builtin's result to the memory budget: its top level only
  // (strings by length, collections by element), which is what the builtin
  // built; nested values are shared with its arguments or were charged
  // when they were built.
  absl::Status Charge(const Builtin& b, const Value& v) {
    size_t bytes;
    switch (v.kind()) {
      case Kind::kString:
        bytes = v.string().size();
        break;
      case Kind::kArray:
      case Kind::kSet:
        bytes = v.elements().size() * sizeof(Value);
        break;
      case Kind::kObject:
        bytes = v.entries().size() * 2 * sizeof(Value);
        break;
      default:
        return absl::OkStatus();
    }
    return ctx_.Allocate(b.name, bytes);
  }

  bool CallFunction(const plan::Function& fn, const plan::Term& t,
                    const Args& args, ValueCont k) {
    if (static_cast<int>(args.size()) != fn.arity) {
      return Fail(kEvalTypeError, t.loc, absl::StrCat(fn.name, ": arity mismatch"));
    }
    if (++depth_ > kMaxDepth) {
      --depth_;
      return Fail(kRegoRecursionError, t.loc,
                  absl::StrCat("function ", fn.name, " calls itself too deeply"));
    }
    std::optional<Value> result;
    auto rules = fn.rules.size();
    for (size_t r = 0; r <= rules; ++r) {
      if (r == rules && (result || !fn.default_rule)) break;
      const plan::Rule* first = r < rules ? fn.rules[r].get() : fn.default_rule.get();
      for (const plan::Rule* link = first; link; link = link->else_rule.get()) {
        bool any = false;
        Frame frame(link->num_slots);
        const std::string* saved_file = file_;
        file_ = &link->file_name();
        TraceEnter(*link);
        UnifyElements(link->params, args, 0, frame, [&]() {
          return EvalBody(link->body, 0, frame, [&]() {
            TraceExit(*link);
            return EvalTerm(link->value, frame, [&](const Value& v) {
              any = true;
              if (result && *result != v) {
                return Fail(kEvalConflictError, link->loc,
                            "functions must not produce multiple outputs for "
                            "same inputs");
              }
              result = v;
              return !link->constant_value;
            });
          });
        });
        file_ = saved_file;
        if (!error_.ok()) {
          --depth_;
          return false;
        }
        if (any) break;
      }
    }
    --depth_;
    return result ? k(*result) : true;
  }

  // ---- data references ----

  bool Overridden(const plan::Node& node) const {
    for (auto& p : state_.data_paths) {
      if (HasPrefix(node.key_path, p)) return true;
    }
    return false;
  }

  const Value* DataRoot() const {
    return state_.data_holder ? state_.data_holder.get() : &data_;
  }

  const Value* BaseAt(const plan::Node& node) const {
    const Value* v = DataRoot();
    for (auto& k : node.key_path) {
      v = v->Find(k);
      if (!v) return nullptr;
    }
    return v;
  }

  // The value of a term that needs no iteration and no rule evaluation:
  // constants, bound vars, and refs over them, input or base data with
  // constant or bound keys. This is most terms of most policies, and it
  // skips the continuation machinery.
  // Constants and vars, the commonest, are decided inline; refs out of line.
  enum class Simple { kNo, kUndefined, kValue };
  ABSL_ATTRIBUTE_ALWAYS_INLINE Simple EvalSimple(const plan::Term& t, const Frame& f,
                                                 const Value** out) {
    switch (t.op) {
      case TermOp::kConst:
        *out = &t.value;
        return Simple::kValue;
      case TermOp::kVar:
        if (!f.bound[t.slot]) return Simple::kNo;
        *out = &f.values[t.slot];
        return Simple::kValue;
      case TermOp::kInput:
        if (!state_.input) return Simple::kUndefined;
        *out = state_.input;
        return Simple::kValue;
      case TermOp::kRef:
        if (!t.simple_shape) return Simple::kNo;
        return EvalSimpleRef(t, f, out);
      default:
        return Simple::kNo;
    }
  }

  // EvalSimple of a ref of simple shape.
  ABSL_ATTRIBUTE_NOINLINE Simple EvalSimpleRef(const plan::Term& t, const Frame& f,
                                               const Value** out) {
    const plan::Term& base = t.items[0];
    const Value* v = nullptr;
    size_t i = 1;
    switch (base.op) {
      case TermOp::kInput:
        if (!state_.input) return Simple::kUndefined;
        v = state_.input;
        break;
      case TermOp::kVar:
        if (!f.bound[base.slot]) return Simple::kNo;
        v = &f.values[base.slot];
        break;
      case TermOp::kData:
        if (!t.node() || (t.node()->has_rules_below && !t.leaves_tree) ||
            !state_.data_paths.empty()) {
          return Simple::kNo;
        }
        v = BaseAt(*t.node());
        if (!v) return Simple::kUndefined;
        i = t.node_depth;
        break;
      default:
        return Simple::kNo;
    }
    bool json_keys = base.op == TermOp::kData;
    for (; i < t.items.size(); ++i) {
      const plan::Term& key = t.items[i];
      const Value* kv;
      if (key.op == TermOp::kConst) {
        kv = &key.value;
      } else if (key.op == TermOp::kVar && f.bound[key.slot]) {
        kv = &f.values[key.slot];
      } else {
        return Simple::kNo;
      }
      switch (v->kind()) {
        case Kind::kObject:
          if (kv->is_string()) {
            v = v->Find(*kv);
          } else {
            const Value* found = v->Find(*kv);
            if (!found && json_keys && kv->is_number()) found = v->Find(kv->NumberText());
            v = found;
          }
          break;
        case Kind::kArray: {
          int64_t idx;
          v = kv->is_number() && kv->AsInt64(&idx) ? v->At(idx) : nullptr;
          break;
        }
        case Kind::kSet:
          v = v->Contains(*kv) ? kv : nullptr;
          break;
        default:
          v = nullptr;
      }
      if (!v) return Simple::kUndefined;
    }
    *out = v;
    return Simple::kValue;
  }

  bool EvalRef(const plan::Term& t, Frame& f, ValueCont k) {
    const Value* simple;
    switch (EvalSimple(t, f, &simple)) {
      case Simple::kValue:
        return k(*simple);
      case Simple::kUndefined:
        return true;
      case Simple::kNo:
        break;
    }
    const plan::Term& base = t.items[0];
    if (base.op == TermOp::kData) {
      if (t.node() && state_.data_paths.empty()) {
        const Value* b = BaseAt(*t.node());
        if (t.leaves_tree) {
          return b ? Deref(*b, t.items, t.node_depth, f, k, /*json_keys=*/true) : true;
        }
        return EvalDataRef(*t.node(), b, t.items, t.node_depth, f, k);
      }
      return EvalDataRef(root_, DataRoot(), t.items, 1, f, k);
    }
    if (base.op == TermOp::kInput) {
      return state_.input ? Deref(*state_.input, t.items, 1, f, k) : true;
    }
    return EvalTerm(base, f, [&](const Value& v) { return Deref(v, t.items, 1, f, k); });
  }

  // `json_keys`: `v` is a base document, whose object keys are strings: a
  // number key finds the entry named by its text (data[2] is data["2"]).
  bool Deref(const Value& v, absl::Span<const plan::Term> items, size_t i,
             Frame& f, ValueCont k, bool json_keys = false) {
    if (i == items.size()) return k(v);
    const plan::Term& key = items[i];
    if (key.op == TermOp::kVar && !f.bound[key.slot]) {
      if (!v.is_collection()) return true;
      return Members(v, [&](const Value& mk, const Value& mv) {
        f.values[key.slot] = mk;
        f.bound[key.slot] = true;
        bool r = Deref(mv, items, i + 1, f, k, json_keys);
        f.bound[key.slot] = false;
        return r;
      });
    }
    if (key.op == TermOp::kConst) {
      if (key.value.is_string() && v.is_object()) {
        const Value* found = v.Find(key.value);
        return found ? Deref(*found, items, i + 1, f, k, json_keys) : true;
      }
      return DerefKey(v, key.value, items, i, f, k, json_keys);
    }
    if (key.op == TermOp::kVar) {
      return DerefKey(v, f.values[key.slot], items, i, f, k, json_keys);
    }
    if (IsPattern(key, f)) {
      return Members(v, [&](const Value& mk, const Value& mv) {
        return UnifyValue(key, mk, f,
                          [&]() { return Deref(mv, items, i + 1, f, k, json_keys); });
      });
    }
    return EvalTerm(key, f, [&](const Value& kv) {
      return DerefKey(v, kv, items, i, f, k, json_keys);
    });
  }

  bool DerefKey(const Value& v, const Value& key,
                absl::Span<const plan::Term> items, size_t i, Frame& f,
                ValueCont k, bool json_keys) {
    switch (v.kind()) {
      case Kind::kObject: {
        const Value* found = v.Find(key);
        if (!found && json_keys && key.is_number()) {
          found = v.Find(key.NumberText());
        }
        return found ? Deref(*found, items, i + 1, f, k, json_keys) : true;
      }
      case Kind::kArray: {
        int64_t idx;
        if (!key.is_number() || !key.AsInt64(&idx)) return true;
        const Value* found = v.At(idx);
        return found ? Deref(*found, items, i + 1, f, k, json_keys) : true;
      }
      case Kind::kSet:
        return v.Contains(key) ? Deref(key, items, i + 1, f, k, json_keys) : true;
      default:
        return true;
    }
  }

  bool EvalDataRef(const plan::Node& node, const Value* base,
                   absl::Span<const plan::Term> items, size_t i, Frame& f,
                   ValueCont k) {
    bool overridden = !state_.data_paths.empty() && Overridden(node);
    if (overridden || !node.has_rules_below) {
      return base ? Deref(*base, items, i, f, k, /*json_keys=*/true) : true;
    }
    if (node.rules || i == items.size()) {
      std::optional<Value> v = EvalNode(node);
      if (!error_.ok()) return false;
      return v ? Deref(*v, items, i, f, k) : true;
    }
    const plan::Term& key = items[i];
    auto child_or_base = [&](const Value& key) {
      // Base documents come from JSON: a number key finds its text.
      Value kv = key.is_number() ? Value::String(key.NumberText()) : key;
      if (kv.is_string()) {
        auto it = node.children.find(kv.string());
        if (it != node.children.end()) {
          const Value* child_base = base ? base->Find(kv) : nullptr;
          return EvalDataRef(*it->second, child_base, items, i + 1, f, k);
        }
      }
      const Value* found = base ? base->Find(kv) : nullptr;
      return found ? Deref(*found, items, i + 1, f, k) : true;
    };
    if (key.op == TermOp::kVar && !f.bound[key.slot]) {
      // Iterate over rule children and base keys alike, in key order.
      std::optional<Value> v = EvalNode(node);
      if (!error_.ok()) return false;
      return v ? Deref(*v, items, i, f, k) : true;
    }
    if (key.op == TermOp::kConst) return child_or_base(key.value);
    return EvalTerm(key, f, child_or_base);
  }

  // The full value of the document at `node`: rules evaluated and merged
  // with base data. nullopt when undefined.
  std::optional<Value> EvalNode(const plan::Node& node) {
    if (!StackLeft({})) return std::nullopt;
    if (!state_.data_paths.empty() && Overridden(node)) {
      const Value* b = BaseAt(node);
      return b ? std::optional<Value>(*b) : std::nullopt;
    }
    if (!node.has_rules_below) {
      const Value* b = BaseAt(node);
      return b ? std::optional<Value>(*b) : std::nullopt;
    }
    size_t slot = CacheSlot(node);
    if (const CacheEntry& entry = cache_[slot].second; entry.computed) {
      return entry.defined ? std::optional<Value>(entry.value) : std::nullopt;
    }
    for (const plan::Node* n : in_progress_) {
      if (n == &node) {
        Fail(kRegoRecursionError, {}, absl::StrCat("rule ", std::string(node.path), " is recursive"));
        return std::nullopt;
      }
    }
    in_progress_.push_back(&node);
    std::optional<Value> v = ComputeNode(node);
    in_progress_.pop_back();
    // Nested documents may have moved the list, but entries stay at their
    // position: none is removed (a `with` scope gives the list back).
    CacheEntry& after = cache_[slot].second;
    if (!error_.ok()) return std::nullopt;
    after.computed = true;
    after.defined = v.has_value();
    if (v) after.value = *v;
    return v;
  }

  // A query touches few documents: a short list beats hashing. Always
  // inlined: GCC stopped inlining it once plan terms changed shape, which
  // cost 1 % of the instructions of a decision.
  ABSL_ATTRIBUTE_ALWAYS_INLINE size_t CacheSlot(const plan::Node& node) {
    for (size_t i = 0; i < cache_.size(); ++i) {
      if (cache_[i].first == &node) return i;
    }
    cache_.emplace_back(&node, CacheEntry());
    return cache_.size() - 1;
  }

  std::optional<Value> ComputeNode(const plan::Node& node) {
    if (node.rules && (node.rules->kind != plan::RuleSet::kObject ||
                       node.children.empty())) {
      return EvalRuleSet(*node.rules);
    }
    ObjectBuilder builder;
    if (node.rules) FillObject(*node.rules, builder);
    std::vector<Value> path;
    if (!error_.ok() || !InsertChildren(node, builder, path)) return std::nullopt;
    return builder.Build();
  }

  // Adds the documents below `node` to `builder` at `path`: base data
  // first (it wins over rules defining the same key), then each child.
  // Values defined by rules never merge with one another: only the rule
  // tree's own levels do. False on a conflict (error_ is set).
  bool InsertChildren(const plan::Node& node, ObjectBuilder& builder,
                      std::vector<Value>& path) {
    const Value* base = node.rules ? nullptr : BaseAt(node);
    builder.EnsurePath(path, 0);
    auto is_tree = [&](const Value& key) {
      if (!key.is_string()) return false;
      auto it = node.children.find(key.string());
      return it != node.children.end() && it->second->has_rules_below &&
             !it->second->rules;
    };
    if (base && base->is_object()) {
      for (const auto& [k, v] : base->entries()) {
        if (is_tree(k)) continue;  // merged level by level below
        path.push_back(k);
        builder.Insert(path, 0, v, false);
        path.pop_back();
      }
    }
    for (const auto& [name, child] : node.children) {
      if (!child->has_rules_below) continue;
      if (!child->rules && child->children.empty() && !child->is_package) continue;
      if (child->rules && base && base->Find(name)) continue;
      path.push_back(Value::String(name));
      bool ok = InsertNode(*child, builder, path);
      path.pop_back();
      if (!ok) return false;
    }
    return true;
  }

  bool InsertNode(const plan::Node& node, ObjectBuilder& builder,
                  std::vector<Value>& path) {
    bool overridden = !state_.data_paths.empty() && Overridden(node);
    if (overridden) {
      const Value* b = BaseAt(node);
      if (b && !builder.Insert(path, 0, *b, false)) {
        return Fail(kEvalConflictError, {}, "object keys must be unique");
      }
      return true;
    }
    if (!node.rules) return InsertChildren(node, builder, path);
    std::optional<Value> v = EvalNode(node);
    if (!error_.ok()) return false;
    if (!v) return true;
    bool ok = true;
    if (node.rules->kind == plan::RuleSet::kPartialSet) {
      builder.EnsureSet(path, 0);
      for (const Value& m : v->elements()) ok = ok && builder.Insert(path, 0, m, true);
    } else {
      ok = builder.Insert(path, 0, *v, false);
    }
    if (!ok) return Fail(kEvalConflictError, {}, "object keys must be unique");
    return true;
  }

  // Evaluates one rule (following its else chain): calls emit(link, frame,
  // produced) for each solution of the first link that produces a value;
  // emit sets `produced` when the head's value is defined (a link whose body
  // succeeds with an undefined value falls through to its else, as in OPA).
  template <typename Emit>
  void EvalRule(const plan::Rule& rule, Emit emit) {
    for (const plan::Rule* link = &rule; link; link = link->else_rule.get()) {
      bool any = false;
      Frame frame(link->num_slots);
      const std::string* saved_file = file_;
      file_ = &link->file_name();
      TraceEnter(*link);
      EvalBody(link->body, 0, frame, [&]() {
        TraceExit(*link);
        return emit(*link, frame, any);
      });
      file_ = saved_file;
      if (any || !error_.ok()) return;
    }
  }

  void TraceEnter(const plan::Rule& rule) {
    if (ABSL_PREDICT_FALSE(tracer_ != nullptr)) tracer_->EnterRule(rule.file_name(), rule.loc);
  }

  void TraceExit(const plan::Rule& rule) {
    if (ABSL_PREDICT_FALSE(tracer_ != nullptr)) tracer_->ExitRule(rule.file_name(), rule.loc);
  }

  // Calls fn(rule) for the rules of `rs` that can match, in source order,
  // until it returns false: all of them, or those the rule index files
  // under the tested value plus the unconditional ones. The rules are not
  // collected first: most rule sets have no index and are walked in place.
  template <typename Fn>
  void ForCandidates(const plan::RuleSet& rs, Fn fn) {
    const plan::RuleIndex* index = rs.index.get();
    if (!index || !state_.data_paths.empty() || state_.mocks) {
      for (const auto& rule : rs.rules) {
        if (!fn(rule.get())) return;
      }
      return;
    }
    Frame none(0);
    const Value* key = nullptr;
    if (EvalSimple(index->key, none, &key) != Simple::kValue) key = nullptr;
    const std::vector<int>* matching = nullptr;
    if (key) {
      auto it = index->by_value.find(*key);
      if (it != index->by_value.end()) matching = &it->second;
    }
    // Merge the two sorted lists of rule positions.
    size_t a = 0, b = 0;
    const std::vector<int>& always = index->unconditional;
    size_t na = matching ? matching->size() : 0;
    while (a < na || b < always.size()) {
      int next;
      if (b == always.size() || (a < na && (*matching)[a] < always[b])) {
        next = (*matching)[a++];
      } else {
        next = always[b++];
      }
      if (!fn(rs.rules[next].get())) return;
    }
  }

  std::optional<Value> EvalRuleSet(const plan::RuleSet& rs) {
    switch (rs.kind) {
      case plan::RuleSet::kComplete: {
        std::optional<Value> result;
        ForCandidates(rs, [&](const plan::Rule* rule) {
          if (result && rule->constant_value && !rule->else_rule &&
              rule->value.value == *result) {
            return true;  // cannot change or conflict with the result
          }
          EvalRule(*rule, [&](const plan::Rule& link, Frame& frame, bool& produced) {
            return EvalTerm(link.value, frame, [&](const Value& v) {
              produced = true;
              if (result && *result != v) {
                return Fail(kEvalConflictError, link.loc,
                            "complete rules must not produce multiple outputs");
              }
              result = v;
              return !link.constant_value;
            });
          });
          return error_.ok();
        });
        if (!error_.ok()) return std::nullopt;
        if (!result && rs.default_rule) {
          TraceExit(*rs.default_rule);
          Frame frame(rs.default_rule->num_slots);
          EvalTerm(rs.default_rule->value, frame, [&](const Value& v) {
            result = v;
            return false;
          });
        }
        return result;
      }
      case plan::RuleSet::kPartialSet: {
        std::vector<Value> members;
        ForCandidates(rs, [&](const plan::Rule* rule) {
          EvalRule(*rule, [&](const plan::Rule& link, Frame& frame, bool& produced) {
            return EvalTerm(link.key, frame, [&](const Value& v) {
              produced = true;
              members.push_back(v);
              return true;
            });
          });
          return error_.ok();
        });
        if (!error_.ok()) return std::nullopt;
        return Value::Set(std::move(members));
      }
      case plan::RuleSet::kObject: {
        ObjectBuilder builder;
        FillObject(rs, builder);
        if (!error_.ok()) return std::nullopt;
        return builder.Build();
      }
    }
    return std::nullopt;
  }

  // Adds the entries of object-producing rules (`p[k].x := v`) to `builder`.
  void FillObject(const plan::RuleSet& rs, ObjectBuilder& builder) {
    ForCandidates(rs, [&](const plan::Rule* rule) {
      EvalRule(*rule, [&](const plan::Rule& link, Frame& frame, bool& produced) {
        std::vector<Value> keys;
        return EvalList(link.key_path, 0, keys, frame, [&]() {
          const plan::Term& leaf = link.set_leaf ? link.key : link.value;
          return EvalTerm(leaf, frame, [&](const Value& v) {
            produced = true;
            if (!builder.Insert(keys, 0, v, link.set_leaf)) {
              return Fail(kEvalConflictError, link.loc, "object keys must be unique");
            }
            return true;
          });
        });
      });
      return error_.ok();
    });
  }

  const plan::Node& root_;
  const Value& data_;
  const EvalOptions& options_;
  // options_.tracer, kept here: it is tested on every expression.
  EvalTracer* const tracer_ = options_.tracer;
  WithState state_;
  // Memo of documents computed in this query (and `with` scope). Entries
  // are only appended, so they are held by position (no references are
  // kept across additions, which may move them).
  absl::InlinedVector<std::pair<const plan::Node*, CacheEntry>, 8> cache_;
  // Documents being computed, innermost last (a short stack).
  absl::InlinedVector<const plan::Node*, 8> in_progress_;
  absl::flat_hash_map<std::string, Value> ndb_cache_;
  BuiltinContext ctx_;
  absl::Status error_;
  absl::Status builtin_error_;
  int64_t steps_ = 0;
  // The stack address below which StackLeft looks closer: first a
  // checkpoint kStackCheckpoint below where evaluation started (less than
  // any thread's stack), then the thread's real limit.
  static constexpr uintptr_t kStackCheckpoint = 64 << 10;
  uintptr_t stack_limit_ = StackCheckpoint();
  bool stack_limit_exact_ = false;
  static uintptr_t StackCheckpoint() {
    uintptr_t here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
    return here > kStackCheckpoint ? here - kStackCheckpoint : 0;
  }
  // Nesting of function calls, bounded so that runaway recursion is an
  // error rather than a stack overflow.
  static constexpr int kMaxDepth = 256;
  int depth_ = 0;
  const std::string kNoFile;
  const std::string* file_ = &kNoFile;
};

}  // namespace

ResultSet Evaluate(const plan::Query& query, const plan::Node& root,
                   const Value& data, const EvalOptions& options) {
  Evaluator evaluator(root, data, options);
  return evaluator.Run(query);
}

}  // namespace policyd::eval
