#include "bundles/signer.h"

#include "bundles/signature.h"
#include "engine/value/json.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/bundles/bundle_test_util.h"

namespace policyd::bundles {
namespace {

using ::testing::HasSubstr;
using testing::KeyPair;

std::vector<BundleFile> Files() {
  return {{".manifest", R"({"revision":"1"})"},
          {"data.json", R"({"users":["alice"]})"},
          {"authz/policy.rego", "package authz\nallow := true\n"}};
}

std::vector<BundleFile> WithSignatures(const std::string& signatures) {
  std::vector<BundleFile> files = Files();
  files.push_back({std::string(kSignaturesFile), signatures});
  return files;
}

SignatureOptions Verifying(const std::string& alg, const std::string& key) {
  SignatureOptions options;
  options.keys["k"] = {alg, key};
  return options;
}

// The JWT payload of a .signatures.json text.
Value Payload(const std::string& signatures) {
  std::string jwt(ParseJson(signatures)->Find("signatures")->elements()[0].string());
  size_t a = jwt.find('.'), b = jwt.rfind('.');
  std::string payload;
  EXPECT_TRUE(Base64UrlDecode(jwt.substr(a + 1, b - a - 1), &payload));
  return *ParseJson(payload);
}

TEST(SignerTest, AsymmetricSignaturesVerifyWithThePublicKeyOnly) {
  for (const char* type : {"RSA", "EC"}) {
    KeyPair key(type), other(type);
    SigningOptions signing;
    signing.algorithm = std::string(type) == "RSA" ? "RS256" : "ES256";
    signing.key = key.PrivatePem();
    absl::StatusOr<std::string> signatures = SignBundle(Files(), signing);
    ASSERT_TRUE(signatures.ok()) << signatures.status();
    EXPECT_TRUE(VerifyBundleSignature(WithSignatures(*signatures),
                                      Verifying(signing.algorithm, key.PublicPem()))
                    .ok())
        << type;
    absl::Status wrong = VerifyBundleSignature(
        WithSignatures(*signatures), Verifying(signing.algorithm, other.PublicPem()));
    EXPECT_EQ(wrong.code(), absl::StatusCode::kPermissionDenied) << type;
  }
}

TEST(SignerTest, HmacAndTamperedFiles) {
  SigningOptions signing;
  signing.algorithm = "HS256";
  signing.key = "s3cret";
  absl::StatusOr<std::string> signatures = SignBundle(Files(), signing);
  ASSERT_TRUE(signatures.ok()) << signatures.status();
  EXPECT_TRUE(VerifyBundleSignature(WithSignatures(*signatures),
                                    Verifying("HS256", "s3cret")).ok());
  EXPECT_FALSE(VerifyBundleSignature(WithSignatures(*signatures),
                                     Verifying("HS256", "other")).ok());
  std::vector<BundleFile> tampered = WithSignatures(*signatures);
  tampered[1].content = R"({"users":["mallory"]})";
  absl::Status status = VerifyBundleSignature(tampered, Verifying("HS256", "s3cret"));
  EXPECT_THAT(status.message(), HasSubstr("data.json"));
}

TEST(SignerTest, PayloadListsFilesWithClaimsKeyIdAndScope) {
  SigningOptions signing;
  signing.algorithm = "HS512";
  signing.key = "s3cret";
  signing.key_id = "ops";
  signing.scope = "write";
  signing.claims = *ParseJson(R"({"iss": "ci", "files": "ignored"})");
  absl::StatusOr<std::string> signatures = SignBundle(WithSignatures("old"), signing);
  ASSERT_TRUE(signatures.ok()) << signatures.status();
  Value payload = Payload(*signatures);
  EXPECT_EQ(payload.Find("iss")->string(), "ci");
  EXPECT_EQ(payload.Find("keyid")->string(), "ops");
  EXPECT_EQ(payload.Find("scope")->string(), "write");
  const Value* files = payload.Find("files");
  ASSERT_TRUE(files->is_array());
  ASSERT_EQ(files->elements().size(), 3u);  // the old signature is not listed
  EXPECT_EQ(files->elements()[2].Find("name")->string(), "authz/policy.rego");
  EXPECT_EQ(files->elements()[2].Find("hash")->string(),
            Sha256Hex("package authz\nallow := true\n"));
  EXPECT_EQ(files->elements()[2].Find("algorithm")->string(), "SHA-256");
  SignatureOptions options = Verifying("HS512", "s3cret");
  options.keys["ops"] = options.keys["k"];
  options.scope = "write";
  EXPECT_TRUE(VerifyBundleSignature(WithSignatures(*signatures), options).ok());
}

TEST(SignerTest, BadKeysAndAlgorithmsAreClearErrors) {
  SigningOptions signing;
  signing.algorithm = "RS999";
  signing.key = "x";
  EXPECT_THAT(SignBundle(Files(), signing).status().message(),
              HasSubstr("unknown signing algorithm"));
  signing.algorithm = "RS256";
  EXPECT_THAT(SignBundle(Files(), signing).status().message(),
              HasSubstr("not a PEM private key"));
  KeyPair ec("EC");
  signing.key = ec.PrivatePem();  // an EC key for RS256
  EXPECT_FALSE(SignBundle(Files(), signing).ok());
  signing.algorithm = "HS256";
  signing.key = "";
  EXPECT_FALSE(SignBundle(Files(), signing).ok());
  signing.key = "s";
  signing.claims = Value::Int(3);
  EXPECT_THAT(SignBundle(Files(), signing).status().message(),
              HasSubstr("JSON object"));
}

}  // namespace
}  // namespace policyd::bundles
