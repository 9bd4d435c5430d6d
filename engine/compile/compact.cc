#include "engine/compile/compact.h"

#include "engine/value/packer.h"

namespace policyd::compile {
namespace {

// One pass over a plan, moving what it can into the arena and the
// constants into packed chunks.
class Compactor {
 public:
  explicit Compactor(plan::PlanArena& arena) : arena_(arena) {}

  void CompactNode(plan::Node& node) {
    if (node.rules) CompactRules(node.rules->rules, node.rules->default_rule);
    if (node.function) CompactRules(node.function->rules, node.function->default_rule);
    node.key_path.MoveInto(arena_);
    for (auto& [name, child] : node.children) CompactNode(*child);
  }

 private:
  void CompactTerm(plan::Term& t) {
    if (t.value.rep() != nullptr) t.value = values_.Pack(t.value);
    t.items.MoveInto(arena_);
    for (plan::Term& i : t.items) CompactTerm(i);
    t.parts.MoveInto(arena_);
    if (plan::TermParts* parts = t.parts.get()) {
      parts->pairs.MoveInto(arena_);
      for (auto& [k, v] : parts->pairs) {
        CompactTerm(k);
        CompactTerm(v);
      }
      CompactBoxed(parts->key);
      CompactBoxed(parts->head);
      CompactBoxed(parts->body);
      parts->eval_order.MoveInto(arena_);
    }
  }

  void CompactBoxed(plan::Boxed<plan::Term>& term) {
    term.MoveInto(arena_);
    if (term) CompactTerm(*term);
  }
  void CompactBoxed(plan::Boxed<plan::Body>& body) {
    body.MoveInto(arena_);
    if (body) CompactBody(*body);
  }

  void CompactBody(plan::Body& body) {
    body.exprs.MoveInto(arena_);
    for (plan::Expr& e : body.exprs) {
      CompactTerm(e.a);
      CompactTerm(e.b);
      e.withs.shrink_to_fit();
      for (plan::With& w : e.withs) CompactTerm(w.value);
      e.parts.MoveInto(arena_);
      if (plan::ExprParts* parts = e.parts.get()) {
        CompactBoxed(parts->key);
        CompactBoxed(parts->value);
        CompactTerm(parts->collection);
        CompactBoxed(parts->body);
      }
    }
  }

  void CompactRules(plan::TightVector<plan::Boxed<plan::Rule>>& rules,
                    plan::Boxed<plan::Rule>& default_rule) {
    rules.MoveInto(arena_);
    for (plan::Boxed<plan::Rule>& rule : rules) CompactRule(rule);
    CompactRule(default_rule);
  }

  // A rule and its else chain.
  void CompactRule(plan::Boxed<plan::Rule>& rule) {
    for (plan::Boxed<plan::Rule>* link = &rule; *link; link = &(*link)->else_rule) {
      link->MoveInto(arena_);
      plan::Rule& r = **link;
      CompactBody(r.body);
      r.key_path.MoveInto(arena_);
      for (plan::Term& t : r.key_path) CompactTerm(t);
      CompactTerm(r.key);
      CompactTerm(r.value);
      r.params.MoveInto(arena_);
      for (plan::Term& t : r.params) CompactTerm(t);
    }
  }

  plan::PlanArena& arena_;
  ValuePacker values_;
};

}  // namespace

void Compact(plan::Node& root, plan::PlanArena& arena) { Compactor(arena).CompactNode(root); }

}  // namespace policyd::compile
