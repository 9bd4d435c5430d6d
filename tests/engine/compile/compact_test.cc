#include "engine/compile/compact.h"

#include <memory>

#include "engine/compile/compiler.h"
#include "engine/compile/plan.h"
#include "engine/syntax/parser.h"
#include "gtest/gtest.h"

namespace policyd::compile {
namespace {

// Every vector of a term tree, checked to hold no spare capacity.
void ExpectTight(const plan::Term& t) {
  EXPECT_EQ(t.items.capacity(), t.items.size());
  for (const plan::Term& i : t.items) ExpectTight(i);
  for (const auto& [k, v] : t.pairs()) {
    ExpectTight(k);
    ExpectTight(v);
  }
}

// data.t.p compiled from `rego`: a reference of five keys and a call of
// three arguments grow their vectors past their sizes while lowering.
const plan::Rule& FirstRuleOf(const CompiledModules& c) {
  return *c.root->children.at("t")->children.at("p")->rules->rules[0];
}

TEST(CompactTest, CompiledPlansKeepNoSpareCapacity) {
  auto m = ast::ParseModule("m.rego",
                            "package t\n"
                            "p if {\n"
                            "  x := input.a.b.c.d.e\n"
                            "  y := {\"k\": x, \"n\": [x, input.f, 3]}\n"
                            "  trim_left(x, y.k, _)\n"
                            "  z := [v | some v in input.list; v != x]\n"
                            "  count(z) > 0\n"
                            "}\n");
  ASSERT_TRUE(m.ok()) << m.status();
  std::vector<ast::Module> modules;
  modules.push_back(*std::move(m));
  absl::StatusOr<CompiledModules> c = CompileModules(modules);
  ASSERT_TRUE(c.ok()) << c.status();
  const plan::Rule& rule = FirstRuleOf(*c);
  EXPECT_EQ(rule.body.exprs.capacity(), rule.body.exprs.size());
  // The plan lives in the compiled set's arena, its constants in chunks.
  EXPECT_TRUE(rule.body.exprs.in_arena());
  EXPECT_GT(c->arena->reserved_bytes(), 0u);
  int refs = 0;
  for (const plan::Expr& e : rule.body.exprs) {
    ExpectTight(e.a);
    ExpectTight(e.b);
    if (e.b.op == plan::TermOp::kRef && e.b.items.size() == 6) {
      ++refs;
      EXPECT_TRUE(e.b.items.in_arena());
    }
  }
  EXPECT_EQ(refs, 1);  // input.a.b.c.d.e: base and five keys
}

TEST(CompactTest, PlanTermsCopyTheirOutOfLinePartsDeeply) {
  plan::Term object;
  object.op = plan::TermOp::kObject;
  plan::Term key, value;
  key.value = Value::String("k");
  value.value = Value::Int(1);
  object.parts.Mutable().pairs.emplace_back(key, value);
  plan::Term copy = object;
  ASSERT_EQ(copy.pairs().size(), 1u);
  EXPECT_NE(copy.parts.get(), object.parts.get());
  copy.parts.Mutable().pairs = {};
  EXPECT_EQ(object.pairs().size(), 1u);
  // A term without the parts reads them as empty.
  EXPECT_TRUE(key.pairs().empty());
  EXPECT_TRUE(key.eval_order().empty());
  EXPECT_EQ(key.body(), nullptr);
}

}  // namespace
}  // namespace policyd::compile
