// io.jwt.* builtins through the registry.
#include "engine/builtins/base64.h"
#include "gtest/gtest.h"
#include "tests/engine/builtins/jose/crypto_test_util.h"

namespace policyd {
namespace {

using crypto_test::Call;
using crypto_test::CallError;
using crypto_test::CallOk;
using crypto_test::CertPem;
using crypto_test::GenerateKey;
using crypto_test::Json;
using crypto_test::MakeCert;
using crypto_test::PublicKeyPem;
using crypto_test::Str;

constexpr int64_t kNow = 1700000000LL * 1000000000LL;  // 2023-11-14

std::string B64(std::string_view s) { return Base64Encode(s, Base64Alphabet::kUrl, false); }

// A token signed with `jwk` (a private JWK as JSON text).
std::string Sign(std::string_view header, std::string_view payload, std::string_view jwk) {
  return std::string(
      CallOk("io.jwt.encode_sign_raw", {Str(header), Str(payload), Str(jwk)}).string());
}

std::string JwkText(EVP_PKEY* key) { return PrivateKeyToJwk(key)->ToJson(); }

std::string SecretJwk(std::string_view secret) {
  return R"({"kty":"oct","k":")" + B64(secret) + R"("})";
}

// Flips one character of the payload part (keeping it valid base64url).
std::string TamperPayload(std::string token) {
  size_t dot = token.find('.');
  char& c = token[dot + 2];
  c = c == 'A' ? 'B' : 'A';
  return token;
}

TEST(JwtDecodeTest, DecodesHeaderPayloadAndHexSignature) {
  std::string token = B64(R"({"alg":"HS256","typ":"JWT"})") + "." + B64(R"({"sub":"0"})") + "." +
                      B64("\x01\xff");
  EXPECT_EQ(CallOk("io.jwt.decode", {Str(token)}),
            Value::Array({Json(R"({"alg":"HS256","typ":"JWT"})"), Json(R"({"sub":"0"})"),
                          Str("01ff")}));
}

TEST(JwtDecodeTest, NestedTokenIsUnwrapped) {
  std::string inner = B64(R"({"alg":"HS256"})") + "." + B64(R"({"iss":"in"})") + "." + B64("s");
  std::string outer = B64(R"({"alg":"HS256","cty":"JWT"})") + "." + B64("\"" + inner + "\"") +
                      "." + B64("t");
  Value v = CallOk("io.jwt.decode", {Str(outer)});
  EXPECT_EQ(v.elements()[0], Json(R"({"alg":"HS256"})"));
  EXPECT_EQ(v.elements()[1], Json(R"({"iss":"in"})"));
}

TEST(JwtDecodeTest, Errors) {
  EXPECT_EQ(CallError("io.jwt.decode", {Str("abc")}),
            "io.jwt.decode: encoded JWT had no period separators");
  EXPECT_EQ(CallError("io.jwt.decode", {Str("a.b")}),
            "io.jwt.decode: encoded JWT must have 3 sections, found 2");
  EXPECT_EQ(CallError("io.jwt.decode", {Str("a.b.c.d")}),
            "io.jwt.decode: encoded JWT must have 3 sections, found 4");
  EXPECT_EQ(CallError("io.jwt.decode", {Str("eyJ^.e30.")}),
            "io.jwt.decode: JWT header had invalid encoding: illegal base64 data at input byte 3");
  EXPECT_EQ(CallError("io.jwt.decode", {Str(B64(R"({"alg":"x","enc":"y"})") + ".e30.")}),
            "io.jwt.decode: JWT is a JWE object, which is not supported");
  EXPECT_EQ(CallError("io.jwt.decode", {Str(B64("[1]") + ".e30.")}),
            "io.jwt.decode: bad JWT header: decoded JSON type was not an Object");
  EXPECT_EQ(CallError("io.jwt.decode", {Str("e30." + B64("[1]") + ".")}),
            "io.jwt.decode: decoded JSON type was not an Object");
  EXPECT_EQ(CallError("io.jwt.decode", {Str("e30.e30.a")}),
            "io.jwt.decode: JWT signature had invalid encoding: illegal base64url string: a");
  EXPECT_EQ(CallError("io.jwt.decode", {Value::Int(1)}, absl::StatusCode::kInvalidArgument),
            "io.jwt.decode: operand 1 must be string but got number");
}

TEST(JwtVerifyTest, Hmac) {
  std::string token = Sign(R"({"alg":"HS256"})", R"({"a":1})", SecretJwk("secret"));
  EXPECT_EQ(CallOk("io.jwt.verify_hs256", {Str(token), Str("secret")}), Value::Bool(true));
  EXPECT_EQ(CallOk("io.jwt.verify_hs256", {Str(token), Str("secreT")}), Value::Bool(false));
  EXPECT_EQ(CallOk("io.jwt.verify_hs256", {Str(TamperPayload(token)), Str("secret")}),
            Value::Bool(false));
  EXPECT_EQ(CallOk("io.jwt.verify_hs384", {Str(token), Str("secret")}), Value::Bool(false));
  // Signature truncated or empty.
  EXPECT_EQ(CallOk("io.jwt.verify_hs256", {Str(token.substr(0, token.size() - 4)), Str("secret")}),
            Value::Bool(false));
  EXPECT_EQ(CallOk("io.jwt.verify_hs256",
                   {Str(token.substr(0, token.rfind('.') + 1)), Str("secret")}),
            Value::Bool(false));
  std::string t512 = Sign(R"({"alg":"HS512"})", R"({})", SecretJwk("s"));
  EXPECT_EQ(CallOk("io.jwt.verify_hs512", {Str(t512), Str("s")}), Value::Bool(true));
  EXPECT_EQ(CallError("io.jwt.verify_hs256", {Str("a.b"), Str("s")}),
            "io.jwt.verify_hs256: encoded JWT must have 3 sections, found 2");
  EXPECT_EQ(CallError("io.jwt.verify_hs256", {Str(token), Value::Int(1)},
                      absl::StatusCode::kInvalidArgument),
            "io.jwt.verify_hs256: operand 2 must be string but got number");
}

TEST(JwtVerifyTest, RsaWithCertificatePublicKeyAndJwk) {
  PkeyPtr key = GenerateKey("RSA");
  X509Ptr cert = MakeCert({.cn = "signer"}, key.get(), nullptr, key.get());
  std::string token = Sign(R"({"alg":"RS256"})", R"({"a":1})", JwkText(key.get()));
  Value pub_jwk = *PrivateKeyToJwk(key.get());
  // The public members only.
  std::string jwk = R"({"kty":"RSA","n":")" + std::string(pub_jwk.Find("n")->string()) +
                    R"(","e":"AQAB"})";
  for (const std::string& k : {CertPem(cert.get()), PublicKeyPem(key.get()), jwk}) {
    EXPECT_EQ(CallOk("io.jwt.verify_rs256", {Str(token), Str(k)}), Value::Bool(true)) << k;
    EXPECT_EQ(CallOk("io.jwt.verify_rs256", {Str(TamperPayload(token)), Str(k)}),
              Value::Bool(false));
    // Same key, other algorithms.
    EXPECT_EQ(CallOk("io.jwt.verify_rs384", {Str(token), Str(k)}), Value::Bool(false));
    EXPECT_EQ(CallOk("io.jwt.verify_ps256", {Str(token), Str(k)}), Value::Bool(false));
  }
  PkeyPtr other = GenerateKey("RSA");
  EXPECT_EQ(CallOk("io.jwt.verify_rs256", {Str(token), Str(PublicKeyPem(other.get()))}),
            Value::Bool(false));
  std::string ps = Sign(R"({"alg":"PS384"})", R"({})", JwkText(key.get()));
  EXPECT_EQ(CallOk("io.jwt.verify_ps384", {Str(ps), Str(PublicKeyPem(key.get()))}),
            Value::Bool(true));
}

