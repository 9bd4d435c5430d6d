#include "engine/compile/recursion.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/errors.h"

namespace policyd::compile {
namespace {

// The rule nodes each rule node (rules or function) depends on.
class DependencyGraph {
 public:
  explicit DependencyGraph(const plan::Node& root) : root_(root) {
    Index(root);
    for (const plan::Node* node : nodes_) {
      current_ = node;
      if (node->rules) {
        for (auto& r : node->rules->rules) VisitRule(*r);
        if (node->rules->default_rule) VisitRule(*node->rules->default_rule);
      }
      if (node->function) {
        for (auto& r : node->function->rules) VisitRule(*r);
        if (node->function->default_rule) VisitRule(*node->function->default_rule);
      }
    }
  }

  absl::Status Check() {
    for (const plan::Node* node : nodes_) {
      if (absl::Status s = Visit(node); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

 private:
  void Index(const plan::Node& node) {
    if (node.rules || node.function) nodes_.push_back(&node);
    if (node.function) function_nodes_[node.function.get()] = &node;
    for (auto& [k, c] : node.children) Index(*c);
  }

  void AddBelow(const plan::Node& node) {
    if (node.rules || node.function) edges_[current_].insert(&node);
    for (auto& [k, c] : node.children) {
      if (c->has_rules_below) AddBelow(*c);
    }
  }

  // The rule nodes a data ref can reach from `node` with its keys from
  // `i` on: a constant key follows one child, any other key all of them.
  void AddMatching(const plan::Node& node, const plan::Term& ref, size_t i) {
    if (node.rules || node.function) {
      edges_[current_].insert(&node);
      return;
    }
    if (i == ref.items.size()) {
      AddBelow(node);
      return;
    }
    const plan::Term& key = ref.items[i];
    if (key.op == plan::TermOp::kConst) {
      if (!key.value.is_string()) return;
      auto it = node.children.find(key.value.string());
      if (it != node.children.end()) AddMatching(*it->second, ref, i + 1);
      return;
    }
    for (auto& [k, c] : node.children) {
      if (c->has_rules_below) AddMatching(*c, ref, i + 1);
    }
  }

  void VisitRule(const plan::Rule& rule) {
    for (const plan::Rule* link = &rule; link; link = link->else_rule.get()) {
      VisitBody(link->body);
      for (auto& t : link->key_path) VisitTerm(t);
      VisitTerm(link->key);
      VisitTerm(link->value);
      for (auto& t : link->params) VisitTerm(t);
    }
  }

  void VisitBody(const plan::Body& body) {
    for (const plan::Expr& e : body.exprs) {
      VisitTerm(e.a);
      VisitTerm(e.b);
      if (e.key()) VisitTerm(*e.key());
      if (e.value()) VisitTerm(*e.value());
      VisitTerm(e.collection());
      if (e.body()) VisitBody(*e.body());
      for (const plan::With& w : e.withs) {
        VisitTerm(w.value);
        if (w.replacement_function) {
          edges_[current_].insert(function_nodes_[w.replacement_function]);
        }
      }
    }
  }

  void VisitTerm(const plan::Term& t) {
    switch (t.op) {
      case plan::TermOp::kData:
        AddBelow(root_);
        break;
      case plan::TermOp::kRef:
        if (t.items[0].op == plan::TermOp::kData) {
          if (!t.leaves_tree) {
            AddMatching(t.node() ? *t.node() : root_, t, t.node() ? t.node_depth : 1);
          }
          for (size_t i = 1; i < t.items.size(); ++i) VisitTerm(t.items[i]);
          return;
        }
        break;
      case plan::TermOp::kCall:
        if (t.function()) edges_[current_].insert(function_nodes_[t.function()]);
        break;
      default:
        break;
    }
    for (auto& i : t.items) VisitTerm(i);
    for (auto& [k, v] : t.pairs()) {
      VisitTerm(k);
      VisitTerm(v);
    }
    if (t.key()) VisitTerm(*t.key());
    if (t.head()) VisitTerm(*t.head());
    if (t.body()) VisitBody(*t.body());
  }

  static const plan::Rule* FirstRule(const plan::Node& node) {
    if (node.rules && !node.rules->rules.empty()) return node.rules->rules[0].get();
    if (node.function && !node.function->rules.empty()) {
      return node.function->rules[0].get();
    }
    return nullptr;
  }

  // Depth-first from `start` over the dependency edges, with an explicit
  // stack: a chain of rules each using the next is as long as the policy
  // makes it, so the walk must not recurse.
  absl::Status Visit(const plan::Node* start) {
    if (done_.count(start)) return absl::OkStatus();
    struct Step {
      const plan::Node* node;
      std::set<const plan::Node*>::const_iterator next;
    };
    std::vector<Step> stack;
    std::set<const plan::Node*> on_path;
    auto enter = [&](const plan::Node* node) {
      stack.push_back({node, edges_[node].cbegin()});
      on_path.insert(node);
    };
    enter(start);
    while (!stack.empty()) {
      Step& top = stack.back();
      if (top.next == edges_[top.node].cend()) {
        on_path.erase(top.node);
        done_.insert(top.node);
        stack.pop_back();
        continue;
      }
      const plan::Node* dep = *top.next++;
      if (done_.count(dep)) continue;
      if (on_path.count(dep)) return CycleError(stack, dep);
      enter(dep);
    }
    return absl::OkStatus();
  }

  // rego_recursion_error naming the cycle that reaches `node` again.
  template <typename Stack>
  static absl::Status CycleError(const Stack& stack, const plan::Node* node) {
    size_t i = 0;
    while (stack[i].node != node) ++i;
    std::string cycle;
    for (; i < stack.size(); ++i) cycle.append(stack[i].node->path).append(" -> ");
    cycle += node->path;
    const plan::Rule* first = FirstRule(*node);
    return MakeError(kRegoRecursionError, first ? first->file_name() : "",
                     first ? first->loc.line : 0, 0,
                     "rule " + std::string(node->path) + " is recursive: " + cycle);
  }

  const plan::Node& root_;
  const plan::Node* current_ = nullptr;
  std::vector<const plan::Node*> nodes_;
  std::map<const plan::Function*, const plan::Node*> function_nodes_;
  std::map<const plan::Node*, std::set<const plan::Node*>> edges_;
  std::set<const plan::Node*> done_;
};

}  // namespace

absl::Status CheckRecursion(const plan::Node& root) {
  DependencyGraph graph(root);
  return graph.Check();
}

}  // namespace policyd::compile
