// graph.reachable and graph.reachable_paths. A graph is an object from node
// to its neighbours (an array or a set; any other value is a node without
// edges); the initial nodes are an array or a set. Nodes that are not keys
// of the graph are never reached.
//
// reachable_paths follows OPA's traversal step for step, because its output
// depends on it: each edge out of a start node begins a depth-first walk with
// its own "reached" set, a walk stops at a node already reached (committing
// the path so far) or at a node outside the graph (committing the path
// without it), and a node without edges commits the path through it.
#include <optional>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "engine/builtins/args.h"
#include "engine/builtins/builtin.h"
#include "engine/value/value.h"

namespace policyd {
namespace {

using Args = absl::Span<const Value>;
using NodeSet = absl::flat_hash_set<Value, ValueHash>;

// The vertices of an edge collection: an array's or set's elements; none for
// anything else.
absl::Span<const Value> Vertices(const Value& collection) {
  if (collection.is_array() || collection.is_set()) return collection.elements();
  return {};
}

// The start nodes, or OPA's operand error for anything but an array or set.
absl::StatusOr<absl::Span<const Value>> InitialNodes(std::string_view name,
                                                       const Value& initial) {
  if (!initial.is_array() && !initial.is_set()) {
    return OperandTypeError(name, 2, "{array, set}", initial);
  }
  return initial.elements();
}

BuiltinResult Reachable(BuiltinContext&, Args args) {
  constexpr std::string_view kName = "graph.reachable";
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 1, args[0], Kind::kObject));
  POLICYD_ASSIGN_OR_RETURN(absl::Span<const Value> initial,
                           InitialNodes(kName, args[1]));
  const Value& graph = args[0];
  std::vector<Value> queue(initial.begin(), initial.end());
  NodeSet reached;
  // Breadth first; a node may be queued twice before it is reached, which
  // only costs a second lookup.
  for (size_t i = 0; i < queue.size(); ++i) {
    const Value* edges = graph.Find(queue[i]);
    if (edges == nullptr) continue;
    for (const Value& neighbor : Vertices(*edges)) {
      if (!reached.contains(neighbor)) queue.push_back(neighbor);
    }
    reached.insert(queue[i]);
  }
  return ValueResult(Value::Set(std::vector<Value>(reached.begin(), reached.end())));
}

// OPA's depth-first path walk from `start` along its edge to `first`, with
// an explicit stack (graphs may come from input; deep ones must not exhaust
// the thread's stack). Committed paths go to `out`.
class PathWalk {
 public:
  PathWalk(const Value& graph, std::vector<Value>& out) : graph_(graph), out_(out) {}

  void Run(const Value& start, const Value& first) {
    path_ = {start};
    reached_ = {start};
    Enter(first);
    while (!stack_.empty()) {
      Frame& top = stack_.back();
      if (top.next == top.neighbors.size()) {
        path_.pop_back();
        stack_.pop_back();
        continue;
      }
      const Value& neighbor = top.neighbors[top.next++];
      if (reached_.contains(neighbor)) {
        // OPA appends the path to one buffer per node each time a neighbour
        // was already reached and commits the whole buffer, so a node with
        // several reached neighbours commits the path repeated; kept for
        // equal output.
        top.committed.insert(top.committed.end(), path_.begin(), path_.end());
        out_.push_back(Value::Array(top.committed));
      } else {
        reached_.insert(path_.back());
        Enter(neighbor);  // may invalidate `top`
      }
    }
  }

 private:
  struct Frame {
    absl::Span<const Value> neighbors;
    size_t next = 0;
    std::vector<Value> committed;
  };

  // Arrives at `node`: a node outside the graph ends the path before it, a
  // node without edges ends it after it; any other is walked from.
  void Enter(const Value& node) {
    const Value* edges = graph_.Find(node);
    if (edges == nullptr) {
      out_.push_back(Value::Array(path_));
      return;
    }
    path_.push_back(node);
    absl::Span<const Value> neighbors = Vertices(*edges);
    if (neighbors.empty()) {
      out_.push_back(Value::Array(path_));
      path_.pop_back();
      return;
    }
    stack_.push_back(Frame{neighbors, 0, {}});
  }

  const Value& graph_;
  std::vector<Value>& out_;
  std::vector<Value> path_;
  NodeSet reached_;
  std::vector<Frame> stack_;
};

BuiltinResult ReachablePaths(BuiltinContext&, Args args) {
  constexpr std::string_view kName = "graph.reachable_paths";
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 1, args[0], Kind::kObject));
  POLICYD_ASSIGN_OR_RETURN(absl::Span<const Value> initial,
                           InitialNodes(kName, args[1]));
  const Value& graph = args[0];
  std::vector<Value> out;
  for (const Value& start : initial) {
    const Value* edges = graph.Find(start);
    if (edges == nullptr) continue;
    absl::Span<const Value> neighbors = Vertices(*edges);
    if (neighbors.empty()) {
      out.push_back(Value::Array({start}));
      continue;
    }
    PathWalk walk(graph, out);
    for (const Value& neighbor : neighbors) walk.Run(start, neighbor);
  }
  return ValueResult(Value::Set(std::move(out)));
}

}  // namespace

void RegisterGraphBuiltins(BuiltinRegistry& registry) {
  registry.Add({.name = "graph.reachable", .arity = 2, .fn = Reachable});
  registry.Add({.name = "graph.reachable_paths", .arity = 2, .fn = ReachablePaths});
}

}  // namespace policyd