TEST(JwtVerifyTest, EcdsaAndEdDsa) {
  PkeyPtr ec = GenerateKey("P-384");
  std::string es = Sign(R"({"alg":"ES384"})", R"({})", JwkText(ec.get()));
  EXPECT_EQ(CallOk("io.jwt.verify_es384", {Str(es), Str(PublicKeyPem(ec.get()))}),
            Value::Bool(true));
  EXPECT_EQ(CallOk("io.jwt.verify_es384", {Str(TamperPayload(es)), Str(PublicKeyPem(ec.get()))}),
            Value::Bool(false));
  EXPECT_EQ(CallOk("io.jwt.verify_es256", {Str(es), Str(PublicKeyPem(ec.get()))}),
            Value::Bool(false));
  PkeyPtr ed = GenerateKey("ED25519");
  std::string eddsa = Sign(R"({"alg":"EdDSA"})", R"({})", JwkText(ed.get()));
  EXPECT_EQ(CallOk("io.jwt.verify_eddsa", {Str(eddsa), Str(PublicKeyPem(ed.get()))}),
            Value::Bool(true));
  EXPECT_EQ(CallOk("io.jwt.verify_eddsa",
                   {Str(TamperPayload(eddsa)), Str(PublicKeyPem(ed.get()))}),
            Value::Bool(false));
}

