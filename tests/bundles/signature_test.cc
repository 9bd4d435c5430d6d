#include "bundles/signature.h"

#include "engine/value/json.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/bundles/bundle_test_util.h"

namespace policyd::bundles {
namespace {

using ::testing::HasSubstr;
using testing::HmacSha256;
using testing::KeyPair;
using testing::SignaturesJson;

std::vector<BundleFile> Files() {
  return {{".manifest", "{\"revision\": \"1\"}"},
          {"authz/policy.rego", "package authz\nallow := true\n"},
          {"authz/data.json", "{\"users\": [\"alice\"]}"}};
}

// The payload listing `files` with their hashes.
std::string Payload(const std::vector<BundleFile>& files,
                    const std::string& extra = "") {
  std::string out = "{\"files\": [";
  for (size_t i = 0; i < files.size(); ++i) {
    if (i > 0) out += ", ";
    out += "{\"name\": \"" + files[i].path + "\", \"hash\": \"" +
           Sha256Hex(files[i].content) + "\", \"algorithm\": \"SHA-256\"}";
  }
  return out + "]" + extra + "}";
}

std::vector<BundleFile> Signed(std::vector<BundleFile> files,
                               const std::string& signatures) {
  files.push_back({std::string(kSignaturesFile), signatures});
  return files;
}

SignatureOptions HmacOptions(const std::string& secret) {
  SignatureOptions options;
  options.keys["k1"] = {"HS256", secret};
  return options;
}

std::string HmacSignatures(const std::string& payload,
                           const std::string& secret) {
  return SignaturesJson(R"({"alg": "HS256", "kid": "k1"})", payload,
                        [&](const std::string& in) {
                          return HmacSha256(secret, in);
                        });
}

TEST(SignatureTest, Sha256Hex) {
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(SignatureTest, UnsignedBundleAcceptedUnlessRequired) {
  SignatureOptions options = HmacOptions("s3cret");
  EXPECT_TRUE(VerifyBundleSignature(Files(), options).ok());
  options.required = true;
  absl::Status s = VerifyBundleSignature(Files(), options);
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(s.message(), HasSubstr("signatures are required"));
}

TEST(SignatureTest, Hs256Valid) {
  auto files = Signed(Files(), HmacSignatures(Payload(Files()), "s3cret"));
  EXPECT_TRUE(VerifyBundleSignature(files, HmacOptions("s3cret")).ok());
}

TEST(SignatureTest, WrongKeyIsRefused) {
  auto files = Signed(Files(), HmacSignatures(Payload(Files()), "s3cret"));
  absl::Status s = VerifyBundleSignature(files, HmacOptions("other"));
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(s.message(), HasSubstr("does not verify"));
}

TEST(SignatureTest, TamperedFileIsRefused) {
  auto files = Signed(Files(), HmacSignatures(Payload(Files()), "s3cret"));
  files[1].content = "package authz\nallow := false\n";
  absl::Status s = VerifyBundleSignature(files, HmacOptions("s3cret"));
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(s.message(),
              HasSubstr("\"authz/policy.rego\" does not match its signed hash"));
}

TEST(SignatureTest, ExtraFileIsRefused) {
  auto files = Signed(Files(), HmacSignatures(Payload(Files()), "s3cret"));
  files.push_back({"authz/extra.rego", "package authz\nx := 1\n"});
  absl::Status s = VerifyBundleSignature(files, HmacOptions("s3cret"));
  EXPECT_THAT(s.message(),
              HasSubstr("\"authz/extra.rego\" is in the bundle but not in the "
                        "signature"));
}

TEST(SignatureTest, MissingFileIsRefused) {
  auto files = Signed(Files(), HmacSignatures(Payload(Files()), "s3cret"));
  files.erase(files.begin() + 2);  // authz/data.json
  absl::Status s = VerifyBundleSignature(files, HmacOptions("s3cret"));
  EXPECT_THAT(s.message(),
              HasSubstr("\"authz/data.json\" is listed in the signature but "
                        "missing"));
}

TEST(SignatureTest, LeadingSlashNamesAndCanonicalJsonHash) {
  std::vector<BundleFile> files = Files();
  // Signed over the canonical (compact, sorted) JSON, as OPA hashes JSON.
  std::string payload = "{\"files\": [";
  payload += "{\"name\": \"/.manifest\", \"hash\": \"" +
             Sha256Hex(ParseJson(files[0].content)->ToJson()) + "\"},";
  payload += "{\"name\": \"/authz/policy.rego\", \"hash\": \"" +
             Sha256Hex(files[1].content) + "\"},";
  payload += "{\"name\": \"/authz/data.json\", \"hash\": \"" +
             Sha256Hex(ParseJson(files[2].content)->ToJson()) + "\"}]}";
  auto signed_files = Signed(files, HmacSignatures(payload, "s3cret"));
  EXPECT_TRUE(VerifyBundleSignature(signed_files, HmacOptions("s3cret")).ok());
}

TEST(SignatureTest, Rs256) {
  KeyPair key("RSA");
  SignatureOptions options;
  options.keys["rsa"] = {"RS256", key.PublicPem()};
  auto files = Signed(
      Files(), SignaturesJson(R"({"alg": "RS256"})",
                              Payload(Files(), ", \"keyid\": \"rsa\""),
                              [&](const std::string& in) { return key.Sign(in); }));
  EXPECT_TRUE(VerifyBundleSignature(files, options).ok());

  KeyPair other("RSA");
  options.keys["rsa"] = {"RS256", other.PublicPem()};
  EXPECT_EQ(VerifyBundleSignature(files, options).code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(SignatureTest, Es256) {
  KeyPair key("EC");
  SignatureOptions options;
  options.keys["ec"] = {"ES256", key.PublicPem()};
  auto files = Signed(
      Files(), SignaturesJson(R"({"alg": "ES256", "kid": "ec"})", Payload(Files()),
                              [&](const std::string& in) { return key.Sign(in); }));
  EXPECT_TRUE(VerifyBundleSignature(files, options).ok());
  files[0].content = "{\"revision\": \"2\"}";
  EXPECT_EQ(VerifyBundleSignature(files, options).code(),
            absl::StatusCode::kPermissionDenied);
}

// Every algorithm OPA accepts for bundle signing: a bundle signed with it
// verifies with its key, and is refused with another key of the same kind
// or when a file was changed.
struct AlgorithmCase {
  std::string alg;
  std::string key_type;  // "RSA", "EC", "ED25519", "oct"
  std::string curve;
};

class SignatureAlgorithmTest : public ::testing::TestWithParam<AlgorithmCase> {};

TEST_P(SignatureAlgorithmTest, VerifiesAndRefuses) {
  const AlgorithmCase& c = GetParam();
  std::string header = "{\"alg\": \"" + c.alg + "\", \"kid\": \"k\"}";
  SignatureOptions options, wrong;
  std::vector<BundleFile> files;
  if (c.key_type == "oct") {
    const EVP_MD* md = c.alg == "HS384"   ? EVP_sha384()
                       : c.alg == "HS512" ? EVP_sha512()
                                          : EVP_sha256();
    options.keys["k"] = {c.alg, "s3cret"};
    wrong.keys["k"] = {c.alg, "other"};
    files = Signed(Files(), SignaturesJson(header, Payload(Files()),
                                           [&](const std::string& in) {
                                             return HmacSha256("s3cret", in, md);
                                           }));
  } else {
    KeyPair key(c.key_type, c.curve), other(c.key_type, c.curve);
    options.keys["k"] = {c.alg, key.PublicPem()};
    wrong.keys["k"] = {c.alg, other.PublicPem()};
    files = Signed(Files(), SignaturesJson(header, Payload(Files()),
                                           [&](const std::string& in) {
                                             return key.Sign(in, c.alg);
                                           }));
  }
  absl::Status ok = VerifyBundleSignature(files, options);
  EXPECT_TRUE(ok.ok()) << ok;
  EXPECT_EQ(VerifyBundleSignature(files, wrong).code(),
            absl::StatusCode::kPermissionDenied);
  files[1].content += "\n# changed";
  EXPECT_EQ(VerifyBundleSignature(files, options).code(),
            absl::StatusCode::kPermissionDenied);
}

INSTANTIATE_TEST_SUITE_P(
    EveryAlgorithm, SignatureAlgorithmTest,
    ::testing::Values(AlgorithmCase{"RS256", "RSA", ""}, AlgorithmCase{"RS384", "RSA", ""},
                      AlgorithmCase{"RS512", "RSA", ""}, AlgorithmCase{"PS256", "RSA", ""},
                      AlgorithmCase{"PS384", "RSA", ""}, AlgorithmCase{"PS512", "RSA", ""},
                      AlgorithmCase{"ES256", "EC", "P-256"},
                      AlgorithmCase{"ES384", "EC", "P-384"},
                      AlgorithmCase{"ES512", "EC", "P-521"},
                      AlgorithmCase{"HS256", "oct", ""}, AlgorithmCase{"HS384", "oct", ""},
                      AlgorithmCase{"HS512", "oct", ""},
                      AlgorithmCase{"EdDSA", "ED25519", ""}),
    [](const ::testing::TestParamInfo<AlgorithmCase>& info) { return info.param.alg; });

TEST(SignatureTest, AlgorithmMustMatchKey) {
  // An HS256 token must not verify against an RSA key's PEM used as a secret.
  KeyPair key("RSA");
  SignatureOptions options;
  options.keys["k1"] = {"RS256", key.PublicPem()};
  auto files = Signed(Files(),
                      HmacSignatures(Payload(Files()), key.PublicPem()));
  absl::Status s = VerifyBundleSignature(files, options);
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(s.message(), HasSubstr("does not match the key's algorithm"));
}

TEST(SignatureTest, UnknownKeyIdAndScope) {
  auto files = Signed(Files(), HmacSignatures(Payload(Files(), ", \"scope\": \"w\""),
                                              "s3cret"));
  SignatureOptions options;
  options.keys["other"] = {"HS256", "s3cret"};
  EXPECT_THAT(VerifyBundleSignature(files, options).message(),
              HasSubstr("no verification key with id \"k1\""));
  options = HmacOptions("s3cret");
  options.scope = "write";
  EXPECT_THAT(VerifyBundleSignature(files, options).message(),
              HasSubstr("scope"));
  options.scope = "w";
  EXPECT_TRUE(VerifyBundleSignature(files, options).ok());
}

TEST(SignatureTest, MalformedSignaturesFile) {
  auto files = Signed(Files(), "{\"signatures\": [\"not-a-jwt\"]}");
  EXPECT_EQ(VerifyBundleSignature(files, HmacOptions("s3cret")).code(),
            absl::StatusCode::kInvalidArgument);
  files = Signed(Files(), "{}");
  EXPECT_FALSE(VerifyBundleSignature(files, HmacOptions("s3cret")).ok());
}

}  // namespace
}  // namespace policyd::bundles
