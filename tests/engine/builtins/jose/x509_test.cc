#include "engine/builtins/jose/x509.h"

#include "absl/strings/match.h"
#include "engine/builtins/base64.h"
#include "gtest/gtest.h"
#include "tests/engine/builtins/jose/crypto_test_util.h"

namespace policyd {
namespace {

using crypto_test::CertDer;
using crypto_test::CertPem;
using crypto_test::CertSpec;
using crypto_test::GenerateKey;
using crypto_test::MakeCert;

TEST(X509Test, ParsesDerAndRejectsGarbage) {
  PkeyPtr key = GenerateKey("P-256");
  X509Ptr cert = MakeCert({.cn = "a"}, key.get(), nullptr, key.get());
  std::string der = CertDer(cert.get());
  EXPECT_TRUE(ParseCertificateDer(der).ok());
  EXPECT_EQ(ParseCertificateDer("badstring").status().message(), "x509: malformed certificate");
  EXPECT_EQ(ParseCertificateDer(der + "x").status().message(), "x509: trailing data");
  auto two = ParseCertificatesDer(der + der);
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->size(), 2u);
  EXPECT_TRUE(ParseCertificatesDer("")->empty());
}

TEST(X509Test, OperandFormsAsOpaReadsThem) {
  PkeyPtr key = GenerateKey("P-256");
  X509Ptr cert = MakeCert({.cn = "a"}, key.get(), nullptr, key.get());
  std::string pem = CertPem(cert.get()) + CertPem(cert.get());
  EXPECT_EQ(ParseCertificatesOperand(pem)->size(), 2u);
  EXPECT_EQ(ParseCertificatesOperand(Base64Encode(pem, Base64Alphabet::kStd, true))->size(), 2u);
  EXPECT_EQ(
      ParseCertificatesOperand(Base64Encode(CertDer(cert.get()), Base64Alphabet::kStd, true))
          ->size(),
      1u);
  EXPECT_EQ(ParseCertificatesOperand("foobar").status().message(),
            "illegal base64 data at input byte 4");
  EXPECT_EQ(ParseCertificatesOperand("-----BEGIN KEY-----\nZm9v\n-----END KEY-----\n")
                .status()
                .message(),
            "PEM block type is 'KEY', expected CERTIFICATE");
}

TEST(X509Test, CertificateValueHasGoFields) {
  PkeyPtr ca_key = GenerateKey("RSA");
  X509Ptr ca = MakeCert({.cn = "Test CA", .is_ca = true, .serial = 7}, ca_key.get(), nullptr,
                        ca_key.get());
  PkeyPtr key = GenerateKey("P-256");
  X509Ptr leaf = MakeCert({.cn = "leaf.example",
                           .san = "DNS:leaf.example,URI:spiffe://example.com/x?y#z,"
                                  "IP:10.0.0.1,email:a@example.com",
                           .eku = "serverAuth,clientAuth",
                           .serial = 8},
                          key.get(), ca.get(), ca_key.get());
  Value v = *CertificateValue(leaf.get());
  EXPECT_EQ(v.Find("Subject")->Find("CommonName")->string(), "leaf.example");
  EXPECT_EQ(*v.Find("Subject")->Find("Organization"), Value::Array({Value::String("policyd test")}));
  EXPECT_TRUE(v.Find("Subject")->Find("Country")->is_null());
  EXPECT_EQ(v.Find("Issuer")->Find("CommonName")->string(), "Test CA");
  EXPECT_EQ(*v.Find("DNSNames"), Value::Array({Value::String("leaf.example")}));
  EXPECT_EQ(*v.Find("IPAddresses"), Value::Array({Value::String("10.0.0.1")}));
  EXPECT_EQ(*v.Find("EmailAddresses"), Value::Array({Value::String("a@example.com")}));
  EXPECT_EQ(*v.Find("URIStrings"), Value::Array({Value::String("spiffe://example.com/x?y#z")}));
  const Value& uri = v.Find("URIs")->elements()[0];
  EXPECT_EQ(uri.Find("Scheme")->string(), "spiffe");
  EXPECT_EQ(uri.Find("Host")->string(), "example.com");
  EXPECT_EQ(uri.Find("Path")->string(), "/x");
  EXPECT_EQ(uri.Find("RawQuery")->string(), "y");
  EXPECT_EQ(uri.Find("Fragment")->string(), "z");
  EXPECT_EQ(*v.Find("ExtKeyUsage"), Value::Array({Value::Int(1), Value::Int(2)}));
  EXPECT_EQ(*v.Find("KeyUsage"), Value::Int(1));  // digitalSignature
  EXPECT_EQ(*v.Find("Version"), Value::Int(3));
  EXPECT_EQ(*v.Find("SerialNumber"), Value::Int(8));
  EXPECT_EQ(*v.Find("SignatureAlgorithm"), Value::Int(4));  // SHA256WithRSA
  EXPECT_EQ(*v.Find("PublicKeyAlgorithm"), Value::Int(3));  // ECDSA
  EXPECT_EQ(*v.Find("IsCA"), Value::Bool(false));
  EXPECT_EQ(*v.Find("BasicConstraintsValid"), Value::Bool(true));
  EXPECT_TRUE(v.Find("AuthorityKeyId")->is_string());
  EXPECT_TRUE(v.Find("CRLDistributionPoints")->is_null());
  EXPECT_EQ(v.Find("Raw")->string(),
            Base64Encode(CertDer(leaf.get()), Base64Alphabet::kStd, true));
  // NotBefore/NotAfter are RFC 3339 UTC.
  std::string nb(v.Find("NotBefore")->string());
  EXPECT_EQ(nb.size(), 20u);
  EXPECT_EQ(nb.back(), 'Z');

  Value cav = *CertificateValue(ca.get());
  EXPECT_EQ(*cav.Find("IsCA"), Value::Bool(true));
  EXPECT_EQ(*cav.Find("MaxPathLen"), Value::Int(-1));
  EXPECT_EQ(*cav.Find("KeyUsage"), Value::Int(32 | 64));  // certSign | CRLSign
  EXPECT_TRUE(cav.Find("URIStrings")->is_null());
  EXPECT_TRUE(cav.Find("DNSNames")->is_null());
  EXPECT_TRUE(cav.Find("PublicKey")->Find("N")->is_number());
}

TEST(X509Test, CertificateRequestValue) {
  PkeyPtr key = GenerateKey("P-256");
  X509_REQ* req = X509_REQ_new();
  X509_REQ_set_pubkey(req, key.get());
  X509_NAME_add_entry_by_txt(X509_REQ_get_subject_name(req), "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("csr.example"), -1, -1, 0);
  X509_REQ_sign(req, key.get(), EVP_sha256());
  unsigned char* buf = nullptr;
  int n = i2d_X509_REQ(req, &buf);
  std::string der(reinterpret_cast<char*>(buf), static_cast<size_t>(n));
  OPENSSL_free(buf);
  X509_REQ_free(req);
  Value v = *CertificateRequestValue(der);
  EXPECT_EQ(v.Find("Subject")->Find("CommonName")->string(), "csr.example");
  EXPECT_EQ(*v.Find("SignatureAlgorithm"), Value::Int(10));  // ECDSAWithSHA256
  EXPECT_EQ(*v.Find("PublicKeyAlgorithm"), Value::Int(3));
  EXPECT_TRUE(v.Find("DNSNames")->is_null());
  EXPECT_TRUE(absl::StartsWith(CertificateRequestValue("badstring").status().message(),
                               "asn1: structure error"));
}

}  // namespace
}  // namespace policyd