TEST(JwtVerifyTest, KeySetsUseKidAndAlg) {
  PkeyPtr k1 = GenerateKey("RSA");
  PkeyPtr k2 = GenerateKey("RSA");
  Value j1 = *PrivateKeyToJwk(k1.get());
  Value j2 = *PrivateKeyToJwk(k2.get());
  auto pub = [](const Value& j, std::string_view kid, std::string_view alg) {
    std::string s = R"({"kty":"RSA","e":"AQAB","n":")" + std::string(j.Find("n")->string()) + "\"";
    if (!kid.empty()) s += R"(,"kid":")" + std::string(kid) + "\"";
    if (!alg.empty()) s += R"(,"alg":")" + std::string(alg) + "\"";
    return s + "}";
  };
  std::string token = Sign(R"({"alg":"RS256","kid":"two"})", R"({})", JwkText(k2.get()));
  std::string set = R"({"keys":[)" + pub(j1, "one", "") + "," + pub(j2, "two", "") + "]}";
  EXPECT_EQ(CallOk("io.jwt.verify_rs256", {Str(token), Str(set)}), Value::Bool(true));
  // The kid picks a key: the wrong key under that kid fails.
  std::string swapped = R"({"keys":[)" + pub(j2, "one", "") + "," + pub(j1, "two", "") + "]}";
  EXPECT_EQ(CallOk("io.jwt.verify_rs256", {Str(token), Str(swapped)}), Value::Bool(false));
  // Without kid match, keys whose alg differs from the header's are skipped.
  std::string no_kid = Sign(R"({"alg":"RS256"})", R"({})", JwkText(k2.get()));
  std::string algs = R"({"keys":[)" + pub(j2, "", "RS512") + "]}";
  EXPECT_EQ(CallOk("io.jwt.verify_rs256", {Str(no_kid), Str(algs)}), Value::Bool(false));
  std::string algs_ok = R"({"keys":[)" + pub(j1, "", "RS256") + "," + pub(j2, "", "RS256") + "]}";
  EXPECT_EQ(CallOk("io.jwt.verify_rs256", {Str(no_kid), Str(algs_ok)}), Value::Bool(true));
}

TEST(JwtVerifyTest, KeyErrors) {
  std::string token = Sign(R"({"alg":"HS256"})", R"({})", SecretJwk("s"));
  EXPECT_EQ(CallError("io.jwt.verify_rs256", {Str(token), Str("{\"kty\":\"bogus\"}")}).rfind(
                "io.jwt.verify_rs256: failed to parse a JWK key (set): ", 0),
            0u);
  EXPECT_EQ(CallError("io.jwt.verify_rs256",
                      {Str(token), Str("-----BEGIN CERT-----\nZm9v\n-----END CERT-----\n")}),
            "io.jwt.verify_rs256: failed to extract a Key from the PEM certificate");
  EXPECT_EQ(
      CallError("io.jwt.verify_rs256",
                {Str(token), Str("-----BEGIN CERTIFICATE-----\nZm9v\n-----END CERTIFICATE-----\nx")}),
      "io.jwt.verify_rs256: extra data after a PEM certificate block");
  EXPECT_EQ(
      CallError("io.jwt.verify_rs256",
                {Str(token), Str("-----BEGIN CERTIFICATE-----\nZm9v\n-----END CERTIFICATE-----\n")}),
      "io.jwt.verify_rs256: failed to parse a PEM certificate: x509: malformed certificate");
}

