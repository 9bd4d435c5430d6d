// `policyd build` makes a signed bundle that `policyd serve` serves with the
// matching verification key and refuses with another.
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "gtest/gtest.h"
#include "tests/bundles/bundle_test_util.h"
#include "tests/integration/policyd_process.h"

namespace policyd {
namespace {

using ::policyd::testing::FreshDir;
using ::policyd::testing::Http;
using ::policyd::testing::PolicydProcess;
using ::policyd::testing::WriteFile;
namespace fs = std::filesystem;

int PolicydBuild(const std::string& args) {
  std::string command = std::string("'") + POLICYD_BINARY + "' build " + args + " 2>&1";
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class BuildTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshDir("build");
    source_ = dir_ + "/src";
    WriteFile(fs::path(source_) / ".manifest", R"({"roots": ["app"]})");
    WriteFile(fs::path(source_) / "app/policy.rego",
              "package app\n\nallow if input.user in data.app.users\n");
    WriteFile(fs::path(source_) / "app/data.json", R"({"users": ["alice"]})");
    WriteFile(fs::path(source_) / "app/policy_test.rego",
              "package app\n\ntest_alice if allow with input as {\"user\": \"alice\"}\n");
    fs::create_directories(dir_ + "/bundles");
  }

  // Serves the built bundle and asks for a decision: the HTTP status of
  // /health?bundles, and the decision's body.
  std::pair<int, std::string> Serve(const std::string& public_pem) {
    WriteFile(fs::path(dir_) / "verify.pem", public_pem);
    std::string log;
    auto server = PolicydProcess::Start(
        {"--bundles", dir_ + "/bundles", "--bundle-verification-key",
         "ci=RS256:" + dir_ + "/verify.pem"},
        &log);
    EXPECT_NE(server, nullptr) << log;
    if (server == nullptr) return {0, ""};
    int health = Http(server->http_port, "GET", "/health?bundles").status;
    auto decision = Http(server->http_port, "POST", "/v1/data/app/allow",
                         R"({"input": {"user": "alice"}})");
    return {health, decision.body};
  }

  std::string dir_, source_;
};

TEST_F(BuildTest, SignedBundleIsServedWithTheMatchingKeyAndRefusedWithAnother) {
  bundles::testing::KeyPair key("RSA"), other("RSA");
  WriteFile(fs::path(dir_) / "key.pem", key.PrivatePem());
  ASSERT_EQ(PolicydBuild("-b '" + source_ + "' -o '" + dir_ +
                         "/bundles/app.tar.gz' --revision v7 --ignore '*_test.rego' "
                         "--signing-key '" + dir_ + "/key.pem' --signing-alg RS256"),
            0);
  auto [health, body] = Serve(key.PublicPem());
  EXPECT_EQ(health, 200);
  EXPECT_NE(body.find("\"result\":true"), std::string::npos) << body;

  auto [refused_health, refused_body] = Serve(other.PublicPem());
  EXPECT_NE(refused_health, 200);
  EXPECT_EQ(refused_body.find("\"result\":true"), std::string::npos) << refused_body;
}

TEST_F(BuildTest, CompileErrorFailsTheBuildWithItsLocation) {
  WriteFile(fs::path(source_) / "app/broken.rego", "package app\n\nbad if { x }\n");
  std::string out = dir_ + "/out.txt";
  int status = PolicydBuild("-b '" + source_ + "' -o '" + dir_ + "/b.tar.gz' > '" + out + "'");
  EXPECT_EQ(status, 1);
  std::ifstream in(out);
  std::string printed((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(printed.find("app/broken.rego:3:"), std::string::npos) << printed;
  EXPECT_FALSE(fs::exists(dir_ + "/b.tar.gz"));
}

TEST_F(BuildTest, UnsignedBuildOfPathsServesWithoutKeys) {
  ASSERT_EQ(PolicydBuild("-o '" + dir_ + "/bundles/plain.tar.gz' --revision r1 '" +
                         source_ + "'"),
            0);
  std::string log;
  auto server = PolicydProcess::Start({"--bundles", dir_ + "/bundles"}, &log);
  ASSERT_NE(server, nullptr) << log;
  // Without -b the data sits at its folder path below the given directory.
  auto decision = Http(server->http_port, "POST", "/v1/data/app/allow",
                       R"({"input": {"user": "alice"}})");
  EXPECT_EQ(decision.status, 200);
  EXPECT_NE(decision.body.find("\"result\":true"), std::string::npos) << decision.body;
}

}  // namespace
}  // namespace policyd
