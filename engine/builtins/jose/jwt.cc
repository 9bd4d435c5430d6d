// io.jwt.*: decoding, verifying and signing JSON Web Tokens (RFC 7519) in JWS
// compact serialization, with OPA's semantics and messages.
#include <openssl/x509.h>

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "engine/builtins/args.h"
#include "engine/builtins/base64.h"
#include "engine/builtins/builtin.h"
#include "engine/builtins/go/json.h"
#include "engine/builtins/jose/jwk.h"
#include "engine/builtins/jose/jws.h"
#include "engine/builtins/jose/pem.h"
#include "engine/builtins/jose/x509.h"
#include "engine/value/json.h"
#include "util/hex.h"

namespace policyd {

namespace {

// The three base64url parts of a compact JWS.
struct Token {
  std::string header;
  std::string payload;
  std::string signature;
  Value decoded_header;  // set by DecodeHeader
};

// Unwraps a StatusOr into `lhs` or returns BuiltinError(name, prefix + msg).
#define JWT_ASSIGN_OR_FAIL(lhs, rexpr, name, prefix)                          \
  auto POLICYD_STATUS_CONCAT_(_jwt_, __LINE__) = (rexpr);                    \
  if (!POLICYD_STATUS_CONCAT_(_jwt_, __LINE__).ok()) {                       \
    return BuiltinError(name, absl::StrCat(prefix, POLICYD_STATUS_CONCAT_(   \
                                                       _jwt_, __LINE__)       \
                                                       .status()              \
                                                       .message()));          \
  }                                                                           \
  lhs = *std::move(POLICYD_STATUS_CONCAT_(_jwt_, __LINE__))

absl::StatusOr<Token> SplitToken(std::string_view name, const Value& v) {
  POLICYD_RETURN_IF_ERROR(CheckOperand(name, 1, v, Kind::kString));
  std::string_view s = v.string();
  if (s.find('.') == std::string_view::npos) {
    return BuiltinError(name, "encoded JWT had no period separators");
  }
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    parts.emplace_back(s.substr(start, dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (parts.size() != 3) {
    return BuiltinError(name,
                        absl::StrCat("encoded JWT must have 3 sections, found ", parts.size()));
  }
  Token t;
  t.header = std::move(parts[0]);
  t.payload = std::move(parts[1]);
  t.signature = std::move(parts[2]);
  return t;
}

// OPA's extractJSONObject: JSON text that must be an object (the last of
// duplicate keys wins).
absl::StatusOr<Value> JsonObject(std::string_view text) {
  auto v = ParseJson(text);
  if (!v.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("invalid JSON: ", v.status().message()));
  }
  if (!v->is_object()) {
    return absl::InvalidArgumentError("decoded JSON type was not an Object");
  }
  return *std::move(v);
}

absl::Status DecodeHeader(std::string_view name, Token& t) {
  JWT_ASSIGN_OR_FAIL(std::string json, Base64UrlDecodeLenient(t.header), name,
                     "JWT header had invalid encoding: ");
  JWT_ASSIGN_OR_FAIL(t.decoded_header, JsonObject(json), name, "bad JWT header: ");
  // A JWE (RFC 7516 section 9) has "enc"; only JWS is supported.
  if (t.decoded_header.Find("enc") != nullptr) {
    return BuiltinError(name, "JWT is a JWE object, which is not supported");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> DecodeSignature(std::string_view name, const Token& t) {
  JWT_ASSIGN_OR_FAIL(std::string sig, Base64UrlDecodeLenient(t.signature), name, "");
  return sig;
}

// The JOSE header fields OPA interprets.
struct Header {
  std::string alg, kid, typ, cty;
  std::vector<std::string> crit;
  std::vector<std::string> unknown;

  // RFC 7515: alg is required; a critical parameter we do not understand
  // makes the JWS invalid.
  bool Valid() const {
    if (alg.empty()) return false;
    for (const std::string& u : unknown) {
      for (const std::string& c : crit) {
        if (u == c) return false;
      }
    }
    return true;
  }
};

absl::StatusOr<Header> ParseHeader(std::string_view name, const Value& header) {
  Header h;
  for (const auto& [k, v] : header.entries()) {
    std::string key = k.is_string() ? std::string(k.string()) : k.ToJson();
    std::string* field = key == "alg"   ? &h.alg
                         : key == "kid" ? &h.kid
                         : key == "typ" ? &h.typ
                         : key == "cty" ? &h.cty
                                        : nullptr;
    if (field != nullptr) {
      if (!v.is_string()) return BuiltinError(name, absl::StrCat(key, ": must be a string"));
      *field = std::string(v.string());
    } else if (key == "crit") {
      if (!v.is_array()) return BuiltinError(name, "crit: must be a list");
      for (const Value& c : v.elements()) {
        if (c.is_string()) h.crit.emplace_back(c.string());
      }
      if (h.crit.empty()) return BuiltinError(name, "crit: must be a nonempty list");
    } else {
      h.unknown.push_back(key);
    }
  }
  return h;
}

// OPA's getKeysFromCertOrJWK: a PEM certificate, a PEM public key, or a JWK
// (set). JWKs whose "alg" is not a known JWS algorithm are left out.
absl::StatusOr<std::vector<CryptoKey>> VerificationKeys(std::string_view name,
                                                        std::string_view text) {
  std::string_view rest;
  if (std::optional<PemBlock> block = PemDecode(text, &rest)) {
    if (!rest.empty()) return BuiltinError(name, "extra data after a PEM certificate block");
    CryptoKey key;
    if (block->type == "CERTIFICATE") {
      auto cert = ParseCertificateDer(block->bytes);
      if (!cert.ok()) {
        return BuiltinError(name, absl::StrCat("failed to parse a PEM certificate: ",
                                               cert.status().message()));
      }
      key.pkey = AdoptPkey(X509_get_pubkey(cert->get()));
    } else if (block->type == "PUBLIC KEY") {
      const auto* p = reinterpret_cast<const unsigned char*>(block->bytes.data());
      key.pkey = AdoptPkey(d2i_PUBKEY(nullptr, &p, static_cast<long>(block->bytes.size())));
      if (key.pkey == nullptr) {
        return BuiltinError(name, "failed to parse a PEM public key: x509: malformed public key");
      }
    } else {
      return BuiltinError(name, "failed to extract a Key from the PEM certificate");
    }
    if (key.pkey == nullptr) return BuiltinError(name, "failed to parse a PEM certificate");
    return std::vector<CryptoKey>{std::move(key)};
  }
  auto keys = ParseJwkSet(text);
  if (!keys.ok()) {
    return BuiltinError(name, absl::StrCat("failed to parse a JWK key (set): ",
                                           keys.status().message()));
  }
  std::vector<CryptoKey> out;
  for (CryptoKey& k : *keys) {
    if (!k.alg.empty() && FindJwsAlgorithm(k.alg) == nullptr) continue;
    out.push_back(std::move(k));
  }
  return out;
}

const CryptoKey* KeyByKid(std::string_view kid, const std::vector<CryptoKey>& keys) {
  for (const CryptoKey& k : keys) {
    if (k.kid == kid) return &k;
  }
  return nullptr;
}

// --- io.jwt.decode ---

BuiltinResult Decode(std::string_view name, const Value& jwt) {
  POLICYD_ASSIGN_OR_RETURN(Token t, SplitToken(name, jwt));
  POLICYD_RETURN_IF_ERROR(DecodeHeader(name, t));
  JWT_ASSIGN_OR_FAIL(std::string payload, Base64UrlDecodeLenient(t.payload), name,
                     "JWT payload had invalid encoding: ");
  if (const Value* cty = t.decoded_header.Find("cty");
      cty != nullptr && cty->is_string() && cty->string() == "JWT") {
    // A nested token; jwt.io quotes it, so quotes are trimmed first.
    std::string_view inner = payload;
    while (!inner.empty() && (inner.front() == '"' || inner.front() == '\'')) {
      inner.remove_prefix(1);
    }
    while (!inner.empty() && (inner.back() == '"' || inner.back() == '\'')) {
      inner.remove_suffix(1);
    }
    return Decode(name, Value::String(inner));
  }
  JWT_ASSIGN_OR_FAIL(Value claims, JsonObject(payload), name, "");
  JWT_ASSIGN_OR_FAIL(std::string sig, Base64UrlDecodeLenient(t.signature), name,
                     "JWT signature had invalid encoding: ");
  return std::optional<Value>(
      Value::Array({t.decoded_header, std::move(claims), Value::String(HexEncode(sig))}));
}

BuiltinResult JwtDecode(BuiltinContext&, absl::Span<const Value> args) {
  return Decode("io.jwt.decode", args[0]);
}

// --- io.jwt.verify_* ---

// OPA's builtinJWTVerify: the signature must verify under `alg` (fixed by
// the builtin, not read from the token) with one of the keys. A key whose
// kid matches the header's is the only one tried; otherwise every key is
// tried, skipping JWKs whose own "alg" differs from the header's.
BuiltinResult VerifyWithKeys(std::string_view name, const JwsAlgorithm& alg,
                             absl::Span<const Value> args) {
  POLICYD_ASSIGN_OR_RETURN(Token t, SplitToken(name, args[0]));
  POLICYD_RETURN_IF_ERROR(CheckOperand(name, 2, args[1], Kind::kString));
  POLICYD_ASSIGN_OR_RETURN(std::vector<CryptoKey> keys, VerificationKeys(name, args[1].string()));
  POLICYD_ASSIGN_OR_RETURN(std::string signature, DecodeSignature(name, t));
  POLICYD_RETURN_IF_ERROR(DecodeHeader(name, t));
  POLICYD_ASSIGN_OR_RETURN(Header header, ParseHeader(name, t.decoded_header));
  std::string input = t.header + "." + t.payload;
  if (!header.kid.empty()) {
    if (const CryptoKey* key = KeyByKid(header.kid, keys)) {
      return BoolResult(JwsVerify(alg, *key, input, signature));
    }
  }
  for (const CryptoKey& key : keys) {
    if (!key.alg.empty() && key.alg != header.alg) continue;
    if (JwsVerify(alg, key, input, signature)) return BoolResult(true);
  }
  return BoolResult(false);
}

BuiltinResult VerifyHmac(std::string_view name, const JwsAlgorithm& alg,
                         absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(CheckOperand(name, 1, args[0], Kind::kString));
  POLICYD_RETURN_IF_ERROR(CheckOperand(name, 2, args[1], Kind::kString));
  POLICYD_ASSIGN_OR_RETURN(Token t, SplitToken(name, args[0]));
  POLICYD_ASSIGN_OR_RETURN(std::string signature, DecodeSignature(name, t));
  CryptoKey key;
  key.symmetric = true;
  key.secret = std::string(args[1].string());
  return BoolResult(JwsVerify(alg, key, t.header + "." + t.payload, signature));
}

template <const char* kName, const char* kAlg>
BuiltinResult VerifyBuiltin(BuiltinContext&, absl::Span<const Value> args) {
  const JwsAlgorithm& alg = *FindJwsAlgorithm(kAlg);
  if (alg.family == JwsFamily::kHmac) return VerifyHmac(kName, alg, args);
  return VerifyWithKeys(kName, alg, args);
}

// --- io.jwt.decode_verify ---

struct Constraints {
  std::vector<CryptoKey> keys;
  bool has_keys = false;
  std::string secret, alg, iss, aud;
  double time_ns = -1;
};

absl::StatusOr<double> TimeFromValue(std::string_view name, const Value& v) {
  if (!v.is_number()) return BuiltinError(name, "token time constraint: must be a number");
  double t = v.AsDouble();
  if (!std::isfinite(t)) return BuiltinError(name, "token time constraint: unvalid float64");
  if (t < 0) return BuiltinError(name, "token time constraint: must not be negative");
  return t;
}

absl::StatusOr<Constraints> ParseConstraints(std::string_view name, const Value& obj,
                                             int64_t now_ns) {
  Constraints c;
  for (const auto& [k, v] : obj.entries()) {
    std::string key = k.is_string() ? std::string(k.string()) : k.ToJson();
    std::string* field = key == "secret" ? &c.secret
                         : key == "alg"  ? &c.alg
                         : key == "iss"  ? &c.iss
                         : key == "aud"  ? &c.aud
                                         : nullptr;
    if (field != nullptr || key == "cert") {
      if (!v.is_string()) {
        return BuiltinError(name, absl::StrCat(key, " constraint: must be a string"));
      }
      if (field != nullptr) {
        *field = std::string(v.string());
        continue;
      }
      POLICYD_ASSIGN_OR_RETURN(c.keys, VerificationKeys(name, v.string()));
      c.has_keys = true;
    } else if (key == "time") {
      POLICYD_ASSIGN_OR_RETURN(c.time_ns, TimeFromValue(name, v));
    } else {
      return BuiltinError(name, absl::StrCat("unknown token validation constraint: ", key));
    }
  }
  if (c.time_ns == -1) c.time_ns = static_cast<double>(now_ns);
  int key_constraints = (c.has_keys ? 1 : 0) + (c.secret.empty() ? 0 : 1);
  if (key_constraints > 1) return BuiltinError(name, "duplicate key constraints");
  if (key_constraints < 1) return BuiltinError(name, "no key constraint");
  return c;
}

// The signature verifies under the header's algorithm with the trusted
// key(s) or secret. An unknown algorithm or a key of another type never
// verifies, so a token cannot pick a weaker algorithm than its key allows
// (e.g. HS256 keyed with an RSA public key).
bool ConstraintsVerify(const Constraints& c, const Header& header, std::string_view input,
                       std::string_view signature) {
  const JwsAlgorithm* alg = FindJwsAlgorithm(header.alg);
  if (alg == nullptr) return false;
  if (c.has_keys) {
    if (!header.kid.empty()) {
      if (const CryptoKey* key = KeyByKid(header.kid, c.keys)) {
        return JwsVerify(*alg, *key, input, signature);
      }
    }
    for (const CryptoKey& key : c.keys) {
      if (!key.alg.empty() && key.alg != header.alg) continue;
      if (JwsVerify(*alg, key, input, signature)) return true;
    }
    return false;
  }
  CryptoKey secret;
  secret.symmetric = true;
  secret.secret = c.secret;
  return JwsVerify(*alg, secret, input, signature);
}

// Seconds since the epoch as OPA's float64 formatted shortest, so that the
// comparison with a claim is exact decimal arithmetic as in OPA.
Value SecondsValue(double time_ns) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), time_ns / 1e9);
  return Value::NumberFromText(std::string_view(buf, res.ptr - buf)).value_or(Value::Int(0));
}

BuiltinResult JwtDecodeVerify(BuiltinContext& ctx, absl::Span<const Value> args) {
  constexpr std::string_view name = "io.jwt.decode_verify";
  POLICYD_RETURN_IF_ERROR(CheckOperand(name, 2, args[1], Kind::kObject));
  const std::optional<Value> unverified(
      Value::Array({Value::Bool(false), Value::Object({}), Value::Object({})}));
  POLICYD_ASSIGN_OR_RETURN(Constraints c, ParseConstraints(name, args[1], ctx.NowNs()));

  Value jwt = args[0];
  Token t;
  std::string payload;
  while (true) {
    POLICYD_ASSIGN_OR_RETURN(t, SplitToken(name, jwt));
    POLICYD_RETURN_IF_ERROR(DecodeHeader(name, t));
    POLICYD_ASSIGN_OR_RETURN(Header header, ParseHeader(name, t.decoded_header));
    if (!header.Valid()) return unverified;
    if (!c.alg.empty() && c.alg != header.alg) return unverified;
    POLICYD_ASSIGN_OR_RETURN(std::string signature, DecodeSignature(name, t));
    if (!ConstraintsVerify(c, header, t.header + "." + t.payload, signature)) return unverified;
    JWT_ASSIGN_OR_FAIL(payload, Base64UrlDecodeLenient(t.payload), name,
                       "JWT payload had invalid encoding: ");
    if (header.cty.size() == 3 && (header.cty[0] | 0x20) == 'j' &&
        (header.cty[1] | 0x20) == 'w' && (header.cty[2] | 0x20) == 't') {
      jwt = Value::String(payload);  // nested: verify the inner token too
      continue;
    }
    break;
  }
  JWT_ASSIGN_OR_FAIL(Value claims, JsonObject(payload), name, "");

  if (!c.iss.empty()) {
    const Value* iss = claims.Find("iss");
    if (iss == nullptr || !iss->is_string() || iss->string() != c.iss) return unverified;
  }
  if (const Value* aud = claims.Find("aud")) {
    bool ok = false;
    if (aud->is_string()) {
      ok = aud->string() == c.aud;
    } else if (aud->is_array()) {
      for (const Value& a : aud->elements()) {
        if (a.is_string() && a.string() == c.aud) ok = true;
      }
    }
    if (!ok) return unverified;
  } else if (!c.aud.empty()) {
    return unverified;
  }
  Value now = SecondsValue(c.time_ns);
  if (const Value* exp = claims.Find("exp")) {
    if (!exp->is_number()) return BuiltinError(name, "exp value must be a number");
    if (now.Compare(*exp) >= 0) return unverified;
  }
  if (const Value* nbf = claims.Find("nbf")) {
    if (!nbf->is_number()) return BuiltinError(name, "nbf value must be a number");
    if (now.Compare(*nbf) < 0) return unverified;
  }
  return std::optional<Value>(
      Value::Array({Value::Bool(true), t.decoded_header, std::move(claims)}));
}

// --- io.jwt.encode_sign / encode_sign_raw ---

// OPA's jwsbb.HeaderGetString over the raw header bytes.
absl::StatusOr<std::string> HeaderString(std::string_view header, std::string_view field) {
  std::string_view trimmed = header;
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.front()))) {
    trimmed.remove_prefix(1);
  }
  if (trimmed.empty()) {
    return absl::InvalidArgumentError("cannot parse JSON: cannot parse empty string");
  }
  auto json = ParseJson(header);
  if (!json.ok() && trimmed.front() == '{') {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot parse JSON: ", json.status().message()));
  }
  const Value* v = json.ok() && json->is_object() ? json->Find(field) : nullptr;
  if (v == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("jwsbb: header \"", std::string(field), "\" not found"));
  }
  if (!v->is_string()) {
    return absl::InvalidArgumentError(
        absl::StrCat("jwsbb: header \"", std::string(field), "\" is not a string"));
  }
  return std::string(v->string());
}

