// crypto.* builtins through the registry.
#include "absl/strings/match.h"
#include "engine/builtins/base64.h"
#include "gtest/gtest.h"
#include "tests/engine/builtins/jose/crypto_test_util.h"

namespace policyd {
namespace {

using crypto_test::CallError;
using crypto_test::CallOk;
using crypto_test::CertDer;
using crypto_test::CertPem;
using crypto_test::CertSpec;
using crypto_test::GenerateKey;
using crypto_test::MakeCert;
using crypto_test::PrivateKeyPem;
using crypto_test::Str;

TEST(CryptoBuiltinsTest, Digests) {
  EXPECT_EQ(CallOk("crypto.md5", {Str("lorem ipsum")}), Str("80a751fde577028640c419000e33eba6"));
  EXPECT_EQ(CallOk("crypto.sha1", {Str("lorem ipsum")}),
            Str("bfb7759a67daeb65410490b4d98bb9da7d1ea2ce"));
  EXPECT_EQ(CallOk("crypto.sha256", {Str("")}),
            Str("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
  EXPECT_EQ(CallError("crypto.md5", {Value::Int(1)}, absl::StatusCode::kInvalidArgument),
            "crypto.md5: operand 1 must be string but got number");
}

TEST(CryptoBuiltinsTest, Hmacs) {
  EXPECT_EQ(CallOk("crypto.hmac.md5", {Str("foo"), Str("bar")}),
            Str("31b6db9e5eb4addb42f1a6ca07367adc"));
  EXPECT_EQ(CallOk("crypto.hmac.sha1", {Str("foo"), Str("bar")}),
            Str("85d155c55ed286a300bd1cf124de08d87e914f3a"));
  EXPECT_EQ(CallOk("crypto.hmac.sha256", {Str("foo"), Str("bar")}),
            Str("147933218aaabc0b8b10a2b3a5c34684c8d94341bcf10a4736dc7270f7741851"));
  EXPECT_EQ(CallOk("crypto.hmac.sha512", {Str("foo"), Str("bar")}).string().size(), 128u);
  EXPECT_EQ(CallError("crypto.hmac.sha256", {Str("foo"), Value::Null()},
                      absl::StatusCode::kInvalidArgument),
            "crypto.hmac.sha256: operand 2 must be string but got null");
}

TEST(CryptoBuiltinsTest, HmacEqual) {
  EXPECT_EQ(CallOk("crypto.hmac.equal", {Str("abc"), Str("abc")}), Value::Bool(true));
  EXPECT_EQ(CallOk("crypto.hmac.equal", {Str("abc"), Str("abd")}), Value::Bool(false));
  EXPECT_EQ(CallOk("crypto.hmac.equal", {Str("abc"), Str("ab")}), Value::Bool(false));
  EXPECT_EQ(CallOk("crypto.hmac.equal", {Str(""), Str("")}), Value::Bool(true));
}

TEST(CryptoBuiltinsTest, ParseCertificates) {
  PkeyPtr key = GenerateKey("P-256");
  X509Ptr a = MakeCert({.cn = "a"}, key.get(), nullptr, key.get());
  X509Ptr b = MakeCert({.cn = "b"}, key.get(), nullptr, key.get());
  Value certs = CallOk("crypto.x509.parse_certificates", {Str(CertPem(a.get()) + CertPem(b.get()))});
  ASSERT_EQ(certs.size(), 2u);
  EXPECT_EQ(certs.elements()[1].Find("Subject")->Find("CommonName")->string(), "b");
  Value der = CallOk("crypto.x509.parse_certificates",
                     {Str(Base64Encode(CertDer(a.get()), Base64Alphabet::kStd, true))});
  EXPECT_EQ(der.size(), 1u);
  EXPECT_EQ(CallError("crypto.x509.parse_certificates", {Str("foobar")}),
            "crypto.x509.parse_certificates: illegal base64 data at input byte 4");
  EXPECT_EQ(CallError("crypto.x509.parse_certificates", {Str("YmFkc3RyaW5n")}),
            "crypto.x509.parse_certificates: x509: malformed certificate");
}

struct Chain {
  PkeyPtr root_key, mid_key, leaf_key;
  X509Ptr root, mid, leaf;
};

Chain MakeChain(std::string leaf_eku = "serverAuth") {
  Chain c;
  c.root_key = GenerateKey("P-256");
  c.mid_key = GenerateKey("P-256");
  c.leaf_key = GenerateKey("P-256");
  c.root = MakeCert({.cn = "Root", .is_ca = true, .serial = 1}, c.root_key.get(), nullptr,
                    c.root_key.get());
  c.mid = MakeCert({.cn = "Mid", .is_ca = true, .serial = 2}, c.mid_key.get(), c.root.get(),
                   c.root_key.get());
  c.leaf = MakeCert({.cn = "leaf", .san = "DNS:leaf.example", .eku = leaf_eku, .serial = 3},
                    c.leaf_key.get(), c.mid.get(), c.mid_key.get());
  return c;
}

int64_t NowNs() { return static_cast<int64_t>(time(nullptr)) * 1000000000; }

TEST(CryptoBuiltinsTest, ParseAndVerifyCertificates) {
  Chain c = MakeChain();
  std::string pem = CertPem(c.root.get()) + CertPem(c.mid.get()) + CertPem(c.leaf.get());
  Value ok = CallOk("crypto.x509.parse_and_verify_certificates", {Str(pem)}, NowNs());
  ASSERT_EQ(ok.elements()[0], Value::Bool(true));
  const auto& chain = ok.elements()[1].elements();
  ASSERT_EQ(chain.size(), 3u);  // leaf first
  EXPECT_EQ(chain[0].Find("Subject")->Find("CommonName")->string(), "leaf");
  EXPECT_EQ(chain[2].Find("Subject")->Find("CommonName")->string(), "Root");

  const Value invalid = Value::Array({Value::Bool(false), Value::Array({})});
  // Without the intermediate; a single certificate; garbage.
  EXPECT_EQ(CallOk("crypto.x509.parse_and_verify_certificates",
                   {Str(CertPem(c.root.get()) + CertPem(c.leaf.get()))}, NowNs()),
            invalid);
  EXPECT_EQ(CallOk("crypto.x509.parse_and_verify_certificates", {Str(CertPem(c.root.get()))},
                   NowNs()),
            invalid);
  EXPECT_EQ(CallOk("crypto.x509.parse_and_verify_certificates", {Str("garbage")}, NowNs()),
            invalid);
  // Expired at the evaluation's time.
  EXPECT_EQ(CallOk("crypto.x509.parse_and_verify_certificates", {Str(pem)},
                   NowNs() + int64_t{3600} * 24 * 800 * 1000000000),
            invalid);
  // A client-only leaf does not verify for the default server usage.
  Chain client = MakeChain("clientAuth");
  std::string client_pem =
      CertPem(client.root.get()) + CertPem(client.mid.get()) + CertPem(client.leaf.get());
  EXPECT_EQ(CallOk("crypto.x509.parse_and_verify_certificates", {Str(client_pem)}, NowNs()),
            invalid);
  Value with_usage = CallOk(
      "crypto.x509.parse_and_verify_certificates_with_options",
      {Str(client_pem), crypto_test::Json(R"({"KeyUsages": ["KeyUsageClientAuth"]})")}, NowNs());
  EXPECT_EQ(with_usage.elements()[0], Value::Bool(true));
  Value wrong_dns = CallOk("crypto.x509.parse_and_verify_certificates_with_options",
                           {Str(pem), crypto_test::Json(R"({"DNSName": "other.example"})")},
                           NowNs());
  EXPECT_EQ(wrong_dns, invalid);
  EXPECT_EQ(CallError("crypto.x509.parse_and_verify_certificates_with_options",
                      {Str(pem), crypto_test::Json(R"({"Bogus": 1})")}),
            "crypto.x509.parse_and_verify_certificates_with_options: invalid key option");
  EXPECT_EQ(CallError("crypto.x509.parse_and_verify_certificates_with_options",
                      {Str(pem), crypto_test::Json(R"({"KeyUsages": ["Nope"]})")}),
            "crypto.x509.parse_and_verify_certificates_with_options: invalid entries for "
            "'KeyUsages' found: [Nope]");
}

TEST(CryptoBuiltinsTest, ParseCertificateRequest) {
  EXPECT_EQ(CallError("crypto.x509.parse_certificate_request", {Str("foobar")}),
            "crypto.x509.parse_certificate_request: illegal base64 data at input byte 4");
  EXPECT_TRUE(absl::StrContains(
      CallError("crypto.x509.parse_certificate_request", {Str("YmFkc3RyaW5n")}),
      "asn1: structure error"));
  EXPECT_EQ(CallError("crypto.x509.parse_certificate_request",
                      {Str(Base64Encode("-----BEGIN X-----\nZm9v\n-----END X-----\n",
                                        Base64Alphabet::kStd, true))}),
            "crypto.x509.parse_certificate_request: invalid PEM-encoded certificate signing "
            "request");
}

TEST(CryptoBuiltinsTest, ParseRsaPrivateKey) {
  PkeyPtr key = GenerateKey("RSA");
  for (bool traditional : {true, false}) {
    std::string pem = PrivateKeyPem(key.get(), traditional);
    Value jwk = CallOk("crypto.x509.parse_rsa_private_key", {Str(pem)});
    EXPECT_EQ(jwk, *PrivateKeyToJwk(key.get()));
    EXPECT_EQ(CallOk("crypto.x509.parse_rsa_private_key",
                     {Str(Base64Encode(pem, Base64Alphabet::kStd, true))}),
              jwk);
  }
  EXPECT_EQ(CallError("crypto.x509.parse_rsa_private_key", {Str("invalid")}),
            "crypto.x509.parse_rsa_private_key: illegal base64 data at input byte 4");
  EXPECT_EQ(CallError("crypto.x509.parse_rsa_private_key", {Str("")}),
            "crypto.x509.parse_rsa_private_key: input PEM data was empty");
  EXPECT_EQ(CallOk("crypto.x509.parse_rsa_private_key", {Str("-----BEGIN nothing")}),
            Value::Null());
}

TEST(CryptoBuiltinsTest, ParsePrivateKeys) {
  PkeyPtr rsa = GenerateKey("RSA");
  PkeyPtr ec = GenerateKey("P-256");
  PkeyPtr ed = GenerateKey("ED25519");
  std::string pem = PrivateKeyPem(rsa.get(), true) + PrivateKeyPem(ec.get(), true) +
                    "-----BEGIN PUBLIC KEY-----\nZm9v\n-----END PUBLIC KEY-----\n" +
                    PrivateKeyPem(ed.get());
  Value keys = CallOk("crypto.parse_private_keys", {Str(pem)});
  ASSERT_EQ(keys.size(), 3u);
  EXPECT_EQ(keys.elements()[0], *GoPrivateKeyValue(rsa.get()));
  EXPECT_EQ(keys.elements()[1], *GoPrivateKeyValue(ec.get()));
  EXPECT_TRUE(keys.elements()[2].is_string());
  EXPECT_EQ(CallOk("crypto.parse_private_keys", {Str("nope")}), Value::Array({}));
  EXPECT_EQ(CallOk("crypto.parse_private_keys", {Str("")}), Value::Null());
  EXPECT_EQ(CallError("crypto.parse_private_keys",
                      {Str("-----BEGIN RSA PRIVATE KEY-----\nZm9v\n-----END RSA PRIVATE KEY-----\n")}),
            "crypto.parse_private_keys: x509: failed to parse private key");
}

TEST(CryptoBuiltinsTest, ParseKeyPair) {
  PkeyPtr key = GenerateKey("RSA");
  X509Ptr cert = MakeCert({.cn = "kp"}, key.get(), nullptr, key.get());
  std::string cert_pem = CertPem(cert.get());
  std::string key_pem = PrivateKeyPem(key.get());
  Value pair = CallOk("crypto.x509.parse_keypair", {Str(cert_pem), Str(key_pem)});
  std::string der_b64 = Base64Encode(CertDer(cert.get()), Base64Alphabet::kStd, true);
  EXPECT_EQ(*pair.Find("Certificate"), Value::Array({Str(der_b64)}));
  EXPECT_EQ(pair.Find("Leaf")->Find("Subject")->Find("CommonName")->string(), "kp");
  EXPECT_TRUE(pair.Find("PrivateKey")->Find("D")->is_number());
  // Base64 of PEM, and base64 of DER, are accepted too.
  Value b64 = CallOk("crypto.x509.parse_keypair",
                     {Str(Base64Encode(cert_pem, Base64Alphabet::kStd, true)),
                      Str(Base64Encode(key_pem, Base64Alphabet::kStd, true))});
  EXPECT_EQ(*b64.Find("Certificate"), Value::Array({Str(der_b64)}));
  Value der = CallOk("crypto.x509.parse_keypair", {Str(der_b64), Str(key_pem)});
  EXPECT_EQ(*der.Find("Certificate"), Value::Array({Str(der_b64)}));

  PkeyPtr other = GenerateKey("RSA");
  EXPECT_EQ(CallError("crypto.x509.parse_keypair", {Str(cert_pem), Str(PrivateKeyPem(other.get()))}),
            "crypto.x509.parse_keypair: tls: private key does not match public key");
  PkeyPtr ec = GenerateKey("P-256");
  EXPECT_EQ(CallError("crypto.x509.parse_keypair", {Str(cert_pem), Str(PrivateKeyPem(ec.get()))}),
            "crypto.x509.parse_keypair: tls: private key type does not match public key type");
}

}  // namespace
}  // namespace policyd
