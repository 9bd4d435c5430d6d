#include "bundles/signer.h"

#include <openssl/bio.h>
#include <openssl/pem.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "bundles/signature.h"
#include "engine/builtins/jose/jws.h"

namespace policyd::bundles {
namespace {

absl::StatusOr<CryptoKey> SigningKey(const JwsAlgorithm& alg,
                                     const std::string& key) {
  CryptoKey out;
  if (alg.family == JwsFamily::kHmac) {
    if (key.empty()) return absl::InvalidArgumentError("the HMAC secret is empty");
    out.symmetric = true;
    out.secret = key;
    return out;
  }
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(key.data(), static_cast<int>(key.size())), BIO_free);
  out.pkey = AdoptPkey(
      bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (out.pkey == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the signing key is not a PEM private key (", std::string(alg.name), " needs one)"));
  }
  return out;
}

}  // namespace

absl::StatusOr<std::string> SignBundle(const std::vector<BundleFile>& files,
                                       const SigningOptions& options) {
  const JwsAlgorithm* alg = FindJwsAlgorithm(options.algorithm);
  if (alg == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown signing algorithm \"", options.algorithm,
        "\" (RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, "
        "HS256, HS384, HS512, EdDSA)"));
  }
  absl::StatusOr<CryptoKey> key = SigningKey(*alg, options.key);
  if (!key.ok()) return key.status();
  if (!options.claims.is_null() && !options.claims.is_object()) {
    return absl::InvalidArgumentError("the claims must be a JSON object");
  }

  std::vector<Value> listed;
  for (const BundleFile& file : files) {
    if (file.path == kSignaturesFile) continue;
    listed.push_back(Value::Object({
        {Value::String("name"), Value::String(file.path)},
        {Value::String("hash"), Value::String(Sha256Hex(file.content))},
        {Value::String("algorithm"), Value::String("SHA-256")},
    }));
  }
  std::vector<ObjectEntry> payload;
  if (options.claims.is_object()) {
    for (const auto& [name, value] : options.claims.entries()) {
      payload.emplace_back(name, value);
    }
  }
  auto set = [&payload](const char* name, Value value) {
    for (auto& entry : payload) {
      if (entry.first == Value::String(name)) {
        entry.second = std::move(value);
        return;
      }
    }
    payload.emplace_back(Value::String(name), std::move(value));
  };
  set("files", Value::Array(std::move(listed)));
  if (!options.key_id.empty()) set("keyid", Value::String(options.key_id));
  if (!options.scope.empty()) set("scope", Value::String(options.scope));

  std::vector<ObjectEntry> header = {
      {Value::String("alg"), Value::String(alg->name)},
      {Value::String("typ"), Value::String("JWT")},
  };
  if (!options.key_id.empty()) {
    header.emplace_back(Value::String("kid"), Value::String(options.key_id));
  }
  std::string signing_input =
      absl::StrCat(Base64UrlEncode(Value::Object(std::move(header)).ToJson()), ".",
                   Base64UrlEncode(Value::Object(std::move(payload)).ToJson()));
  absl::StatusOr<std::string> signature = JwsSign(*alg, *key, signing_input);
  if (!signature.ok()) return signature.status();
  std::string jwt = absl::StrCat(signing_input, ".", Base64UrlEncode(*signature));
  return Value::Object({{Value::String("signatures"),
                         Value::Array({Value::String(jwt)})}})
      .ToJson();
}

}  // namespace policyd::bundles
