#include "engine/compile/compact.h"

namespace policyd::compile {
namespace {

void CompactBody(plan::Body& body);

void CompactTerm(plan::Term& t) {
  t.items.shrink_to_fit();
  for (plan::Term& i : t.items) CompactTerm(i);
  if (plan::TermParts* parts = t.parts.get()) {
    parts->pairs.shrink_to_fit();
    for (auto& [k, v] : parts->pairs) {
      CompactTerm(k);
      CompactTerm(v);
    }
    if (parts->key) CompactTerm(*parts->key);
    if (parts->head) CompactTerm(*parts->head);
    if (parts->body) CompactBody(*parts->body);
    parts->eval_order.shrink_to_fit();
  }
}

void CompactBody(plan::Body& body) {
  body.exprs.shrink_to_fit();
  for (plan::Expr& e : body.exprs) {
    CompactTerm(e.a);
    CompactTerm(e.b);
    e.withs.shrink_to_fit();
    for (plan::With& w : e.withs) CompactTerm(w.value);
    if (plan::ExprParts* parts = e.parts.get()) {
      if (parts->key) CompactTerm(*parts->key);
      if (parts->value) CompactTerm(*parts->value);
      CompactTerm(parts->collection);
      if (parts->body) CompactBody(*parts->body);
    }
  }
}

void CompactRule(plan::Rule& rule) {
  for (plan::Rule* link = &rule; link != nullptr; link = link->else_rule.get()) {
    CompactBody(link->body);
    link->key_path.shrink_to_fit();
    for (plan::Term& t : link->key_path) CompactTerm(t);
    CompactTerm(link->key);
    CompactTerm(link->value);
    link->params.shrink_to_fit();
    for (plan::Term& t : link->params) CompactTerm(t);
  }
}

}  // namespace

void Compact(plan::Node& node) {
  if (node.rules) {
    node.rules->rules.shrink_to_fit();
    for (auto& r : node.rules->rules) CompactRule(*r);
    if (node.rules->default_rule) CompactRule(*node.rules->default_rule);
  }
  if (node.function) {
    node.function->rules.shrink_to_fit();
    for (auto& r : node.function->rules) CompactRule(*r);
    if (node.function->default_rule) CompactRule(*node.function->default_rule);
  }
  node.key_path.shrink_to_fit();
  for (auto& [name, child] : node.children) Compact(*child);
}

}  // namespace policyd::compile