TEST(JwtVerifyTest, AlgorithmConfusionIsRejected) {
  PkeyPtr key = GenerateKey("RSA");
  std::string pem = PublicKeyPem(key.get());
  // An attacker signs HS256 with the public key's PEM text as the secret.
  std::string forged = Sign(R"({"alg":"HS256"})", R"({"admin":true})", SecretJwk(pem));
  EXPECT_EQ(CallOk("io.jwt.verify_rs256", {Str(forged), Str(pem)}), Value::Bool(false));
  Value unverified = Value::Array({Value::Bool(false), Value::Object({}), Value::Object({})});
  EXPECT_EQ(CallOk("io.jwt.decode_verify", {Str(forged), Json("{\"cert\":" + Str(pem).ToJson() + "}")},
                   kNow),
            unverified);
  // "none" is no algorithm.
  std::string none = B64(R"({"alg":"none"})") + "." + B64(R"({"admin":true})") + ".";
  EXPECT_EQ(CallOk("io.jwt.decode_verify", {Str(none), Json(R"({"secret":"s"})")}, kNow),
            unverified);
  EXPECT_EQ(CallOk("io.jwt.verify_hs256", {Str(none), Str("")}), Value::Bool(false));
}

class DecodeVerifyTest : public ::testing::Test {
 protected:
  Value Verify(std::string_view payload, std::string_view constraints,
               std::string_view header = R"({"alg":"HS256","typ":"JWT"})") {
    std::string token = Sign(header, payload, SecretJwk("s"));
    return CallOk("io.jwt.decode_verify", {Str(token), Json(constraints)}, kNow);
  }
  bool Valid(std::string_view payload, std::string_view constraints) {
    return Verify(payload, constraints).elements()[0].boolean();
  }
};

TEST_F(DecodeVerifyTest, VerifiedResult) {
  EXPECT_EQ(Verify(R"({"iss":"x"})", R"({"secret":"s"})"),
            Value::Array({Value::Bool(true), Json(R"({"alg":"HS256","typ":"JWT"})"),
                          Json(R"({"iss":"x"})")}));
  EXPECT_FALSE(Valid(R"({})", R"({"secret":"wrong"})"));
}

TEST_F(DecodeVerifyTest, ExpAndNbfAgainstTime) {
  // kNow is 1700000000 s.
  EXPECT_TRUE(Valid(R"({"exp":1700000001})", R"({"secret":"s"})"));
  EXPECT_FALSE(Valid(R"({"exp":1700000000})", R"({"secret":"s"})"));  // exp is exclusive
  EXPECT_TRUE(Valid(R"({"nbf":1700000000})", R"({"secret":"s"})"));   // nbf is inclusive
  EXPECT_FALSE(Valid(R"({"nbf":1700000000.5})", R"({"secret":"s"})"));
  EXPECT_TRUE(Valid(R"({"exp":3000.2})", R"({"secret":"s","time":2000000000000.1})"));
  EXPECT_FALSE(Valid(R"({"exp":3000.2})", R"({"secret":"s","time":4000000000000})"));
  EXPECT_FALSE(Valid(R"({"exp":1589385771.1234})", R"({"secret":"s","time":1589385771123400000})"));
  EXPECT_TRUE(Valid(R"({"nbf":1589385770.1234})", R"({"secret":"s","time":1589385770123400000})"));
}

TEST_F(DecodeVerifyTest, IssAudAlgConstraints) {
  EXPECT_TRUE(Valid(R"({"iss":"a"})", R"({"secret":"s","iss":"a"})"));
  EXPECT_FALSE(Valid(R"({"iss":"a"})", R"({"secret":"s","iss":"b"})"));
  EXPECT_FALSE(Valid(R"({})", R"({"secret":"s","iss":"a"})"));
  EXPECT_TRUE(Valid(R"({"aud":"a"})", R"({"secret":"s","aud":"a"})"));
  EXPECT_TRUE(Valid(R"({"aud":["b","a"]})", R"({"secret":"s","aud":"a"})"));
  EXPECT_FALSE(Valid(R"({"aud":["b"]})", R"({"secret":"s","aud":"a"})"));
  // A token with an audience needs an aud constraint, and vice versa.
  EXPECT_FALSE(Valid(R"({"aud":"a"})", R"({"secret":"s"})"));
  EXPECT_FALSE(Valid(R"({})", R"({"secret":"s","aud":"a"})"));
  EXPECT_TRUE(Valid(R"({})", R"({"secret":"s","alg":"HS256"})"));
  EXPECT_FALSE(Valid(R"({})", R"({"secret":"s","alg":"HS512"})"));
}

