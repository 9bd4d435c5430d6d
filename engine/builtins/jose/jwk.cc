#include "engine/builtins/jose/jwk.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "engine/builtins/base64.h"
#include "engine/value/json.h"
#include "util/status_macros.h"

namespace policyd {

namespace {

struct BnDeleter {
  void operator()(BIGNUM* bn) const { BN_clear_free(bn); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnDeleter>;

struct ParamBldDeleter {
  void operator()(OSSL_PARAM_BLD* b) const { OSSL_PARAM_BLD_free(b); }
};
struct ParamDeleter {
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
struct PkeyCtxDeleter {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};

// A JWK member holding base64url bytes; nullopt-like empty status when
// absent and not required.
absl::StatusOr<std::optional<std::string>> BytesMember(const Value& jwk,
                                                       std::string_view name,
                                                       bool required) {
  const Value* v = jwk.Find(name);
  if (v == nullptr) {
    if (required) {
      return absl::InvalidArgumentError(
          absl::StrCat("required field \"", std::string(name), "\" is missing"));
    }
    return std::optional<std::string>();
  }
  if (!v->is_string()) {
    return absl::InvalidArgumentError(
        absl::StrCat("field \"", std::string(name), "\" must be a string"));
  }
  auto bytes = Base64UrlDecodeLenient(v->string());
  if (!bytes.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "failed to decode field \"", std::string(name), "\": ", bytes.status().message()));
  }
  return std::optional<std::string>(*std::move(bytes));
}

BnPtr BnFromBytes(const std::string& b) {
  return BnPtr(BN_bin2bn(reinterpret_cast<const unsigned char*>(b.data()),
                         static_cast<int>(b.size()), nullptr));
}

absl::StatusOr<PkeyPtr> FromData(const char* type, OSSL_PARAM_BLD* bld,
                                 int selection) {
  std::unique_ptr<OSSL_PARAM, ParamDeleter> params(OSSL_PARAM_BLD_to_param(bld));
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxDeleter> ctx(
      EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* pkey = nullptr;
  if (params == nullptr || ctx == nullptr || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &pkey, selection, params.get()) <= 0) {
    return absl::InvalidArgumentError(absl::StrCat("invalid ", type, " key"));
  }
  return AdoptPkey(pkey);
}

absl::StatusOr<PkeyPtr> RsaFromJwk(const Value& jwk) {
  const char* names[] = {"n", "e", "d", "p", "q", "dp", "dq", "qi"};
  BnPtr bn[8];
  for (int i = 0; i < 8; ++i) {
    POLICYD_ASSIGN_OR_RETURN(auto bytes, BytesMember(jwk, names[i], i < 2));
    if (bytes.has_value()) bn[i] = BnFromBytes(*bytes);
  }
  std::unique_ptr<OSSL_PARAM_BLD, ParamBldDeleter> bld(OSSL_PARAM_BLD_new());
  OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn[0].get());
  OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn[1].get());
  bool priv = bn[2] != nullptr;
  if (priv) {
    OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_D, bn[2].get());
    if (bn[3] && bn[4]) {
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_FACTOR1, bn[3].get());
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_FACTOR2, bn[4].get());
      if (bn[5] && bn[6] && bn[7]) {
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_EXPONENT1, bn[5].get());
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_EXPONENT2, bn[6].get());
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_COEFFICIENT1, bn[7].get());
      }
    }
  }
  return FromData("RSA", bld.get(), priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY);
}

struct Curve {
  std::string_view jwk_name;
  const char* openssl_name;
  size_t bytes;
};
constexpr Curve kCurves[] = {
    {"P-256", "prime256v1", 32},
    {"P-384", "secp384r1", 48},
    {"P-521", "secp521r1", 66},
};

std::string PadLeft(const std::string& b, size_t size) {
  if (b.size() >= size) return b;
  return std::string(size - b.size(), '\0') + b;
}

