#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "tests/engine/builtins/core_test_util.h"

namespace policyd {
namespace {

using ::policyd::core_testing::Call;
using ::policyd::core_testing::Eval;

TEST(GraphTest, ReachableFollowsEdgesFromEveryStart) {
  EXPECT_EQ(Eval("graph.reachable", "{}", "{\"a\"}"), "set()");
  EXPECT_EQ(Eval("graph.reachable", R"({"a": {"b"}, "b": {"c"}, "c": {"a"}})", R"({"a"})"),
            R"({"a", "b", "c"})");
  EXPECT_EQ(Eval("graph.reachable",
                 R"({"a": {"b", "c"}, "b": {"d"}, "c": {"d"}, "d": set(),
                     "e": {"f"}, "f": {"e"}, "x": {"x"}})",
                 R"({"b", "e"})"),
            R"({"b", "d", "e", "f"})");
  EXPECT_EQ(Eval("graph.reachable", R"({"a": ["b"], "b": ["c"], "c": ["a"]})", R"(["a"])"),
            R"({"a", "b", "c"})");
}

TEST(GraphTest, ReachableSkipsNodesOutsideTheGraph) {
  // A node whose edges are not a collection is reached but leads nowhere; a
  // node that is not a key is never reached.
  EXPECT_EQ(Eval("graph.reachable", R"({"a": null})", R"(["a"])"), R"({"a"})");
  EXPECT_EQ(Eval("graph.reachable", R"({"a": ["b", "zz"], "b": []})", R"(["a", "q"])"),
            R"({"a", "b"})");
  EXPECT_EQ(Eval("graph.reachable", R"({1: [2], 2: []})", "[1]"), "{1, 2}");
}

TEST(GraphTest, ReachableOperandErrors) {
  EXPECT_EQ(Eval("graph.reachable", "1", "[1]"),
            "type error: graph.reachable: operand 1 must be object but got number");
  EXPECT_EQ(Eval("graph.reachable", R"({"a": []})", R"("a")"),
            "type error: graph.reachable: operand 2 must be {array, set} but got string");
}

TEST(GraphTest, ReachablePaths) {
  constexpr std::string_view kName = "graph.reachable_paths";
  EXPECT_EQ(Eval(kName, "{}", R"({"a"})"), "set()");
  EXPECT_EQ(Eval(kName, R"({"a": {"b"}, "b": {"c"}, "c": {"a"}})", R"({"a"})"),
            R"({["a", "b", "c"]})");
  EXPECT_EQ(Eval(kName,
                 R"({"a": {"b", "c"}, "b": {"d"}, "c": {"d"}, "d": set(),
                     "e": {"f"}, "f": {"e"}, "x": {"x"}})",
                 R"({"b", "e"})"),
            R"({["b", "d"], ["e", "f"]})");
  EXPECT_EQ(Eval(kName, R"({"a": null})", R"(["a"])"), R"({["a"]})");
  EXPECT_EQ(Eval(kName, R"({"a": ["b", "c"], "b": ["c"], "c": []})", R"({"a"})"),
            R"({["a", "b", "c"], ["a", "c"]})");
  EXPECT_EQ(Eval(kName, R"({"a": ["b"], "b": ["nonexistent"]})", R"({"a", "b"})"),
            R"({["a", "b"], ["b"]})");
}

TEST(GraphTest, ReachablePathsStopsAtNodesReachedBefore) {
  // "seven" was reached under "five" before "six" looks at it, so that path
  // ends at "six"; "three" is reached afresh under each edge of "one".
  EXPECT_EQ(Eval("graph.reachable_paths",
                 R"({"one": ["two", "five"], "two": ["four"], "three": [""],
                     "four": ["three"], "five": ["seven", "six"],
                     "six": ["nine", "seven"], "seven": ["eight"],
                     "eight": ["three"], "nine": [""]})",
                 R"({"one"})"),
            R"({["one", "five", "seven", "eight", "three"], ["one", "five", "six"], )"
            R"(["one", "five", "six", "nine"], ["one", "two", "four", "three"]})");
}

TEST(GraphTest, ReachablePathsRepeatsPathForSeveralReachedNeighbours) {
  // OPA's walk commits its per-node buffer each time, so "b" with two
  // reached neighbours commits [a, b] and then [a, b, a, b].
  EXPECT_EQ(Eval("graph.reachable_paths", R"({"a": ["b"], "b": ["a", "a"]})", R"(["a"])"),
            R"({["a", "b"], ["a", "b", "a", "b"]})");
}

TEST(GraphTest, DeepChainsNeedNoDeepRecursion) {
  // 0 -> 1 -> ... -> n-1 -> n (n outside the graph): one path of n nodes.
  constexpr int64_t kNodes = 300000;
  std::vector<ObjectEntry> edges;
  for (int64_t i = 0; i < kNodes; ++i) {
    edges.emplace_back(Value::Int(i), Value::Array({Value::Int(i + 1)}));
  }
  Value graph = Value::Object(std::move(edges));
  std::string reached = Call("graph.reachable", {graph, Value::Array({Value::Int(0)})});
  EXPECT_EQ(std::count(reached.begin(), reached.end(), ','), kNodes - 1);
  std::string paths = Call("graph.reachable_paths", {graph, Value::Array({Value::Int(0)})});
  EXPECT_EQ(paths.substr(0, 9), "{[0, 1, 2");
  EXPECT_EQ(std::count(paths.begin(), paths.end(), ','), kNodes - 1);
}

TEST(GraphTest, ReachablePathsOperandErrors) {
  EXPECT_EQ(Eval("graph.reachable_paths", "1", "[1]"),
            "type error: graph.reachable_paths: operand 1 must be object but got number");
  EXPECT_EQ(Eval("graph.reachable_paths", R"({"a": []})", R"("a")"),
            "type error: graph.reachable_paths: operand 2 must be {array, set} but got string");
}

}  // namespace
}  // namespace policyd
