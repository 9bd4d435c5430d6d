#include "service/cli/opa_config.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace policyd {
namespace {

using ::testing::HasSubstr;

absl::StatusOr<ManagementConfig> Read(const std::string& yaml) {
  YAML::Node root = YAML::Load(yaml);
  OpaConfigReader reader;
  for (const auto& entry : root) {
    std::string key = entry.first.Scalar();
    if (!OpaConfigReader::Handles(key, entry.second)) {
      return absl::InvalidArgumentError("not handled: " + key);
    }
    if (absl::Status s = reader.Apply(key, entry.second); !s.ok()) return s;
  }
  return std::move(reader).Finish();
}

TEST(OpaConfigTest, ReadsOpasManagementKeys) {
  absl::StatusOr<ManagementConfig> c = Read(R"(
services:
  hub:
    url: https://example.com/v1/
    response_header_timeout_seconds: 5
    headers: {X-Team: a}
    credentials:
      bearer: {token: t0k}
bundles:
  authz:
    service: hub
    persist: true
    polling: {min_delay_seconds: 3, max_delay_seconds: 7}
    signing: {keyid: k, scope: write}
keys:
  k: {algorithm: HS256, key: secret}
decision_logs:
  service: hub
  reporting: {upload_size_limit_bytes: 4096, buffer_size_limit_bytes: 100000}
status: {service: hub}
persistence_directory: /var/p
labels: {region: eu}
)");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->services.at("hub").bearer_token, "t0k");
  EXPECT_EQ(c->services.at("hub").response_header_timeout, absl::Seconds(5));
  ASSERT_EQ(c->bundles.size(), 1u);
  const RemoteBundleConfig& b = c->bundles[0];
  EXPECT_EQ(b.resource, "bundles/authz");  // OPA's default
  EXPECT_TRUE(b.persist);
  EXPECT_EQ(b.min_delay, absl::Seconds(3));
  EXPECT_EQ(b.max_delay, absl::Seconds(7));
  EXPECT_TRUE(b.signatures.required);
  EXPECT_EQ(b.signatures.keys.at("k").key, "secret");
  EXPECT_EQ(b.signatures.scope, "write");
  EXPECT_TRUE(c->decision_logs.enabled);
  EXPECT_EQ(c->decision_logs.resource, "/logs");
  EXPECT_EQ(c->decision_logs.upload_size_limit_bytes, 4096);
  EXPECT_TRUE(c->status.enabled);
  EXPECT_EQ(c->persistence_directory, "/var/p");
  EXPECT_EQ(c->labels.at("region"), "eu");
}

TEST(OpaConfigTest, ServicesMayBeAList) {
  absl::StatusOr<ManagementConfig> c =
      Read("services:\n  - name: hub\n    url: http://h:8080\n");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->services.at("hub").url, "http://h:8080");
}

TEST(OpaConfigTest, UnsupportedKeysAreErrorsNamingTheKey) {
  EXPECT_THAT(Read("services:\n  hub:\n    url: http://h\n    credentials:\n"
                   "      oauth2: {token_url: x}\n")
                  .status()
                  .message(),
              HasSubstr("unsupported key services.hub.credentials.oauth2"));
  EXPECT_THAT(Read("bundles:\n  a:\n    service: s\n    polling: {long_polling_timeout_seconds: 3}\n")
                  .status()
                  .message(),
              HasSubstr("bundles.a.polling.long_polling_timeout_seconds"));
  EXPECT_FALSE(OpaConfigReader::Handles("discovery", YAML::Load("{}")));
  // A scalar `bundles` is policyd's directory, not OPA's mapping.
  EXPECT_FALSE(OpaConfigReader::Handles("bundles", YAML::Load("/srv/bundles")));
}

TEST(OpaConfigTest, ReferencesAndShapesAreChecked) {
  EXPECT_THAT(Read("bundles:\n  a: {service: nowhere}\n").status().message(),
              HasSubstr("bundles.a.service: no service named \"nowhere\""));
  EXPECT_THAT(Read("services: {s: {url: 'http://h'}}\nbundles:\n  a: {service: s, signing: {keyid: x}}\n")
                  .status()
                  .message(),
              HasSubstr("no key named \"x\""));
  EXPECT_THAT(Read("services: {s: {url: 'ftp://h'}}\n").status().message(),
              HasSubstr("services.s: url \"ftp://h\""));
  EXPECT_THAT(Read("services: {s: {url: 'http://h', response_header_timeout_seconds: [1]}}\n")
                  .status()
                  .message(),
              HasSubstr("services.s.response_header_timeout_seconds: expected a single value"));
  EXPECT_THAT(Read("services: {s: {url: 'http://h'}}\nbundles:\n  a: {service: s, polling: "
                   "{min_delay_seconds: 9, max_delay_seconds: 2}}\n")
                  .status()
                  .message(),
              HasSubstr("exceeds max_delay_seconds"));
  EXPECT_THAT(Read("decision_logs: {console: false}\n").status().message(),
              HasSubstr("decision_logs: needs a service"));
}

}  // namespace
}  // namespace policyd