absl::StatusOr<PkeyPtr> EcFromJwk(const Value& jwk) {
  const Value* crv = jwk.Find("crv");
  if (crv == nullptr || !crv->is_string()) {
    return absl::InvalidArgumentError("required field \"crv\" is missing");
  }
  const Curve* curve = nullptr;
  for (const Curve& c : kCurves) {
    if (c.jwk_name == crv->string()) curve = &c;
  }
  if (curve == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("unsupported elliptic curve ", std::string(crv->string())));
  }
  POLICYD_ASSIGN_OR_RETURN(auto x, BytesMember(jwk, "x", true));
  POLICYD_ASSIGN_OR_RETURN(auto y, BytesMember(jwk, "y", true));
  POLICYD_ASSIGN_OR_RETURN(auto d, BytesMember(jwk, "d", false));
  if (x->size() > curve->bytes || y->size() > curve->bytes) {
    return absl::InvalidArgumentError("invalid elliptic curve point");
  }
  std::string pub = "\x04" + PadLeft(*x, curve->bytes) + PadLeft(*y, curve->bytes);
  std::unique_ptr<OSSL_PARAM_BLD, ParamBldDeleter> bld(OSSL_PARAM_BLD_new());
  OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME,
                                  curve->openssl_name, 0);
  OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, pub.data(),
                                   pub.size());
  BnPtr priv;
  if (d.has_value()) {
    priv = BnFromBytes(*d);
    OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, priv.get());
  }
  POLICYD_ASSIGN_OR_RETURN(auto pkey,
                           FromData("EC", bld.get(),
                                    priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY));
  // The point must lie on the curve.
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxDeleter> check(
      EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
  if (check == nullptr || EVP_PKEY_public_check(check.get()) <= 0) {
    return absl::InvalidArgumentError("invalid elliptic curve point");
  }
  return pkey;
}

absl::StatusOr<PkeyPtr> OkpFromJwk(const Value& jwk) {
  const Value* crv = jwk.Find("crv");
  if (crv == nullptr || !crv->is_string() || crv->string() != "Ed25519") {
    return absl::InvalidArgumentError("unsupported OKP curve (want Ed25519)");
  }
  POLICYD_ASSIGN_OR_RETURN(auto x, BytesMember(jwk, "x", true));
  POLICYD_ASSIGN_OR_RETURN(auto d, BytesMember(jwk, "d", false));
  EVP_PKEY* pkey;
  if (d.has_value()) {
    const std::string& seed = *d;
    pkey = EVP_PKEY_new_raw_private_key(
        EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(seed.data()),
        seed.size());
  } else {
    pkey = EVP_PKEY_new_raw_public_key(
        EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(x->data()),
        x->size());
  }
  if (pkey == nullptr) return absl::InvalidArgumentError("invalid Ed25519 key");
  return AdoptPkey(pkey);
}

// Big-endian bytes of a BIGNUM key parameter (minimal, or left-padded to
// `pad` bytes when pad > 0).
std::optional<std::string> BnParamBytes(EVP_PKEY* pkey, const char* name, int pad = 0) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &raw) <= 0) return std::nullopt;
  BnPtr bn(raw);
  int size = pad > 0 ? pad : BN_num_bytes(bn.get());
  std::string out(static_cast<size_t>(size), '\0');
  BN_bn2binpad(bn.get(), reinterpret_cast<unsigned char*>(out.data()), size);
  return out;
}

// A BIGNUM key parameter as a (decimal) number Value, as Go prints big.Int.
std::optional<Value> BnParamNumber(EVP_PKEY* pkey, const char* name) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &raw) <= 0) return std::nullopt;
  BnPtr bn(raw);
  char* dec = BN_bn2dec(bn.get());
  std::optional<Value> v = Value::NumberFromText(dec);
  OPENSSL_free(dec);
  return v;
}

const Curve* KeyCurve(EVP_PKEY* pkey) {
  char name[64];
  size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, name,
                                     sizeof(name), &len) <= 0) {
    return nullptr;
  }
  for (const Curve& c : kCurves) {
    if (std::string_view(name, len) == c.openssl_name) return &c;
  }
  return nullptr;
}

std::string B64Url(const std::string& b) {
  return Base64Encode(b, Base64Alphabet::kUrl, /*padded=*/false);
}

bool HasPrivate(EVP_PKEY* pkey, const char* name) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &raw) <= 0) return false;
  BN_clear_free(raw);
  return true;
}

absl::StatusOr<std::string> RawKey(EVP_PKEY* pkey, bool priv) {
  size_t len = 0;
  int ok = priv ? EVP_PKEY_get_raw_private_key(pkey, nullptr, &len)
                : EVP_PKEY_get_raw_public_key(pkey, nullptr, &len);
  if (ok <= 0) return absl::InvalidArgumentError("cannot read Ed25519 key");
  std::string out(len, '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  ok = priv ? EVP_PKEY_get_raw_private_key(pkey, p, &len)
            : EVP_PKEY_get_raw_public_key(pkey, p, &len);
  if (ok <= 0) return absl::InvalidArgumentError("cannot read Ed25519 key");
  return out;
}

}  // namespace

