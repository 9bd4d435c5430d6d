#include "engine/builtins/jose/jws.h"

#include "gtest/gtest.h"
#include "tests/engine/builtins/jose/crypto_test_util.h"
#include "util/hex.h"

namespace policyd {
namespace {

using crypto_test::GenerateKey;

CryptoKey Asym(PkeyPtr k) {
  CryptoKey key;
  key.pkey = std::move(k);
  return key;
}

CryptoKey Secret(std::string s) {
  CryptoKey key;
  key.symmetric = true;
  key.secret = std::move(s);
  return key;
}

TEST(JwsTest, KnowsExactlyTheJoseAlgorithms) {
  for (const char* a : {"HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384",
                        "PS512", "ES256", "ES384", "ES512", "EdDSA"}) {
    EXPECT_NE(FindJwsAlgorithm(a), nullptr) << a;
  }
  EXPECT_EQ(FindJwsAlgorithm("none"), nullptr);
  EXPECT_EQ(FindJwsAlgorithm("hs256"), nullptr);
  EXPECT_EQ(FindJwsAlgorithm(""), nullptr);
}

TEST(JwsTest, SignsAndVerifiesEveryAlgorithm) {
  struct Case {
    const char* alg;
    CryptoKey key;
  };
  std::vector<Case> cases = {
      {"HS256", Secret("k")},  {"HS384", Secret("k")}, {"HS512", Secret("k")},
      {"RS256", Asym(GenerateKey("RSA"))}, {"RS512", Asym(GenerateKey("RSA"))},
      {"PS256", Asym(GenerateKey("RSA"))}, {"PS384", Asym(GenerateKey("RSA"))},
      {"ES256", Asym(GenerateKey("P-256"))}, {"ES384", Asym(GenerateKey("P-384"))},
      {"ES512", Asym(GenerateKey("P-521"))}, {"EdDSA", Asym(GenerateKey("ED25519"))},
  };
  for (const Case& c : cases) {
    const JwsAlgorithm& alg = *FindJwsAlgorithm(c.alg);
    auto sig = JwsSign(alg, c.key, "header.payload");
    ASSERT_TRUE(sig.ok()) << c.alg << sig.status();
    EXPECT_TRUE(JwsVerify(alg, c.key, "header.payload", *sig)) << c.alg;
    EXPECT_FALSE(JwsVerify(alg, c.key, "header.payloaD", *sig)) << c.alg;
    std::string tampered = *sig;
    tampered[tampered.size() / 2] ^= 1;
    EXPECT_FALSE(JwsVerify(alg, c.key, "header.payload", tampered)) << c.alg;
    EXPECT_FALSE(JwsVerify(alg, c.key, "header.payload", "")) << c.alg;
  }
  // ES signatures are fixed-size r || s.
  auto es512 = JwsSign(*FindJwsAlgorithm("ES512"), cases[9].key, "x");
  EXPECT_EQ(es512->size(), 132u);
}

TEST(JwsTest, KeyOfTheWrongTypeNeverVerifies) {
  CryptoKey rsa = Asym(GenerateKey("RSA"));
  CryptoKey ec = Asym(GenerateKey("P-256"));
  auto rs = JwsSign(*FindJwsAlgorithm("RS256"), rsa, "in");
  ASSERT_TRUE(rs.ok());
  // RSA signature checked as ES256 with an EC key, or as PS256.
  EXPECT_FALSE(JwsVerify(*FindJwsAlgorithm("ES256"), ec, "in", *rs));
  EXPECT_FALSE(JwsVerify(*FindJwsAlgorithm("PS256"), rsa, "in", *rs));
  // HMAC keyed with bytes that happen to equal an RSA key: the secret type
  // is required, so an asymmetric key is never used as an HMAC secret.
  EXPECT_FALSE(JwsVerify(*FindJwsAlgorithm("HS256"), rsa, "in", *rs));
  EXPECT_FALSE(JwsVerify(*FindJwsAlgorithm("RS256"), Secret("k"), "in", *rs));
  EXPECT_FALSE(JwsSign(*FindJwsAlgorithm("RS256"), Secret("k"), "in").ok());
  EXPECT_FALSE(JwsSign(*FindJwsAlgorithm("HS256"), rsa, "in").ok());
}

TEST(JwsTest, RsaKeysBelow1024BitsAreRefused) {
  CryptoKey small = Asym(AdoptPkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{512})));
  EXPECT_FALSE(JwsSign(*FindJwsAlgorithm("RS256"), small, "in").ok());
}

TEST(JwsTest, DigestAndHmac) {
  EXPECT_EQ(HexEncode(Digest(EVP_md5(), "")), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(HexEncode(Hmac(EVP_sha256(), "", "")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

}  // namespace
}  // namespace policyd
