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
  // Bounded and fail-closed by default (issue 9).
  EXPECT_GT(c->max_steps, 0);
  EXPECT_EQ(c->max_decision_memory, int64_t{256} << 20);
  EXPECT_GE(c->watch_quiet_period, absl::Seconds(1));
  EXPECT_FALSE(c->allow_empty);
  EXPECT_GT(c->max_request_bytes_in_flight, 0u);
  EXPECT_FALSE(c->bundle_signatures.required);  // no key, nothing to verify
}

TEST(ServeConfigTest, AVerificationKeyRequiresSignaturesUnlessSaidOtherwise) {
  std::string secret = ConfigFile("s3cr3t");
  std::string key = "k=HS256:" + secret;
  absl::StatusOr<ServeConfig> c =
      Parse({"--bundles", "/b", "--bundle-verification-key", key});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(c->bundle_signatures.required);
  c = Parse({"--bundles", "/b", "--bundle-verification-key", key,
             "--bundle-signatures-required=false"});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_FALSE(c->bundle_signatures.required);
  c = Parse({"--config", ConfigFile("bundle_signatures_required: false\n"),
             "--bundles", "/b", "--bundle-verification-key", key});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_FALSE(c->bundle_signatures.required);
}

TEST(ServeConfigTest, QuietPeriodAllowEmptyAndBytesInFlightHaveConfigTwins) {
  absl::StatusOr<ServeConfig> c = Parse(
      {"--config",
       ConfigFile("watch_quiet_period: 3s\nallow_empty: true\n"
                  "max_request_bytes_in_flight: 1000\n"),
       "--bundles", "/b"});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->watch_quiet_period, absl::Seconds(3));
  EXPECT_TRUE(c->allow_empty);
  EXPECT_EQ(c->max_request_bytes_in_flight, 1000u);
  c = Parse({"--bundles", "/b", "--watch-quiet-period", "300ms"});
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("at least 1s"));
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

TEST(ServeConfigTest, WrongShapedValuesAreErrorsNamingTheKey) {
  // Each is a clear error naming the key, never an exception.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"bundles: /b\nworkers: [1, 2]\n", "workers must be a single value, not a list"},
      {"bundles: /b\nworkers: {a: 1}\n", "workers must be a single value, not a mapping"},
      {"bundles: /b\nworkers:\n", "workers must be a single value, not empty"},
      // A mapping is OPA's `bundles` (downloads), each entry a mapping.
      {"bundles: {x: 1}\n", "bundles.x: expected a mapping"},
      {"bundles: /b\nshutdown_grace: soon\n", "invalid shutdown_grace \"soon\""},
      {"bundles: /b\nshutdown_grace: [1s]\n", "shutdown_grace must be a single value"},
      {"bundles: /b\nhttp_idle_timeout: -5s\n", "invalid http_idle_timeout"},
      {"bundles: /b\nhttp_max_body_bytes: lots\n", "invalid http_max_body_bytes"},
      {"bundles: /b\nhttp_addr: [[':1']]\n", "http_addr must be a list of strings"},
      {"bundles: /b\ndecision_log_mask: [{a: 1}]\n", "decision_log_mask must be a list of strings"},
      {"bundles: /b\nwatch: maybe\n", "invalid watch \"maybe\""},
      {"bundles: /b\n[a, b]: 1\n", "a setting's name must be a string"},
      {"- bundles\n- /b\n", "expected a mapping of settings"},
  };
  for (const auto& [text, want] : cases) {
    SCOPED_TRACE(text);
    absl::StatusOr<ServeConfig> c = Parse({"--config", ConfigFile(text)});
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(c.status().message(), HasSubstr(want));
  }
}

TEST(ServeConfigTest, HttpLimits) {
  absl::StatusOr<ServeConfig> defaults = Parse({"--bundles", "/b"});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->http_max_connections, 1024);
  EXPECT_EQ(defaults->http_max_header_bytes, 64 << 10);
  EXPECT_EQ(defaults->http_max_body_bytes, 64 << 20);
  EXPECT_EQ(defaults->http_request_timeout, absl::Seconds(30));
  EXPECT_EQ(defaults->http_idle_timeout, absl::Seconds(60));
  EXPECT_EQ(defaults->http_send_timeout, absl::Seconds(30));
  absl::StatusOr<ServeConfig> c = Parse(
      {"--config",
       ConfigFile("bundles: /b\nhttp_max_connections: 10\nhttp_idle_timeout: 5s\n"),
       "--http-max-header-bytes", "2048", "--http-max-body-bytes=100",
       "--http-request-timeout", "2s", "--http-send-timeout", "3s"});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->http_max_connections, 10);
  EXPECT_EQ(c->http_max_header_bytes, 2048);
  EXPECT_EQ(c->http_max_body_bytes, 100);
  EXPECT_EQ(c->http_request_timeout, absl::Seconds(2));
  EXPECT_EQ(c->http_idle_timeout, absl::Seconds(5));
  EXPECT_EQ(c->http_send_timeout, absl::Seconds(3));
  EXPECT_FALSE(Parse({"--bundles", "/b", "--http-max-connections", "0"}).ok());
}

TEST(ServeConfigTest, BundleSignatureSettings) {
  std::string secret = ::testing::TempDir() + "/serve_config_test_signature.secret";
  std::ofstream(secret) << "s3cret";
  absl::StatusOr<ServeConfig> c =
      Parse({"--bundles", "/b", "--bundle-verification-key", "prod=HS256:" + secret,
             "--bundle-signatures-required", "--bundle-signature-scope", "write"});
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_EQ(c->bundle_signatures.keys.count("prod"), 1u);
  for (const char* alg : {"PS384", "ES512", "HS512", "EdDSA"}) {
    EXPECT_TRUE(Parse({"--bundles", "/b", "--bundle-verification-key",
                       std::string("k=") + alg + ":" + secret})
                    .ok())
        << alg;
  }
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
