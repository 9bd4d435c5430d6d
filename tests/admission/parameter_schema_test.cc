#include "admission/parameter_schema.h"

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "tests/admission/test_objects.h"

namespace policyd::admission {
namespace {

const char kSchema[] = R"(
type: object
properties:
  labels:
    type: array
    items: {type: string}
  mode:
    type: string
    enum: [strict, relaxed]
  limits:
    type: object
    additionalProperties: false
    properties:
      cpu: {type: string}
required: [labels]
)";

TEST(ParameterSchemaTest, AcceptsValidParameters) {
  Value schema = Object(kSchema);
  EXPECT_TRUE(CheckParameterSchema(schema).ok());
  EXPECT_TRUE(ValidateParameters(schema, Object("labels: [a, b]\nmode: strict")).ok());
  EXPECT_TRUE(ValidateParameters(schema, Object("labels: []\nlimits: {cpu: '1'}")).ok());
}

TEST(ParameterSchemaTest, NamesEachFailure) {
  Value schema = Object(kSchema);
  struct Case { const char* params; const char* needle; };
  for (const Case& c : {
           Case{"mode: strict", "labels is required"},
           Case{"labels: [1]", "Invalid type. Expected: string, given: integer"},
           Case{"labels: a", "Invalid type. Expected: array, given: string"},
           Case{"labels: []\nmode: loose", "must be one of the following"},
           Case{"labels: []\nlimits: {memory: 1Gi}", "Additional property memory is not allowed"},
       }) {
    absl::Status s = ValidateParameters(schema, Object(c.params));
    ASSERT_FALSE(s.ok()) << c.params;
    EXPECT_TRUE(absl::StartsWith(s.message(),
                                 "parameters do not match the template's schema: "));
    EXPECT_NE(s.message().find(c.needle), absl::string_view::npos) << s.message();
  }
}

TEST(ParameterSchemaTest, RefusesAnInvalidSchema) {
  absl::Status s = CheckParameterSchema(Object("type: 12"));
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(absl::StartsWith(s.message(), "invalid openAPIV3Schema: ")) << s;
}

}  // namespace
}  // namespace policyd::admission
