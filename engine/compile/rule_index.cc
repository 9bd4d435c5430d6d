#include "engine/compile/rule_index.h"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace policyd::compile {
namespace {

// A reference whose value is fixed for a whole evaluation: input or base
// data followed by constant keys.
bool IsFixedRef(const plan::Term& t) {
  if (t.op != plan::TermOp::kRef) return false;
  const plan::Term& base = t.items[0];
  bool fixed_base = base.op == plan::TermOp::kInput ||
                    (base.op == plan::TermOp::kData && t.node() &&
                     (t.leaves_tree || !t.node()->has_rules_below));
  if (!fixed_base) return false;
  for (size_t i = 1; i < t.items.size(); ++i) {
    if (t.items[i].op != plan::TermOp::kConst) return false;
  }
  return true;
}

// A text naming a fixed ref, so that the same ref in two rules matches.
std::string Signature(const plan::Term& ref) {
  std::string out = ref.items[0].op == plan::TermOp::kInput ? "input" : "data";
  for (size_t i = 1; i < ref.items.size(); ++i) {
    out += "[" + ref.items[i].value.ToJson() + "]";
  }
  return out;
}

struct Test {
  const plan::Term* ref;
  Value constant;
};

// The `ref == constant` tests a body makes unconditionally.
std::vector<Test> EqualityTests(const plan::Body& body) {
  std::vector<Test> tests;
  for (const plan::Expr& e : body.exprs) {
    if (e.negated || !e.withs.empty()) continue;
    const plan::Term* a = nullptr;
    const plan::Term* b = nullptr;
    if (e.op == plan::ExprOp::kUnify) {
      a = &e.a;
      b = &e.b;
    } else if (e.op == plan::ExprOp::kTerm && e.a.op == plan::TermOp::kCall &&
               e.a.fast_op == plan::Term::FastOp::kEqual) {
      a = &e.a.items[0];
      b = &e.a.items[1];
    } else {
      continue;
    }
    if (IsFixedRef(*a) && b->op == plan::TermOp::kConst) tests.push_back({a, b->value});
    if (IsFixedRef(*b) && a->op == plan::TermOp::kConst) tests.push_back({b, a->value});
  }
  return tests;
}

}  // namespace

std::unique_ptr<plan::RuleIndex> BuildRuleIndex(const plan::RuleSet& rules) {
  if (rules.rules.size() < 2) return nullptr;
  // Per rule, its tests; an else chain is never skipped (its else branches
  // apply exactly when the test fails).
  std::vector<std::vector<Test>> tests(rules.rules.size());
  std::map<std::string, int> rules_per_ref;
  std::map<std::string, const plan::Term*> refs;
  for (size_t i = 0; i < rules.rules.size(); ++i) {
    if (rules.rules[i]->else_rule) continue;
    tests[i] = EqualityTests(rules.rules[i]->body);
    std::map<std::string, bool> seen;
    for (const Test& t : tests[i]) {
      std::string sig = Signature(*t.ref);
      refs[sig] = t.ref;
      if (!seen[sig]) ++rules_per_ref[sig];
      seen[sig] = true;
    }
  }
  std::string best;
  int best_count = 1;
  for (const auto& [sig, count] : rules_per_ref) {
    if (count > best_count) {
      best = sig;
      best_count = count;
    }
  }
  if (best.empty()) return nullptr;
  auto index = std::make_unique<plan::RuleIndex>();
  index->key = *refs[best];
  for (size_t i = 0; i < rules.rules.size(); ++i) {
    std::optional<Value> required;
    bool contradictory = false;
    for (const Test& t : tests[i]) {
      if (Signature(*t.ref) != best) continue;
      contradictory = contradictory || (required && *required != t.constant);
      required = t.constant;
    }
    // A rule with contradictory tests never matches; trying it stays correct.
    if (required && !contradictory) {
      index->by_value[*required].push_back(static_cast<int>(i));
    } else {
      index->unconditional.push_back(static_cast<int>(i));
    }
  }
  return index;
}

}  // namespace policyd::compile
