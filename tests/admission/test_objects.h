// Gatekeeper objects written inline for the admission tests.
#ifndef POLICYD_TESTS_ADMISSION_TEST_OBJECTS_H_
#define POLICYD_TESTS_ADMISSION_TEST_OBJECTS_H_

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "admission/objects.h"
#include "gtest/gtest.h"

namespace policyd::admission {

// A fresh directory for the running test.
inline std::filesystem::path TestDir() {
  std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / "admission" /
      ::testing::UnitTest::GetInstance()->current_test_info()->name();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// Writes `text` to `dir`/`name`, making the folders on the way.
inline void WriteFile(const std::filesystem::path& dir, const std::string& name,
                      const std::string& text) {
  std::filesystem::create_directories((dir / name).parent_path());
  std::ofstream(dir / name) << text;
}

inline std::vector<ObjectSource> Objects(const std::string& yaml) {
  absl::StatusOr<std::vector<ObjectSource>> objects =
      ParseObjects(yaml, "test.yaml");
  EXPECT_TRUE(objects.ok()) << objects.status();
  return objects.ok() ? *objects : std::vector<ObjectSource>{};
}

inline Value Object(const std::string& yaml) {
  std::vector<ObjectSource> objects = Objects(yaml);
  EXPECT_EQ(objects.size(), 1u);
  return objects.empty() ? Value() : objects[0].object;
}

// K8sRequiredLabels in Rego v0, as Gatekeeper's library writes it.
inline constexpr char kRequiredLabelsTemplate[] = R"(
apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8srequiredlabels
spec:
  crd:
    spec:
      names:
        kind: K8sRequiredLabels
      validation:
        openAPIV3Schema:
          type: object
          properties:
            labels:
              type: array
              items:
                type: string
          required: [labels]
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package k8srequiredlabels

        violation[{"msg": msg, "details": {"missing_labels": missing}}] {
          provided := {label | input.review.object.metadata.labels[label]}
          required := {label | label := input.parameters.labels[_]}
          missing := required - provided
          count(missing) > 0
          msg := sprintf("you must provide labels: %v", [missing])
        }
)";

}  // namespace policyd::admission

#endif  // POLICYD_TESTS_ADMISSION_TEST_OBJECTS_H_