TEST_F(DecodeVerifyTest, HeaderRules) {
  // A critical parameter we do not understand invalidates the token.
  EXPECT_FALSE(Verify("{}", R"({"secret":"s"})", R"({"alg":"HS256","crit":["x"],"x":1})")
                   .elements()[0]
                   .boolean());
  EXPECT_TRUE(Verify("{}", R"({"secret":"s"})", R"({"alg":"HS256","y":1})").elements()[0].boolean());
}

TEST_F(DecodeVerifyTest, NestedTokens) {
  std::string inner = Sign(R"({"alg":"HS256"})", R"({"iss":"inner"})", SecretJwk("s"));
  std::string outer = Sign(R"({"alg":"HS256","cty":"JWT","typ":"nested"})", inner, SecretJwk("s"));
  Value v = CallOk("io.jwt.decode_verify", {Str(outer), Json(R"({"secret":"s"})")}, kNow);
  EXPECT_EQ(v, Value::Array({Value::Bool(true), Json(R"({"alg":"HS256"})"),
                             Json(R"({"iss":"inner"})")}));
  // The inner token must verify too.
  std::string bad_inner = Sign(R"({"alg":"HS256"})", R"({"iss":"inner"})", SecretJwk("t"));
  std::string outer2 = Sign(R"({"alg":"HS256","cty":"JWT","typ":"nested"})", bad_inner, SecretJwk("s"));
  EXPECT_FALSE(CallOk("io.jwt.decode_verify", {Str(outer2), Json(R"({"secret":"s"})")}, kNow)
                   .elements()[0]
                   .boolean());
}

