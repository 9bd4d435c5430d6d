#include "service/cli/serve_config.h"

#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace policyd {
namespace {

using ::testing::HasSubstr;

// One file per test: CTest runs the tests of this suite in parallel.
std::string ConfigFile(const std::string& text) {
  std::string path = ::testing::TempDir() + "/serve_config_test_" +
                     ::testing::UnitTest::GetInstance()->current_test_info()->name() +
                     ".yaml";
  std::ofstream(path) << text;
  return path;
}

absl::StatusOr<ServeConfig> Parse(std::vector<std::string> args) {
  bool help;
  return ParseServeArgs(args, &help);
}

TEST(ServeConfigTest, Defaults) {
  absl::StatusOr<ServeConfig> c = Parse({"--bundles", "/b"});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->bundles, "/b");
  ASSERT_EQ(c->grpc_addr.size(), 1u);
  EXPECT_EQ(c->grpc_addr[0].port, 9191);
  ASSERT_EQ(c->http_addr.size(), 1u);
  EXPECT_EQ(c->http_addr[0].port, 8181);
  EXPECT_EQ(c->envoy_decision, "envoy/authz/allow");
  EXPECT_FALSE(c->envoy_dry_run);
  EXPECT_TRUE(c->decision_log.empty());
}

TEST(ServeConfigTest, FlagsRepeatAndTakeEquals) {
  absl::StatusOr<ServeConfig> c =
      Parse({"--bundles=/b", "--grpc-addr", ":1", "--grpc-addr",
             "unix:///tmp/g.sock", "--envoy-dry-run", "--queue-size=7",
             "--shutdown-grace", "250ms", "--unix-socket-mode", "0600",
             "--decision-timeout", "750ms"});
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_EQ(c->grpc_addr.size(), 2u);
  EXPECT_TRUE(c->grpc_addr[1].is_unix);
  EXPECT_TRUE(c->envoy_dry_run);
  EXPECT_EQ(c->queue_size, 7);
  EXPECT_EQ(c->shutdown_grace, absl::Milliseconds(250));
  EXPECT_EQ(c->decision_timeout, absl::Milliseconds(750));
  EXPECT_EQ(c->unix_socket_mode, 0600u);
}

TEST(ServeConfigTest, ConfigFileWithFlagsWinning) {
  std::string file = ConfigFile(
      "bundles: /from-file\n"
      "grpc_addr: [':1', 'unix:///tmp/x.sock']\n"
      "http_addr: ':2'\n"
      "workers: 3\n"
      "decision_log: stdout\n"
      "decision_log_mask: ['/input/password']\n");
  absl::StatusOr<ServeConfig> c = Parse({"--config", file, "--workers", "5"});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->bundles, "/from-file");
  EXPECT_EQ(c->grpc_addr.size(), 2u);
  EXPECT_EQ(c->http_addr[0].port, 2);
  EXPECT_EQ(c->workers, 5);
  EXPECT_EQ(c->decision_log, "stdout");
  EXPECT_EQ(c->decision_log_mask, std::vector<std::string>{"/input/password"});
}

TEST(ServeConfigTest, InventoryFromFlagOrFile) {
  absl::StatusOr<ServeConfig> flag = Parse({"--bundles", "/b", "--inventory", "/inv"});
  ASSERT_TRUE(flag.ok()) << flag.status();
  EXPECT_EQ(flag->inventory, "/inv");
  absl::StatusOr<ServeConfig> file =
      Parse({"--config", ConfigFile("bundles: /b\ninventory: /from-file\n")});
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(file->inventory, "/from-file");
  EXPECT_TRUE(Parse({"--bundles", "/b"})->inventory.empty());
}

TEST(ServeConfigTest, ErrorsNameTheSetting) {
  EXPECT_THAT(Parse({}).status().message(), HasSubstr("--bundles"));
  EXPECT_THAT(Parse({"--bundles", "/b", "--nope", "1"}).status().message(),
              HasSubstr("unknown flag --nope"));
  EXPECT_THAT(Parse({"--bundles", "/b", "--workers", "x"}).status().message(),
              HasSubstr("workers"));
  EXPECT_THAT(Parse({"--bundles", "/b", "--grpc-addr", "nope"}).status().message(),
              HasSubstr("nope"));
  EXPECT_THAT(Parse({"--bundles", "/b", "--tls-cert-file", "c.pem"}).status().message(),
              HasSubstr("tls_key_file"));
  EXPECT_THAT(Parse({"--config", ConfigFile("bundles: /b\nbogus: 1\n")})
                  .status()
                  .message(),
              HasSubstr("unknown setting \"bogus\""));
  EXPECT_THAT(Parse({"--config", ConfigFile("bundles: [1, 2]\n")}).status().message(),
              HasSubstr("bundles"));
}

TEST(ServeConfigTest, BundleSignatureSettings) {
  std::string secret = ::testing::TempDir() + "/serve_config_test_signature.secret";
  std::ofstream(secret) << "s3cret";
  absl::StatusOr<ServeConfig> c =
      Parse({"--bundles", "/b", "--bundle-verification-key", "prod=HS256:" + secret,
             "--bundle-signatures-required", "--bundle-signature-scope", "write"});
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_EQ(c->bundle_signatures.keys.count("prod"), 1u);
  EXPECT_EQ(c->bundle_signatures.keys.at("prod").algorithm, "HS256");
  EXPECT_EQ(c->bundle_signatures.keys.at("prod").key, "s3cret");
  EXPECT_TRUE(c->bundle_signatures.required);
  EXPECT_EQ(c->bundle_signatures.scope, "write");

  absl::StatusOr<ServeConfig> bad_alg =
      Parse({"--bundles", "/b", "--bundle-verification-key", "prod=XX999:" + secret});
  ASSERT_FALSE(bad_alg.ok());
  EXPECT_THAT(bad_alg.status().message(), HasSubstr("bundle_verification_key"));
  EXPECT_THAT(bad_alg.status().message(), HasSubstr("unknown algorithm XX999"));
  absl::StatusOr<ServeConfig> missing =
      Parse({"--bundles", "/b", "--bundle-verification-key", "prod=RS256:/no/such/key.pem"});
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), HasSubstr("cannot read /no/such/key.pem"));
}

TEST(ServeConfigTest, Help) {
  bool help = false;
  EXPECT_TRUE(ParseServeArgs({"--help"}, &help).ok());
  EXPECT_TRUE(help);
  EXPECT_THAT(ServeUsage(), HasSubstr("--envoy-decision"));
}

}  // namespace
}  // namespace policyd
