#include "engine/builtins/jose/jwk.h"

#include "gtest/gtest.h"
#include "tests/engine/builtins/jose/crypto_test_util.h"

namespace policyd {
namespace {

using crypto_test::GenerateKey;
using crypto_test::Json;

TEST(JwkTest, PrivateKeyRoundTripsThroughJwk) {
  for (const char* type : {"RSA", "P-256", "P-384", "P-521", "ED25519"}) {
    PkeyPtr key = GenerateKey(type);
    auto jwk = PrivateKeyToJwk(key.get());
    ASSERT_TRUE(jwk.ok()) << type << jwk.status();
    auto back = JwkToKey(*jwk);
    ASSERT_TRUE(back.ok()) << type << back.status();
    EXPECT_FALSE(back->symmetric);
    EXPECT_EQ(EVP_PKEY_eq(key.get(), back->pkey.get()), 1) << type;
    // Exporting again gives the same JWK.
    EXPECT_EQ(*PrivateKeyToJwk(back->pkey.get()), *jwk) << type;
  }
}

TEST(JwkTest, RsaJwkMembers) {
  PkeyPtr key = GenerateKey("RSA");
  Value jwk = *PrivateKeyToJwk(key.get());
  for (const char* m : {"kty", "n", "e", "d", "p", "q", "dp", "dq", "qi"}) {
    EXPECT_NE(jwk.Find(m), nullptr) << m;
  }
  EXPECT_EQ(jwk.Find("kty")->string(), "RSA");
  EXPECT_EQ(jwk.Find("e")->string(), "AQAB");
}

TEST(JwkTest, ParsesSetsSingleKeysAndSecrets) {
  auto keys = ParseJwkSet(R"({"keys": [{"kty": "oct", "k": "c2VjcmV0", "kid": "a", "alg": "HS256"},
                                       {"kty": "oct", "k": "eA"}]})");
  ASSERT_TRUE(keys.ok()) << keys.status();
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_TRUE((*keys)[0].symmetric);
  EXPECT_EQ((*keys)[0].secret, "secret");
  EXPECT_EQ((*keys)[0].kid, "a");
  EXPECT_EQ((*keys)[0].alg, "HS256");
  EXPECT_EQ((*keys)[1].secret, "x");
  auto one = ParseJwkSet(R"({"kty": "oct", "k": "eA"})");
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->size(), 1u);
}

TEST(JwkTest, RejectsBadKeys) {
  EXPECT_FALSE(ParseJwkSet("not json").ok());
  EXPECT_FALSE(ParseJwkSet(R"({"kty": "bogus"})").ok());
  EXPECT_FALSE(ParseJwkSet(R"({"n": "AQAB"})").ok());
  EXPECT_FALSE(ParseJwkSet(R"({"kty": "RSA", "e": "AQAB"})").ok());
  EXPECT_FALSE(ParseJwkSet(R"({"kty": "EC", "crv": "P-999", "x": "AA", "y": "AA"})").ok());
  // A point that is not on the curve.
  EXPECT_FALSE(ParseJwkSet(R"({"kty": "EC", "crv": "P-256", "x": "AQ", "y": "AQ"})").ok());
  EXPECT_FALSE(ParseJwkSet(R"({"keys": {}})").ok());
}

TEST(JwkTest, GoShapesOfKeys) {
  PkeyPtr rsa = GenerateKey("RSA");
  Value pub = *GoPublicKeyValue(rsa.get());
  ASSERT_NE(pub.Find("E"), nullptr);
  EXPECT_EQ(*pub.Find("E"), Value::Int(65537));
  EXPECT_TRUE(pub.Find("N")->is_number());
  Value priv = *GoPrivateKeyValue(rsa.get());
  EXPECT_EQ(priv.Find("Primes")->size(), 2u);
  EXPECT_NE(priv.Find("Precomputed")->Find("Qinv"), nullptr);
  EXPECT_EQ(GoPublicKeyAlgorithm(rsa.get()), 1);

  PkeyPtr ec = GenerateKey("P-256");
  Value ecv = *GoPrivateKeyValue(ec.get());
  EXPECT_EQ(*ecv.Find("Curve"), Value::Object({}));
  EXPECT_TRUE(ecv.Find("D")->is_number());
  EXPECT_EQ(GoPublicKeyAlgorithm(ec.get()), 3);

  PkeyPtr ed = GenerateKey("ED25519");
  EXPECT_TRUE(GoPublicKeyValue(ed.get())->is_string());
  // seed || public key = 64 bytes = 88 base64 characters.
  EXPECT_EQ(GoPrivateKeyValue(ed.get())->string().size(), 88u);
  EXPECT_EQ(GoPublicKeyAlgorithm(ed.get()), 4);
}

}  // namespace
}  // namespace policyd