PkeyPtr AdoptPkey(EVP_PKEY* pkey) { return PkeyPtr(pkey, EVP_PKEY_free); }

absl::StatusOr<CryptoKey> JwkToKey(const Value& jwk) {
  if (!jwk.is_object()) return absl::InvalidArgumentError("JWK must be an object");
  const Value* kty = jwk.Find("kty");
  if (kty == nullptr || !kty->is_string()) {
    return absl::InvalidArgumentError("required field \"kty\" is missing");
  }
  CryptoKey key;
  if (const Value* alg = jwk.Find("alg"); alg != nullptr && alg->is_string()) {
    key.alg = std::string(alg->string());
  }
  if (const Value* kid = jwk.Find("kid"); kid != nullptr && kid->is_string()) {
    key.kid = std::string(kid->string());
  }
  std::string_view t = kty->string();
  absl::StatusOr<PkeyPtr> pkey;
  if (t == "RSA") {
    pkey = RsaFromJwk(jwk);
  } else if (t == "EC") {
    pkey = EcFromJwk(jwk);
  } else if (t == "OKP") {
    pkey = OkpFromJwk(jwk);
  } else if (t == "oct") {
    POLICYD_ASSIGN_OR_RETURN(auto k, BytesMember(jwk, "k", true));
    key.symmetric = true;
    key.secret = *k;
    return key;
  } else {
    return absl::InvalidArgumentError(absl::StrCat("invalid key type from JSON (", std::string(t), ")"));
  }
  if (!pkey.ok()) return pkey.status();
  key.pkey = *std::move(pkey);
  return key;
}

absl::StatusOr<std::vector<CryptoKey>> ParseJwkSet(std::string_view text) {
  POLICYD_ASSIGN_OR_RETURN(auto json, ParseJson(text));
  if (!json.is_object()) {
    return absl::InvalidArgumentError("JWK (set) must be a JSON object");
  }
  std::vector<CryptoKey> keys;
  const Value* set = json.Find("keys");
  if (set == nullptr) {
    POLICYD_ASSIGN_OR_RETURN(auto key, JwkToKey(json));
    keys.push_back(std::move(key));
    return keys;
  }
  if (!set->is_array()) {
    return absl::InvalidArgumentError("\"keys\" of a JWK set must be an array");
  }
  for (const Value& k : set->elements()) {
    POLICYD_ASSIGN_OR_RETURN(auto key, JwkToKey(k));
    keys.push_back(std::move(key));
  }
  return keys;
}

absl::StatusOr<Value> PrivateKeyToJwk(EVP_PKEY* pkey) {
  std::vector<ObjectEntry> e;
  auto add = [&e](std::string_view k, std::string v) {
    e.emplace_back(Value::String(k), Value::String(std::move(v)));
  };
  switch (EVP_PKEY_get_base_id(pkey)) {
    case EVP_PKEY_RSA: {
      add("kty", "RSA");
      const std::pair<const char*, const char*> params[] = {
          {"n", OSSL_PKEY_PARAM_RSA_N},          {"e", OSSL_PKEY_PARAM_RSA_E},
          {"d", OSSL_PKEY_PARAM_RSA_D},          {"p", OSSL_PKEY_PARAM_RSA_FACTOR1},
          {"q", OSSL_PKEY_PARAM_RSA_FACTOR2},    {"dp", OSSL_PKEY_PARAM_RSA_EXPONENT1},
          {"dq", OSSL_PKEY_PARAM_RSA_EXPONENT2}, {"qi", OSSL_PKEY_PARAM_RSA_COEFFICIENT1},
      };
      for (const auto& [name, param] : params) {
        if (auto b = BnParamBytes(pkey, param)) add(name, B64Url(*b));
      }
      break;
    }
    case EVP_PKEY_EC: {
      const Curve* curve = KeyCurve(pkey);
      if (curve == nullptr) return absl::InvalidArgumentError("unsupported elliptic curve");
      int size = static_cast<int>(curve->bytes);
      add("kty", "EC");
      add("crv", std::string(curve->jwk_name));
      if (auto x = BnParamBytes(pkey, OSSL_PKEY_PARAM_EC_PUB_X, size)) add("x", B64Url(*x));
      if (auto y = BnParamBytes(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, size)) add("y", B64Url(*y));
      if (auto d = BnParamBytes(pkey, OSSL_PKEY_PARAM_PRIV_KEY, size)) add("d", B64Url(*d));
      break;
    }
    case EVP_PKEY_ED25519: {
      add("kty", "OKP");
      add("crv", "Ed25519");
      POLICYD_ASSIGN_OR_RETURN(auto pub, RawKey(pkey, false));
      add("x", B64Url(pub));
      if (auto priv = RawKey(pkey, true); priv.ok()) add("d", B64Url(*priv));
      break;
    }
    default:
      return absl::InvalidArgumentError("unsupported key type");
  }
  return Value::Object(std::move(e));
}