BuiltinResult EncodeSign(std::string_view name, std::string_view header,
                         std::string_view payload, std::string_view jwk) {
  auto keys = ParseJwkSet(jwk);
  if (!keys.ok()) {
    return BuiltinError(name, absl::StrCat("failed to parse JWK: ", keys.status().message()));
  }
  if (keys->empty()) return BuiltinError(name, "no keys found in JWK set");
  auto alg_name = HeaderString(header, "alg");
  if (!alg_name.ok()) {
    return BuiltinError(name, absl::StrCat("missing or invalid 'alg' header: ",
                                           alg_name.status().message()));
  }
  const JwsAlgorithm* alg = FindJwsAlgorithm(*alg_name);
  if (alg == nullptr) return BuiltinError(name, "unknown JWS algorithm: " + *alg_name);
  auto typ = HeaderString(header, "typ");
  if ((!typ.ok() || *typ == "JWT") && !ParseJson(payload).ok()) {
    return BuiltinError(name, "type is JWT but payload is not JSON");
  }
  std::string input = Base64Encode(header, Base64Alphabet::kUrl, false) + "." +
                      Base64Encode(payload, Base64Alphabet::kUrl, false);
  auto sig = JwsSign(*alg, keys->front(), input);
  if (!sig.ok()) return BuiltinError(name, std::string(sig.status().message()));
  return std::optional<Value>(
      Value::String(input + "." + Base64Encode(*sig, Base64Alphabet::kUrl, false)));
}

