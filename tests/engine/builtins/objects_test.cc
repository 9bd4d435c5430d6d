#include "gtest/gtest.h"
#include "tests/engine/builtins/core_test_util.h"

namespace policyd {
namespace {

using core_testing::Eval;

TEST(ObjectsTest, GetByKey) {
  EXPECT_EQ(Eval("object.get", "{\"a\": \"b\"}", "\"a\"", "\"c\""), "\"b\"");
  EXPECT_EQ(Eval("object.get", "{\"a\": \"b\"}", "\"c\"", "\"c\""), "\"c\"");
  EXPECT_EQ(Eval("object.get", "{1: 2}", "1", "3"), "2");
  EXPECT_EQ(Eval("object.get", "{\"a\": null}", "\"a\"", "3"), "null");
  EXPECT_EQ(Eval("object.get", "\"x\"", "[\"a\"]", "2"),
            "type error: object.get: operand 1 must be object but got string");
}

TEST(ObjectsTest, GetByPath) {
  EXPECT_EQ(Eval("object.get", "{\"a\": 1}", "[]", "2"), "{\"a\": 1}");
  EXPECT_EQ(Eval("object.get", "{\"a\": {\"b\": {\"c\": 1}}}", "[\"a\", \"b\", \"c\"]", "2"),
            "1");
  EXPECT_EQ(Eval("object.get", "{\"a\": {\"b\": 1}}", "[\"b\", \"a\"]", "2"), "2");
  EXPECT_EQ(Eval("object.get", "{1: {\"b\": {[1, 2, 3]: 1}}}", "[1, \"b\", [1, 2, 3]]", "2"),
            "1");
  EXPECT_EQ(Eval("object.get", "{\"a\": {\"b\": [1, 2, 3]}}", "[\"a\", \"b\", \"a\"]", "2"),
            "2");
  EXPECT_EQ(Eval("object.get", "{\"a\": {\"b\": [{\"c\": 1}]}}", "[\"a\", \"b\", 0, \"c\"]", "2"),
            "1");
  EXPECT_EQ(Eval("object.get", "{\"a\": {\"x\", \"y\"}}", "[\"a\", \"x\"]", "2"), "\"x\"");
  EXPECT_EQ(Eval("object.get", "{\"a\": \"s\"}", "[\"a\", 0]", "2"), "2");
}

TEST(ObjectsTest, Keys) {
  EXPECT_EQ(Eval("object.keys", "{\"a\": 1, \"b\": 2}"), "{\"a\", \"b\"}");
  EXPECT_EQ(Eval("object.keys", "{[\"a\"]: 1, 2: 2}"), "{2, [\"a\"]}");
  EXPECT_EQ(Eval("object.keys", "{}"), "set()");
  EXPECT_EQ(Eval("object.keys", "\"a\""),
            "type error: object.keys: operand 1 must be object but got string");
}

TEST(ObjectsTest, RemoveAndFilter) {
  const char* obj = "{\"a\": 1, \"b\": {\"c\": 3}, \"d\": 4}";
  EXPECT_EQ(Eval("object.remove", obj, "{\"b\", \"d\"}"), "{\"a\": 1}");
  EXPECT_EQ(Eval("object.remove", obj, "[\"d\", \"b\"]"), "{\"a\": 1}");
  EXPECT_EQ(Eval("object.remove", obj, "{\"b\": 1, \"d\": \"\"}"), "{\"a\": 1}");
  EXPECT_EQ(Eval("object.remove", obj, "{\"z\"}"), "{\"a\": 1, \"b\": {\"c\": 3}, \"d\": 4}");
  EXPECT_EQ(Eval("object.remove", "{\"a\": 1, [[7]]: 2}", "{[[7]]}"), "{\"a\": 1}");
  EXPECT_EQ(Eval("object.filter", obj, "{\"a\", \"d\"}"), "{\"a\": 1, \"d\": 4}");
  EXPECT_EQ(Eval("object.filter", obj, "[\"b\"]"), "{\"b\": {\"c\": 3}}");
  EXPECT_EQ(Eval("object.filter", obj, "{\"a\": \"x\"}"), "{\"a\": 1}");
  EXPECT_EQ(Eval("object.filter", obj, "set()"), "{}");
  EXPECT_EQ(Eval("object.filter", "{\"a\": 1, [[7]]: 2}", "{[[7]]}"), "{[[7]]: 2}");
  EXPECT_EQ(Eval("object.remove", "[1]", "{\"a\"}"),
            "type error: object.remove: operand 1 must be object but got array");
  EXPECT_EQ(Eval("object.filter", "{\"a\": 1}", "\"a\""),
            "type error: object.filter: operand 2 must be one of {object, set, array} but got "
            "string");
}

TEST(ObjectsTest, Union) {
  EXPECT_EQ(Eval("object.union", "{}", "{}"), "{}");
  EXPECT_EQ(Eval("object.union", "{\"a\": 1}", "{\"b\": 2}"), "{\"a\": 1, \"b\": 2}");
  EXPECT_EQ(Eval("object.union", "{\"a\": 1}", "{\"a\": 2}"), "{\"a\": 2}");
  EXPECT_EQ(Eval("object.union", "{\"a\": {\"b\": {\"c\": 1}}, \"e\": 1}",
                "{\"a\": {\"b\": \"foo\", \"b1\": \"bar\"}, \"d\": 7, \"e\": 17}"),
            "{\"a\": {\"b\": \"foo\", \"b1\": \"bar\"}, \"d\": 7, \"e\": 17}");
  EXPECT_EQ(Eval("object.union", "{\"a\": {\"x\": 1}}", "{\"a\": {\"y\": 2}}"),
            "{\"a\": {\"x\": 1, \"y\": 2}}");
  EXPECT_EQ(Eval("object.union", "[]", "{}"),
            "type error: object.union: operand 1 must be object but got array");
  EXPECT_EQ(Eval("object.union", "{}", "[]"),
            "type error: object.union: operand 2 must be object but got array");
}

TEST(ObjectsTest, UnionN) {
  EXPECT_EQ(Eval("object.union_n", "[]"), "{}");
  EXPECT_EQ(Eval("object.union_n", "[{\"foo\": \"bar\"}, {\"foo\": \"baz\"}]"),
            "{\"foo\": \"baz\"}");
  EXPECT_EQ(Eval("object.union_n", "[{\"a\": 1, \"b\": 2, \"c\": 3}, {\"foo\": \"baz\", \"a\": "
                                  "\"a\", \"d\": 4}, {\"a\": \"final\", \"e\": 5.0}]"),
            "{\"a\": \"final\", \"b\": 2, \"c\": 3, \"d\": 4, \"e\": 5.0, \"foo\": \"baz\"}");
  // A non-object in between stops earlier objects from merging in.
  EXPECT_EQ(Eval("object.union_n", "[{\"a\": {\"b\": 2}}, {\"a\": 4}, {\"a\": {\"c\": 3}}]"),
            "{\"a\": {\"c\": 3}}");
  EXPECT_EQ(Eval("object.union_n", "{}"),
            "type error: object.union_n: operand 1 must be array but got object");
  EXPECT_EQ(Eval("object.union_n", "[{}, 1]"),
            "type error: object.union_n: operand 1 must be array of objects but got array "
            "containing number");
}

TEST(ObjectsTest, Subset) {
  EXPECT_EQ(Eval("object.subset", "{\"a\": 5, \"b\": 7}", "{\"a\": 5}"), "true");
  EXPECT_EQ(Eval("object.subset", "{\"a\": 5}", "{\"a\": 5, \"b\": 7}"), "false");
  EXPECT_EQ(Eval("object.subset", "{\"a\": 5, \"b\": 7}", "{\"a\": 5, \"b\": 10}"), "false");
  EXPECT_EQ(Eval("object.subset",
                "{\"n\": {\"x\": 10, \"s\": {1, 2, 3, 4}, \"arr\": [6, 7, 8, 9]}, \"a\": 1}",
                "{\"n\": {\"s\": {4, 1}, \"arr\": [6, 7]}}"),
            "true");
  EXPECT_EQ(Eval("object.subset", "{\"n\": [1, 2]}", "{\"n\": {1}}"), "false");
  EXPECT_EQ(Eval("object.subset", "{1, 2, 3}", "{3, 2}"), "true");
  EXPECT_EQ(Eval("object.subset", "{1, 2, 3, {\"a\", \"b\"}}", "{{\"a\"}}"), "false");
  EXPECT_EQ(Eval("object.subset", "[1, 2, 3, 4, 5, 6]", "[3, 4, 5]"), "true");
  EXPECT_EQ(Eval("object.subset", "[1, 2, 3, 4, 5, 6]", "[4, 5, 6, 8]"), "false");
  EXPECT_EQ(Eval("object.subset", "[1, 2, 3, 4]", "[1, 3]"), "false");
  EXPECT_EQ(Eval("object.subset", "[1, 2]", "[]"), "true");
  EXPECT_EQ(Eval("object.subset", "[1, 2, 3, 4, 5, 6]", "{4, 3, 2}"), "true");
  EXPECT_EQ(Eval("object.subset", "[1, 2, 3, 4, 5, 6]", "{9, 8, 7}"), "false");
  EXPECT_EQ(Eval("object.subset", "{4, 3, 2}", "[1, 2, 3]"),
            "type error: object.subset: both arguments object.subset must be of the same type "
            "or array and set");
  EXPECT_EQ(Eval("object.subset", "1", "1"),
            "type error: object.subset: both arguments object.subset must be of the same type "
            "or array and set");
}

TEST(ObjectsTest, JsonFilter) {
  const char* doc = "{\"a\": {\"b\": {\"c\": 7, \"d\": 8}}, \"e\": 9}";
  EXPECT_EQ(Eval("json.filter", doc, "{\"a/b/c\"}"), "{\"a\": {\"b\": {\"c\": 7}}}");
  EXPECT_EQ(Eval("json.filter", doc, "[\"a/b/c\", \"e\"]"), "{\"a\": {\"b\": {\"c\": 7}}, \"e\": 9}");
  EXPECT_EQ(Eval("json.filter", doc, "{[\"a\", \"b\", \"c\"], [\"e\"]}"),
            "{\"a\": {\"b\": {\"c\": 7}}, \"e\": 9}");
  EXPECT_EQ(Eval("json.filter", "{\"a\": {\"b\": 7}}", "{\"a\", \"a/b\"}"), "{\"a\": {\"b\": 7}}");
  EXPECT_EQ(Eval("json.filter", "{\"a\": {\"b\": 7}}", "[\"a/b\", \"a\"]"), "{\"a\": {\"b\": 7}}");
  EXPECT_EQ(Eval("json.filter", "{\"a\": 7}", "set()"), "{}");
  EXPECT_EQ(Eval("json.filter", "{\"a\": [{\"b\": 7, \"c\": 8}, {\"d\": 9}]}", "{\"a/0/b\", \"a/1\"}"),
            "{\"a\": [{\"b\": 7}, {\"d\": 9}]}");
  EXPECT_EQ(Eval("json.filter", "{\"a/b\": 1, \"~\": 2, \"c\": 3}", "[\"/a~1b\", \"~0\"]"),
            "{\"a/b\": 1, \"~\": 2}");
  EXPECT_EQ(Eval("json.filter", "{\"s\": {\"x\", \"y\"}}", "[\"s/x\"]"), "{\"s\": {\"x\"}}");
  EXPECT_EQ(Eval("json.filter", "[]", "[]"),
            "type error: json.filter: operand 1 must be object but got array");
  EXPECT_EQ(Eval("json.filter", "{}", "\"a\""),
            "type error: json.filter: operand 2 must be one of {set, array} but got string");
  EXPECT_EQ(Eval("json.filter", "{}", "[1]"),
            "type error: json.filter: operand 2 must be one of {set, array} containing string "
            "paths or array of path segments but got number");
}

TEST(ObjectsTest, JsonRemove) {
  const char* doc = "{\"a\": {\"b\": {\"c\": 7, \"d\": 8}}, \"e\": 9}";
  EXPECT_EQ(Eval("json.remove", doc, "{\"a/b/c\"}"), "{\"a\": {\"b\": {\"d\": 8}}, \"e\": 9}");
  EXPECT_EQ(Eval("json.remove", doc, "[\"a/b/c\", \"e\"]"), "{\"a\": {\"b\": {\"d\": 8}}}");
  EXPECT_EQ(Eval("json.remove", "{\"a\": {\"b\": 7}, \"c\": 1}", "{\"a\", \"a/b\"}"), "{\"c\": 1}");
  EXPECT_EQ(Eval("json.remove", "{\"a\": {\"b\": 7}, \"c\": 1}", "{\"a/b\", \"c\"}"), "{\"a\": {}}");
  EXPECT_EQ(Eval("json.remove", "{\"a\": [{\"b\": 7, \"c\": 8}, {\"d\": 9}]}", "{\"a/0/b\", \"a/1\"}"),
            "{\"a\": [{\"c\": 8}]}");
  EXPECT_EQ(Eval("json.remove", "{\"s\": {\"x\", \"y\"}}", "[[\"s\", \"x\"]]"), "{\"s\": {\"y\"}}");
  EXPECT_EQ(Eval("json.remove", "{\"a\": 7}", "set()"), "{\"a\": 7}");
  EXPECT_EQ(Eval("json.remove", "1", "[]"),
            "type error: json.remove: operand 1 must be object but got number");
  EXPECT_EQ(Eval("json.remove", "{}", "{{}}"),
            "type error: json.remove: operand 2 must be one of {set, array} containing string "
            "paths or array of path segments but got object");
}

TEST(ObjectsTest, JsonPatch) {
  EXPECT_EQ(Eval("json.patch", "{\"foo\": \"bar\"}", "[{\"op\": \"add\", \"path\": \"/baz\", \"value\": 1}]"),
            "{\"baz\": 1, \"foo\": \"bar\"}");
  EXPECT_EQ(Eval("json.patch", "[\"foo\", \"sil\"]", "[{\"op\": \"add\", \"path\": \"/1\", \"value\": 2}]"),
            "[\"foo\", 2, \"sil\"]");
  EXPECT_EQ(Eval("json.patch", "[1, 2]", "[{\"op\": \"add\", \"path\": \"/-\", \"value\": 3}]"),
            "[1, 2, 3]");
  EXPECT_EQ(Eval("json.patch", "{}", "[{\"op\": \"add\", \"path\": \"\", \"value\": []}]"), "[]");
  EXPECT_EQ(Eval("json.patch", "{}", "[{\"op\": \"add\", \"path\": \"/\", \"value\": 1}]"),
            "{\"\": 1}");
  EXPECT_EQ(Eval("json.patch", "[1, 2, 3, 4]",
                "[{\"op\": \"remove\", \"path\": \"/1\"}, {\"op\": \"remove\", \"path\": \"/2\"}]"),
            "[1, 3]");
  EXPECT_EQ(Eval("json.patch", "{\"foo\": 1}", "[{\"op\": \"replace\", \"path\": \"/foo\", \"value\": 2}]"),
            "{\"foo\": 2}");
  EXPECT_EQ(Eval("json.patch", "{\"foo\": [\"all\", \"grass\", \"cows\", \"eat\"]}",
                "[{\"op\": \"move\", \"from\": \"/foo/1\", \"path\": \"/foo/3\"}]"),
            "{\"foo\": [\"all\", \"cows\", \"eat\", \"grass\"]}");
  EXPECT_EQ(Eval("json.patch", "{\"a\": [1]}", "[{\"op\": \"copy\", \"from\": \"/a\", \"path\": \"/b\"}]"),
            "{\"a\": [1], \"b\": [1]}");
  EXPECT_EQ(Eval("json.patch", "{\"/\": 9, \"~1\": 10}", "[{\"op\": \"test\", \"path\": \"/~01\", \"value\": 10}]"),
            "{\"/\": 9, \"~1\": 10}");
  EXPECT_EQ(Eval("json.patch", "{\"foo\": {\"a\", \"b\"}}", "[{\"op\": \"remove\", \"path\": \"foo/b\"}]"),
            "{\"foo\": {\"a\"}}");
  EXPECT_EQ(Eval("json.patch", "{\"foo\": {\"a\"}}", "[{\"op\": \"add\", \"path\": \"foo/d\", \"value\": \"d\"}]"),
            "{\"foo\": {\"a\", \"d\"}}");
  EXPECT_EQ(Eval("json.patch", "{[1]}", "[{\"op\": \"add\", \"path\": [[1], 1], \"value\": 2}]"),
            "{[1, 2]}");
}

TEST(ObjectsTest, JsonPatchFailuresAreUndefined) {
  auto patch = [](const char* doc, const char* op) { return Eval("json.patch", doc, op); };
  EXPECT_EQ(patch("{\"q\": {}}", "[{\"op\": \"add\", \"path\": \"/a/b\", \"value\": 1}]"), "undefined");
  EXPECT_EQ(patch("[1, 2]", "[{\"op\": \"add\", \"path\": \"/3\", \"value\": 1}]"), "undefined");
  EXPECT_EQ(patch("[1, 2]", "[{\"op\": \"add\", \"path\": \"/-1\", \"value\": 1}]"), "undefined");
  EXPECT_EQ(patch("[1, 2]", "[{\"op\": \"add\", \"path\": \"1.2\", \"value\": 1}]"), "undefined");
  EXPECT_EQ(patch("[\"a\", \"b\"]", "[{\"op\": \"test\", \"path\": \"/01\", \"value\": \"b\"}]"), "undefined");
  EXPECT_EQ(patch("[\"a\", \"b\"]", "[{\"op\": \"test\", \"path\": \"/1e0\", \"value\": \"b\"}]"), "undefined");
  EXPECT_EQ(patch("{\"baz\": \"qux\"}", "[{\"op\": \"test\", \"path\": \"/baz\", \"value\": \"x\"}]"), "undefined");
  EXPECT_EQ(patch("{\"a\": 1}", "[{\"op\": \"remove\", \"path\": \"/b\"}]"), "undefined");
  EXPECT_EQ(patch("{\"a\": 1}", "[{\"op\": \"spam\", \"path\": \"/a\"}]"), "undefined");
  EXPECT_EQ(patch("{\"a\": 1}", "[{\"op\": \"add\", \"path\": null, \"value\": 1}]"), "undefined");
  EXPECT_EQ(patch("{\"a\": 1}", "[{\"op\": \"add\", \"path\": \"/b\"}]"), "undefined");
  EXPECT_EQ(patch("{\"a\": 1}", "[{\"op\": \"move\", \"path\": \"/b\"}]"), "undefined");
  EXPECT_EQ(patch("{\"foo\": {\"a\"}}", "[{\"op\": \"add\", \"path\": \"foo/d\", \"value\": \"e\"}]"),
            "undefined");
  EXPECT_EQ(patch("{}", "[1]"), "undefined");
  EXPECT_EQ(Eval("json.patch", "{}", "{}"),
            "type error: json.patch: operand 2 must be array but got object");
}

TEST(ObjectsTest, WalkYieldsPathsPreOrder) {
  EXPECT_EQ(Eval("walk", "1"), "[[[], 1]]");
  EXPECT_EQ(Eval("walk", "[1, 2]"), "[[[], [1, 2]], [[0], 1], [[1], 2]]");
  EXPECT_EQ(Eval("walk", "{\"v2\": \"b\", \"v1\": \"a\"}"),
            "[[[], {\"v1\": \"a\", \"v2\": \"b\"}], [[\"v1\"], \"a\"], [[\"v2\"], \"b\"]]");
  EXPECT_EQ(Eval("walk", "{{1, 2}}"),
            "[[[], {{1, 2}}], [[{1, 2}], {1, 2}], [[{1, 2}, 1], 1], [[{1, 2}, 2], 2]]");
  EXPECT_EQ(Eval("walk", "{\"a\": [{\"b\": 1}]}"),
            "[[[], {\"a\": [{\"b\": 1}]}], [[\"a\"], [{\"b\": 1}]], [[\"a\", 0], {\"b\": 1}], "
            "[[\"a\", 0, \"b\"], 1]]");
}

}  // namespace
}  // namespace policyd
