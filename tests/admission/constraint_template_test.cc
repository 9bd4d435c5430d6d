#include "admission/constraint_template.h"

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "tests/admission/test_objects.h"

namespace policyd::admission {
namespace {

std::string Template(const std::string& kind, const std::string& target) {
  std::string lower = kind;
  for (char& c : lower) c = static_cast<char>(std::tolower(c));
  return "apiVersion: templates.gatekeeper.sh/v1\nkind: ConstraintTemplate\n"
         "metadata: {name: " + lower + "}\nspec:\n  crd: {spec: {names: {kind: " +
         kind + "}}}\n  targets:\n  - target: admission.k8s.gatekeeper.sh\n" +
         target;
}

absl::StatusOr<std::shared_ptr<const CompiledTemplate>> Compile(
    const std::string& yaml, const Value& inventory = Value()) {
  absl::StatusOr<ConstraintTemplate> t =
      ParseConstraintTemplate(Object(yaml), "t.yaml");
  if (!t.ok()) return t.status();
  return CompiledTemplate::Compile(*t, inventory);
}

std::vector<std::string> Messages(const CompiledTemplate& t, const Value& input) {
  absl::StatusOr<std::vector<Violation>> v = t.Violations(input, EvalOptions{});
  EXPECT_TRUE(v.ok()) << v.status();
  std::vector<std::string> out;
  if (v.ok()) for (const Violation& x : *v) out.push_back(x.message);
  return out;
}

TEST(ConstraintTemplateTest, ParsesTheRequiredLabelsTemplate) {
  absl::StatusOr<ConstraintTemplate> t =
      ParseConstraintTemplate(Object(kRequiredLabelsTemplate), "t.yaml");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->name, "k8srequiredlabels");
  EXPECT_EQ(t->kind, "K8sRequiredLabels");
  EXPECT_EQ(t->version, ast::RegoVersion::kV0);
  EXPECT_TRUE(t->schema.is_object());
  EXPECT_TRUE(t->warnings.empty());
}

TEST(ConstraintTemplateTest, V0RegoReportsViolationsWithDetails) {
  auto t = Compile(kRequiredLabelsTemplate);
  ASSERT_TRUE(t.ok()) << t.status();
  Value input = Object(
      "review: {object: {metadata: {labels: {a: b}}}}\nparameters: {labels: [test]}");
  absl::StatusOr<std::vector<Violation>> v = (*t)->Violations(input, EvalOptions{});
  ASSERT_TRUE(v.ok()) << v.status();
  ASSERT_EQ(v->size(), 1u);
  EXPECT_EQ((*v)[0].message, "you must provide labels: {\"test\"}");
  const Value* missing = (*v)[0].details.Find("missing_labels");
  ASSERT_NE(missing, nullptr);
  EXPECT_EQ(*missing, Value::Set({Value::String("test")}));
  Value ok = Object(
      "review: {object: {metadata: {labels: {test: x}}}}\nparameters: {labels: [test]}");
  EXPECT_TRUE(Messages(**t, ok).empty());
}

TEST(ConstraintTemplateTest, CodeWithRegoV1AndLibs) {
  auto t = Compile(Template("K8sNoLatest", R"(    code:
    - engine: K8sNativeValidation
      source: {validations: [{expression: "true"}]}
    - engine: Rego
      source:
        version: v1
        rego: |
          package k8snolatest
          import data.lib.images

          violation contains {"msg": msg} if {
            some c in input.review.object.spec.containers
            images.latest(c.image)
            msg := sprintf("container %s uses :latest", [c.name])
          }
        libs:
        - |
          package lib.images
          latest(image) if endswith(image, ":latest")
)"));
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ((*t)->source().version, ast::RegoVersion::kV1);
  ASSERT_EQ((*t)->source().warnings.size(), 1u);
  EXPECT_EQ((*t)->source().warnings[0],
            "spec.targets[0].code[0]: engine \"K8sNativeValidation\" (CEL) is "
            "not supported by policyd; this code is skipped");
  Value input = Object(
      "review: {object: {spec: {containers: [{name: a, image: 'x:latest'}, "
      "{name: b, image: 'x:1'}]}}}");
  EXPECT_EQ(Messages(**t, input),
            std::vector<std::string>{"container a uses :latest"});
}

TEST(ConstraintTemplateTest, ReadsTheInventory) {
  Value inventory = Object(
      "namespace: {prod: {v1: {Service: {web: {metadata: {name: web}}}}}}");
  auto t = Compile(Template("K8sServiceExists", R"(    rego: |
      package svc
      violation[{"msg": "no such service"}] {
        not data.inventory.namespace[input.review.namespace].v1.Service[input.parameters.service]
      }
)"),
                   inventory);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_TRUE(Messages(**t, Object("review: {namespace: prod}\nparameters: {service: web}")).empty());
  EXPECT_EQ(Messages(**t, Object("review: {namespace: prod}\nparameters: {service: db}")),
            std::vector<std::string>{"no such service"});
  EXPECT_EQ(Messages(**t, Object("review: {namespace: dev}\nparameters: {service: web}")),
            std::vector<std::string>{"no such service"});
}

TEST(ConstraintTemplateTest, OnlyCelIsRefused) {
  absl::StatusOr<ConstraintTemplate> t = ParseConstraintTemplate(
      Object(Template("K8sCel", "    code:\n    - engine: K8sNativeValidation\n"
                                "      source: {}\n")),
      "t.yaml");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().message(),
            "spec.targets[0]: no Rego (`rego`, or `code` with engine Rego); "
            "policyd evaluates Rego only");
}

TEST(ConstraintTemplateTest, RefusesMalformedTemplates) {
  struct Case { std::string yaml; const char* error; };
  for (const Case& c : {
           Case{"metadata: {name: x}\nspec: {}", "spec.crd.spec.names.kind: is required"},
           Case{"metadata: {name: x}\nspec: {crd: {spec: {names: {kind: K8sY}}}}",
                "metadata.name: must be the kind in lower case (\"k8sy\")"},
           Case{"metadata: {name: k8sy}\nspec: {crd: {spec: {names: {kind: K8sY}}}}",
                "spec.targets: expected a non-empty list"},
           Case{"metadata: {name: k8sy}\nspec: {crd: {spec: {names: {kind: K8sY}}}, "
                "targets: [{target: other, rego: x}]}",
                "spec.targets[0].target: \"other\" is not \"admission.k8s.gatekeeper.sh\""},
           Case{Template("K8sY", "    rego: 'package a'\n    code: [{engine: Rego, source: {rego: 'package b'}}]\n"),
                "spec.targets[0]: both `rego` and a `code` entry with engine Rego; give one"},
           Case{Template("K8sY", "    code: [{engine: Rego, source: {rego: 'package b', version: v2}}]\n"),
                "spec.targets[0].code[0].source.version: expected \"v0\" or \"v1\""},
       }) {
    absl::StatusOr<ConstraintTemplate> t = ParseConstraintTemplate(Object(c.yaml), "t.yaml");
    ASSERT_FALSE(t.ok()) << c.yaml;
    EXPECT_EQ(t.status().message(), c.error);
  }
}

TEST(ConstraintTemplateTest, RefusesRegoWithoutViolationOrWithBadLibs) {
  auto no_violation = Compile(Template("K8sA", "    rego: |\n      package a\n      deny[x] { x := 1 }\n"));
  ASSERT_FALSE(no_violation.ok());
  EXPECT_TRUE(absl::StartsWith(no_violation.status().message(), "rego: no `violation` rule"));
  auto bad_lib = Compile(Template("K8sA", "    rego: |\n      package a\n      violation[{\"msg\": \"x\"}] { true }\n"
                                          "    libs: ['package notlib']\n"));
  ASSERT_FALSE(bad_lib.ok());
  EXPECT_EQ(bad_lib.status().message(), "libs[0]: a lib's package must be under data.lib");
  auto syntax = Compile(Template("K8sA", "    rego: |\n      package a\n      violation[{\"msg\": x}] { x := }\n"));
  ASSERT_FALSE(syntax.ok());
  EXPECT_TRUE(absl::StartsWith(syntax.status().message(), "t.yaml#k8sa/rego:2:"))
      << syntax.status();
  EXPECT_NE(syntax.status().message().find("rego_parse_error"), absl::string_view::npos);
  // v1 keywords are refused in a v0 `rego:` template without imports.
  auto v0 = Compile(Template("K8sA", "    rego: |\n      package a\n      violation contains {\"msg\": \"x\"} if { true }\n"));
  EXPECT_FALSE(v0.ok());
}

}  // namespace
}  // namespace policyd::admission