BuiltinResult JwtEncodeSign(BuiltinContext&, absl::Span<const Value> args) {
  constexpr std::string_view name = "io.jwt.encode_sign";
  for (int i = 0; i < 3; ++i) {
    POLICYD_RETURN_IF_ERROR(CheckOperand(name, i + 1, args[i], Kind::kObject));
  }
  // OPA marshals the objects with Go's encoding/json before signing.
  return EncodeSign(name, GoJsonMarshal(args[0]), GoJsonMarshal(args[1]),
                    GoJsonMarshal(args[2]));
}

BuiltinResult JwtEncodeSignRaw(BuiltinContext&, absl::Span<const Value> args) {
  constexpr std::string_view name = "io.jwt.encode_sign_raw";
  POLICYD_RETURN_IF_ERROR(CheckOperand(name, 3, args[2], Kind::kString));
  POLICYD_RETURN_IF_ERROR(CheckOperand(name, 1, args[0], Kind::kString));
  POLICYD_RETURN_IF_ERROR(CheckOperand(name, 2, args[1], Kind::kString));
  return EncodeSign(name, args[0].string(), args[1].string(), args[2].string());
}

#define POLICYD_JWT_VERIFY(fn, alg)             \
  constexpr char fn##Name[] = "io.jwt." #fn;    \
  constexpr char fn##Alg[] = alg;
