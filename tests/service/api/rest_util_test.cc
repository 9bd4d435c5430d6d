#include "service/api/rest_util.h"

#include "engine/value/json.h"
#include "gtest/gtest.h"

namespace policyd {
namespace {

TEST(RestUtilTest, QueryValuesAreDecoded) {
  std::string query = "q=data.x%5B_%5D%20%3D%3D%201&pretty&input=%7B%7D&q=a+b";
  EXPECT_EQ(QueryValues(query, "q"),
            (std::vector<std::string>{"data.x[_] == 1", "a b"}));
  EXPECT_EQ(QueryValues(query, "input"), std::vector<std::string>{"{}"});
  EXPECT_TRUE(QueryValues(query, "missing").empty());
}

TEST(RestUtilTest, FlagsReadAsOpaReadsThem) {
  EXPECT_TRUE(QueryFlag("pretty", "pretty"));
  EXPECT_TRUE(QueryFlag("pretty=true", "pretty"));
  EXPECT_TRUE(QueryFlag("metrics=1", "metrics"));
  EXPECT_FALSE(QueryFlag("pretty=false", "pretty"));
  EXPECT_FALSE(QueryFlag("prettyx=true", "pretty"));
}

TEST(RestUtilTest, PathSegments) {
  EXPECT_EQ(PathSegments("/a//b/"), (std::vector<std::string>{"a", "b"}));
}

TEST(RestUtilTest, ErrorListHasOpasShape) {
  HttpResponse r = RestErrorList(
      "error(s) occurred while compiling module(s)",
      absl::InvalidArgumentError("p:3:5: rego_compile_error: var y is unsafe"));
  EXPECT_EQ(r.status, 400);
  absl::StatusOr<Value> body = ParseJson(r.body);
  ASSERT_TRUE(body.ok()) << r.body;
  EXPECT_EQ(body->Find("code")->string(), "invalid_parameter");
  const Value& error = body->Find("errors")->elements()[0];
  EXPECT_EQ(error.Find("code")->string(), "rego_compile_error");
  EXPECT_EQ(error.Find("location")->ToJson(), R"({"col":5,"file":"p","row":3})");
}

TEST(RestUtilTest, PrettyBodiesAreIndented) {
  Value v = *ParseJson(R"({"result": [1]})");
  EXPECT_EQ(JsonBody(v, false), "{\"result\":[1]}\n");
  EXPECT_EQ(JsonBody(v, true), "{\n  \"result\": [\n    1\n  ]\n}\n");
}

}  // namespace
}  // namespace policyd
