#include "engine/builtins/yaml.h"

#include <string>

#include "gtest/gtest.h"
#include "tests/engine/builtins/text_test_util.h"

namespace policyd {
namespace {

using ::policyd::testing::Error;
using ::policyd::testing::Eval;
using ::policyd::testing::I;
using ::policyd::testing::J;
using ::policyd::testing::S;
using ::policyd::testing::kType;
using ::policyd::testing::kBuiltin;

std::string Marshal(const Value& v) {
  auto r = testing::Call("yaml.marshal", {v});
  EXPECT_TRUE(r.ok() && r->has_value());
  return r.ok() && r->has_value() ? std::string((*r)->string()) : "";
}

TEST(YamlTest, MarshalBlockStyle) {
  EXPECT_EQ(Marshal(J(R"([{"foo": [1, 2, 3]}])")), "- foo:\n  - 1\n  - 2\n  - 3\n");
  EXPECT_EQ(Marshal(J(R"({"b": {"c": true, "d": null}, "a": [[1, 2], []], "e": {}})")),
            "a:\n- - 1\n  - 2\n- []\nb:\n  c: true\n  d: null\ne: {}\n");
  EXPECT_EQ(Marshal(S("x")), "x\n");
  EXPECT_EQ(Marshal(J("1.5")), "1.5\n");
  EXPECT_EQ(Marshal(J("{}")), "{}\n");
}

TEST(YamlTest, MarshalQuotesStringsThatWouldChangeMeaning) {
  EXPECT_EQ(Marshal(J(R"({"a": "true", "b": "1", "c": "", "d": "yes", "e": "null"})")),
            "a: \"true\"\nb: \"1\"\nc: \"\"\nd: \"yes\"\ne: \"null\"\n");
  EXPECT_EQ(Marshal(J(R"({"a": "- x", "b": "x: y", "c": "#x", "d": " x"})")),
            "a: '- x'\nb: 'x: y'\nc: '#x'\nd: ' x'\n");
  EXPECT_EQ(Marshal(J(R"({"a": "tab\there", "b": "l1\nl2"})")),
            "a: \"tab\\there\"\nb: |-\n  l1\n  l2\n");
  EXPECT_EQ(Marshal(J(R"({"a10": 1, "a2": 2, "b": 3})")), "a2: 2\na10: 1\nb: 3\n");
}

TEST(YamlTest, MarshalFoldsLongScalarsAt80Columns) {
  std::string words;
  for (int i = 0; i < 20; ++i) words += i == 0 ? "word" : " word";
  std::string first16;
  for (int i = 0; i < 16; ++i) first16 += i == 0 ? "word" : " word";
  EXPECT_EQ(Marshal(Value::Object({{S("a"), S(words)}})),
            "a: " + first16 + "\n  word word word word\n");
  // Folding is undone when reading back, in every style.
  for (std::string text : {words, "- " + words, words + "\t"}) {
    Value v = Value::Array({Value::Object({{S("k"), S(text)}})});
    auto m = testing::Call("yaml.marshal", {v});
    ASSERT_TRUE(m.ok() && m->has_value());
    EXPECT_EQ(Eval("yaml.unmarshal", {**m}), v.ToJson()) << (*m)->string();
  }
  // Literal blocks in sequences indent by two from the dash.
  EXPECT_EQ(Marshal(J(R"(["a\nb"])")), "- |-\n  a\n  b\n");
}

TEST(YamlTest, Unmarshal) {
  EXPECT_EQ(Eval("yaml.unmarshal", {S("foo:\n  - qux: bar\n  - baz: 2\n")}),
            R"({"foo":[{"qux":"bar"},{"baz":2}]})");
  EXPECT_EQ(Eval("yaml.unmarshal",
                 {S("a: yes\nb: off\nc: ~\nd: 0x1F\ne: 1_000\nf: 1.5e3\n"
                    "g: '1'\nh: 2001-12-14\n1: one\ntrue: t\n")}),
            R"({"1":"one","a":true,"b":false,"c":null,"d":31,"e":1000,"f":1500,)"
            R"("g":"1","h":"2001-12-14","true":"t"})");
  EXPECT_EQ(Eval("yaml.unmarshal", {S("base: &b {p: 1, q: 2}\nm:\n  <<: *b\n  q: 3\n")}),
            R"({"base":{"p":1,"q":2},"m":{"p":1,"q":3}})");
  // YAML 1.1, as go-yaml v2 reads it: the key y is the boolean true.
  EXPECT_EQ(Eval("yaml.unmarshal", {S("y: 1")}), R"({"true":1})");
  EXPECT_EQ(Eval("yaml.unmarshal", {S("")}), "null");
  EXPECT_EQ(Eval("yaml.unmarshal", {S("s: |\n  a\n  b\n")}), R"({"s":"a\nb\n"})");
}

TEST(YamlTest, UnmarshalErrors) {
  std::string msg = Error("yaml.unmarshal", {S("[1,2,3")}, kBuiltin);
  EXPECT_EQ(msg.rfind("yaml.unmarshal: yaml: line 1: did not find", 0), 0u)
      << msg;
  EXPECT_EQ(Error("yaml.unmarshal", {S("a: .inf")}, kBuiltin),
            "yaml.unmarshal: json: unsupported value: +Inf");
  EXPECT_EQ(Error("yaml.unmarshal", {I(1)}, kType),
            "yaml.unmarshal: operand 1 must be string but got number");
}

TEST(YamlTest, RoundTrip) {
  Value v = J(R"({"k": ["a: b", "- c", "x\ny", "", "0.5", "2", {"n": -3}]})");
  auto m = testing::Call("yaml.marshal", {v});
  ASSERT_TRUE(m.ok() && m->has_value());
  EXPECT_EQ(Eval("yaml.unmarshal", {**m}), v.ToJson());
}

TEST(YamlTest, IsValid) {
  EXPECT_EQ(Eval("yaml.is_valid", {S("foo:\n   - qux: bar\n   - baz: 2")}), "true");
  EXPECT_EQ(Eval("yaml.is_valid", {S("foo:\n   - qux: bar\n   - baz: {")}), "false");
  EXPECT_EQ(Eval("yaml.is_valid", {S(R"({"json": "ok"})")}), "true");
  EXPECT_EQ(Eval("yaml.is_valid", {I(1)}), "false");
}

// Nine levels of ten aliases each: about 500 bytes that name 10^9 nodes.
std::string BillionLaughs() {
  std::string doc = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i <= 8; ++i) {
    std::string prev = "*a" + std::to_string(i - 1);
    doc += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int j = 0; j < 10; ++j) doc += (j ? ", " : "") + prev;
    doc += "]\n";
  }
  return doc;
}

TEST(YamlTest, AliasBombsAreRefused) {
  std::string doc = BillionLaughs();
  EXPECT_LT(doc.size(), 600u);
  absl::StatusOr<Value> v = YamlToValue(doc);
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("too many nodes"), std::string::npos)
      << v.status();
  auto r = testing::Call("yaml.unmarshal", {S(doc)});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("yaml.unmarshal: yaml: document expands to too many nodes"),
            std::string::npos)
      << r.status();
  // Aliases used sparingly are fine.
  EXPECT_EQ(YamlToValue("a: &x [1, 2]\nb: *x\n")->ToJson(), R"({"a":[1,2],"b":[1,2]})");
}