TEST_F(DecodeVerifyTest, Errors) {
  std::string token = Sign(R"({"alg":"HS256"})", R"({"exp":null})", SecretJwk("s"));
  EXPECT_EQ(CallError("io.jwt.decode_verify", {Str(token), Json(R"({"secret":"s"})")}),
            "io.jwt.decode_verify: exp value must be a number");
  std::string nbf = Sign(R"({"alg":"HS256"})", R"({"nbf":"x"})", SecretJwk("s"));
  EXPECT_EQ(CallError("io.jwt.decode_verify", {Str(nbf), Json(R"({"secret":"s"})")}),
            "io.jwt.decode_verify: nbf value must be a number");
  EXPECT_EQ(CallError("io.jwt.decode_verify", {Str(token), Json(R"({"foo":"s"})")}),
            "io.jwt.decode_verify: unknown token validation constraint: foo");
  EXPECT_EQ(CallError("io.jwt.decode_verify", {Str(token), Json(R"({})")}),
            "io.jwt.decode_verify: no key constraint");
  EXPECT_EQ(CallError("io.jwt.decode_verify",
                      {Str(token), Json(R"({"secret":"s","cert":"{\"kty\":\"oct\",\"k\":\"eA\"}"})")}),
            "io.jwt.decode_verify: duplicate key constraints");
  EXPECT_EQ(CallError("io.jwt.decode_verify", {Str(token), Json(R"({"secret":1})")}),
            "io.jwt.decode_verify: secret constraint: must be a string");
  EXPECT_EQ(CallError("io.jwt.decode_verify", {Str(token), Json(R"({"secret":"s","time":-1})")}),
            "io.jwt.decode_verify: token time constraint: must not be negative");
  EXPECT_EQ(CallError("io.jwt.decode_verify", {Str(token), Str("x")},
                      absl::StatusCode::kInvalidArgument),
            "io.jwt.decode_verify: operand 2 must be object but got string");
}

TEST(JwtEncodeSignTest, Rfc7515AppendixA1) {
  // The HMAC example of RFC 7515 appendix A.1 (CRLFs in the raw header).
  std::string header = "{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}";
  std::string payload = "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}";
  std::string jwk =
      R"({"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"})";
  EXPECT_EQ(Sign(header, payload, jwk),
            "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9."
            "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ij"
            "p0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
}

TEST(JwtEncodeSignTest, SerialisesLikeGo) {
  Value token = CallOk("io.jwt.encode_sign",
                       {Json(R"({"alg":"HS256","typ":"JWT"})"),
                        Json(R"({"b":"<&>","a":[1,2.5],"c":"\u2028"})"), Json(SecretJwk("k"))});
  std::string_view t = token.string();
  size_t dot = t.find('.');
  EXPECT_EQ(*Base64UrlDecodeLenient(t.substr(0, dot)), R"({"alg":"HS256","typ":"JWT"})");
  std::string_view rest = t.substr(dot + 1);
  EXPECT_EQ(*Base64UrlDecodeLenient(rest.substr(0, rest.find('.'))),
            R"({"a":[1,2.5],"b":"\u003c\u0026\u003e","c":"\u2028"})");
  EXPECT_EQ(CallOk("io.jwt.verify_hs256", {token, Str("k")}), Value::Bool(true));
  // Sets become arrays.
  Value set_payload = Value::Object({{Str("aud"), Value::Set({Str("b"), Str("a")})}});
  Value with_set = CallOk("io.jwt.encode_sign",
                          {Json(R"({"alg":"HS256"})"), set_payload, Json(SecretJwk("k"))});
  EXPECT_EQ(CallOk("io.jwt.decode", {with_set}).elements()[1], Json(R"({"aud":["a","b"]})"));
}

TEST(JwtEncodeSignTest, AsymmetricRoundTrips) {
  for (const auto& [type, alg, verify] :
       std::vector<std::tuple<const char*, const char*, const char*>>{
           {"RSA", "RS512", "io.jwt.verify_rs512"},
           {"RSA", "PS256", "io.jwt.verify_ps256"},
           {"P-256", "ES256", "io.jwt.verify_es256"},
           {"P-521", "ES512", "io.jwt.verify_es512"},
           {"ED25519", "EdDSA", "io.jwt.verify_eddsa"}}) {
    PkeyPtr key = GenerateKey(type);
    std::string token = Sign(std::string(R"({"alg":")") + alg + "\"}", "{}", JwkText(key.get()));
    EXPECT_EQ(CallOk(verify, {Str(token), Str(PublicKeyPem(key.get()))}), Value::Bool(true))
        << alg;
  }
}

TEST(JwtEncodeSignTest, Errors) {
  std::string jwk = SecretJwk("k");
  EXPECT_EQ(CallError("io.jwt.encode_sign_raw", {Str(R"({"alg":"dummy"})"), Str("{}"), Str(jwk)}),
            "io.jwt.encode_sign_raw: unknown JWS algorithm: dummy");
  EXPECT_EQ(CallError("io.jwt.encode_sign_raw", {Str("{}"), Str("{}"), Str(jwk)}),
            "io.jwt.encode_sign_raw: missing or invalid 'alg' header: jwsbb: header \"alg\" not "
            "found");
  EXPECT_EQ(CallError("io.jwt.encode_sign_raw", {Str(""), Str("{}"), Str(jwk)}),
            "io.jwt.encode_sign_raw: missing or invalid 'alg' header: cannot parse JSON: cannot "
            "parse empty string");
  EXPECT_EQ(CallError("io.jwt.encode_sign_raw", {Str(R"({"alg":"HS256"})"), Str("e"), Str(jwk)}),
            "io.jwt.encode_sign_raw: type is JWT but payload is not JSON");
  // A declared non-JWT type may carry any payload.
  EXPECT_TRUE(CallOk("io.jwt.encode_sign_raw",
                     {Str(R"({"alg":"HS256","typ":"text/plain"})"), Str("e"), Str(jwk)})
                  .is_string());
  // The key must fit the algorithm.
  EXPECT_FALSE(
      Call("io.jwt.encode_sign_raw", {Str(R"({"alg":"RS256"})"), Str("{}"), Str(jwk)}).ok());
  EXPECT_EQ(CallError("io.jwt.encode_sign", {Str("x"), Json("{}"), Json("{}")},
                      absl::StatusCode::kInvalidArgument),
            "io.jwt.encode_sign: operand 1 must be object but got string");
}

}  // namespace
}  // namespace policyd