absl::StatusOr<Value> GoPublicKeyValue(EVP_PKEY* pkey) {
  std::vector<ObjectEntry> e;
  auto add_num = [&e, pkey](std::string_view k, const char* param) {
    if (auto v = BnParamNumber(pkey, param)) e.emplace_back(Value::String(k), *v);
  };
  switch (EVP_PKEY_get_base_id(pkey)) {
    case EVP_PKEY_RSA:
      add_num("N", OSSL_PKEY_PARAM_RSA_N);
      add_num("E", OSSL_PKEY_PARAM_RSA_E);
      break;
    case EVP_PKEY_EC:
      // Go's curve values have no exported fields.
      e.emplace_back(Value::String("Curve"), Value::Object({}));
      add_num("X", OSSL_PKEY_PARAM_EC_PUB_X);
      add_num("Y", OSSL_PKEY_PARAM_EC_PUB_Y);
      break;
    case EVP_PKEY_ED25519: {
      POLICYD_ASSIGN_OR_RETURN(auto pub, RawKey(pkey, false));
      return Value::String(Base64Encode(pub, Base64Alphabet::kStd, true));
    }
    default:
      return Value::Null();
  }
  return Value::Object(std::move(e));
}

absl::StatusOr<Value> GoPrivateKeyValue(EVP_PKEY* pkey) {
  int id = EVP_PKEY_get_base_id(pkey);
  if (id == EVP_PKEY_ED25519) {
    // Go's ed25519.PrivateKey is seed || public key.
    POLICYD_ASSIGN_OR_RETURN(auto seed, RawKey(pkey, true));
    POLICYD_ASSIGN_OR_RETURN(auto pub, RawKey(pkey, false));
    return Value::String(Base64Encode(seed + pub, Base64Alphabet::kStd, true));
  }
  auto pub = GoPublicKeyValue(pkey);
  if (!pub.ok() || !pub->is_object()) return pub;
  std::vector<ObjectEntry> e = pub->entries().ToVector();
  auto num = [pkey](const char* param) {
    return BnParamNumber(pkey, param).value_or(Value::Null());
  };
  if (id == EVP_PKEY_RSA) {
    e.emplace_back(Value::String("D"), num(OSSL_PKEY_PARAM_RSA_D));
    e.emplace_back(Value::String("Primes"),
                   Value::Array({num(OSSL_PKEY_PARAM_RSA_FACTOR1),
                                 num(OSSL_PKEY_PARAM_RSA_FACTOR2)}));
    e.emplace_back(Value::String("Precomputed"),
                   Value::Object({
                       {Value::String("Dp"), num(OSSL_PKEY_PARAM_RSA_EXPONENT1)},
                       {Value::String("Dq"), num(OSSL_PKEY_PARAM_RSA_EXPONENT2)},
                       {Value::String("Qinv"), num(OSSL_PKEY_PARAM_RSA_COEFFICIENT1)},
                       {Value::String("CRTValues"), Value::Array({})},
                   }));
  } else if (id == EVP_PKEY_EC && HasPrivate(pkey, OSSL_PKEY_PARAM_PRIV_KEY)) {
    e.emplace_back(Value::String("D"), num(OSSL_PKEY_PARAM_PRIV_KEY));
  }
  return Value::Object(std::move(e));
}

int GoPublicKeyAlgorithm(EVP_PKEY* pkey) {
  switch (EVP_PKEY_get_base_id(pkey)) {
    case EVP_PKEY_RSA:
    case EVP_PKEY_RSA_PSS:
      return 1;
    case EVP_PKEY_DSA:
      return 2;
    case EVP_PKEY_EC:
      return 3;
    case EVP_PKEY_ED25519:
      return 4;
    default:
      return 0;
  }
}

}  // namespace policyd