TEST(YamlTest, DeepNestingIsRefused) {
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "- ";
  deep += "x\n";
  EXPECT_FALSE(YamlToValue(deep).ok());
  EXPECT_FALSE(YamlToValue(std::string(100000, '[') + std::string(100000, ']')).ok());
}

// go-yaml v2's YAML 1.1 resolution, which OPA's loader uses for data files.
TEST(YamlTest, ResolvesScalarsAsYaml11) {
  EXPECT_EQ(YamlToValue("a: yes\nb: off\nc: y\nd: N\ne: 0x1F\nf: 017\ng: 0o17\n"
                        "h: 1_000\ni: '1_000'\nj: 2001-12-14\n")
                ->ToJson(),
            R"({"a":true,"b":false,"c":true,"d":false,"e":31,"f":15,"g":15,)"
            R"("h":1000,"i":"1_000","j":"2001-12-14"})");
  EXPECT_EQ(YamlToValue("base: &b {p: 1, q: 2}\nd:\n  <<: *b\n  q: 3\n")->ToJson(),
            R"({"base":{"p":1,"q":2},"d":{"p":1,"q":3}})");
  // A key is resolved too: `y` is the boolean true, written as "true".
  EXPECT_EQ(YamlToValue("y: 1\n")->ToJson(), R"({"true":1})");
  // A float key beyond float32's range (a fuzz_yaml_value finding: UB).
  EXPECT_EQ(YamlToValue("1e39: 1\n-1e39: 2\n")->ToJson(), R"({"+Inf":1,"-Inf":2})");
}

}  // namespace
}  // namespace policyd