POLICYD_JWT_VERIFY(verify_rs256, "RS256")
POLICYD_JWT_VERIFY(verify_rs384, "RS384")
POLICYD_JWT_VERIFY(verify_rs512, "RS512")
POLICYD_JWT_VERIFY(verify_ps256, "PS256")
POLICYD_JWT_VERIFY(verify_ps384, "PS384")
POLICYD_JWT_VERIFY(verify_ps512, "PS512")
POLICYD_JWT_VERIFY(verify_es256, "ES256")
POLICYD_JWT_VERIFY(verify_es384, "ES384")
POLICYD_JWT_VERIFY(verify_es512, "ES512")
POLICYD_JWT_VERIFY(verify_hs256, "HS256")
POLICYD_JWT_VERIFY(verify_hs384, "HS384")
POLICYD_JWT_VERIFY(verify_hs512, "HS512")
POLICYD_JWT_VERIFY(verify_eddsa, "EdDSA")
#undef POLICYD_JWT_VERIFY

}  // namespace

void RegisterJwtBuiltins(BuiltinRegistry& registry) {
  registry.Add({"io.jwt.decode", 1, JwtDecode});
  // Reads the evaluation's clock when no "time" constraint is given.
  registry.Add({"io.jwt.decode_verify", 2, JwtDecodeVerify, false, true});
  // ES and PS signatures are randomised.
  registry.Add({"io.jwt.encode_sign", 3, JwtEncodeSign, false, true});
  registry.Add({"io.jwt.encode_sign_raw", 3, JwtEncodeSignRaw, false, true});
#define POLICYD_JWT_REGISTER(fn) \
  registry.Add({fn##Name, 2, VerifyBuiltin<fn##Name, fn##Alg>});
  POLICYD_JWT_REGISTER(verify_rs256)
  POLICYD_JWT_REGISTER(verify_rs384)
  POLICYD_JWT_REGISTER(verify_rs512)
  POLICYD_JWT_REGISTER(verify_ps256)
  POLICYD_JWT_REGISTER(verify_ps384)
  POLICYD_JWT_REGISTER(verify_ps512)
  POLICYD_JWT_REGISTER(verify_es256)
  POLICYD_JWT_REGISTER(verify_es384)
  POLICYD_JWT_REGISTER(verify_es512)
  POLICYD_JWT_REGISTER(verify_hs256)
  POLICYD_JWT_REGISTER(verify_hs384)
  POLICYD_JWT_REGISTER(verify_hs512)
  POLICYD_JWT_REGISTER(verify_eddsa)
#undef POLICYD_JWT_REGISTER
}

}  // namespace policyd
