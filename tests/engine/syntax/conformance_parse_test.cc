// Every module, query and input_term of OPA's conformance cases must parse.
// The cases are read from $POLICYD_CONFORMANCE_DIR, else from
// ../shared/conformance/opa-v1 beside the source tree (as CI has them).
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "engine/syntax/parser.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace policyd::ast {
namespace {

std::filesystem::path CasesDir() {
  if (const char* dir = std::getenv("POLICYD_CONFORMANCE_DIR")) return dir;
  return POLICYD_CONFORMANCE_DEFAULT_DIR;
}

TEST(ConformanceParseTest, AllCasesParse) {
  std::filesystem::path dir = CasesDir();
  ASSERT_TRUE(std::filesystem::is_directory(dir))
      << "no conformance cases at " << dir << " (set POLICYD_CONFORMANCE_DIR)";
  int cases = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    nlohmann::json file = nlohmann::json::parse(in);
    for (const nlohmann::json& c : file["cases"]) {
      ++cases;
      std::string where = entry.path().string() + ": " + c.value("note", "");
      int i = 0;
      for (const nlohmann::json& m : c.value("modules", nlohmann::json::array())) {
        absl::StatusOr<Module> module = ParseModule(
            "test-" + std::to_string(i++) + ".rego", m.get<std::string>());
        EXPECT_TRUE(module.ok()) << where << "\n" << module.status();
      }
      absl::StatusOr<Body> query = ParseQuery(c["query"].get<std::string>());
      EXPECT_TRUE(query.ok()) << where << "\n" << query.status();
      if (c.contains("input_term")) {
        absl::StatusOr<Value> v = ParseValue(c["input_term"].get<std::string>());
        EXPECT_TRUE(v.ok()) << where << "\n" << v.status();
      }
    }
  }
  EXPECT_GT(cases, 0);
}

}  // namespace
}  // namespace policyd::ast
