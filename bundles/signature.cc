#include "bundles/signature.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "engine/builtins/base64.h"
#include "engine/builtins/jose/jwk.h"
#include "engine/builtins/jose/jws.h"
#include "engine/value/json.h"
#include "util/hex.h"

namespace policyd::bundles {
namespace {

absl::Status Refuse(absl::string_view what) {
  return absl::PermissionDeniedError(
      absl::StrCat("bundle signature: ", what));
}

// The operator's key as the JWS code takes it: the secret of an HMAC
// algorithm, else a PEM public key.
absl::StatusOr<CryptoKey> ToCryptoKey(const JwsAlgorithm& alg,
                                      const VerificationKey& key) {
  CryptoKey out;
  if (alg.family == JwsFamily::kHmac) {
    out.symmetric = true;
    out.secret = key.key;
    return out;
  }
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(key.key.data(), static_cast<int>(key.key.size())),
      BIO_free);
  out.pkey = AdoptPkey(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (out.pkey == nullptr) {
    return absl::InvalidArgumentError(
        "bundle signature: the verification key is not a PEM public key");
  }
  return out;
}

std::string StringField(const Value& object, std::string_view key) {
  const Value* v = object.Find(key);
  return v != nullptr && v->is_string() ? std::string(v->string()) : "";
}

// The hash OPA computes for a JSON file is over its canonical encoding;
// accept that form as well as the raw bytes.
bool HashMatches(const BundleFile& file, std::string_view want) {
  if (Sha256Hex(file.content) == want) return true;
  if (file.path.ends_with(".json") || file.path == ".manifest") {
    absl::StatusOr<Value> parsed = ParseJson(file.content);
    return parsed.ok() && Sha256Hex(parsed->ToJson()) == want;
  }
  return false;
}

}  // namespace

std::string Sha256Hex(std::string_view bytes) {
  return HexEncode(Digest(EVP_sha256(), bytes));
}

absl::Status VerifyBundleSignature(const std::vector<BundleFile>& files,
                                   const SignatureOptions& options) {
  const BundleFile* signatures = nullptr;
  for (const BundleFile& f : files) {
    if (f.path == kSignaturesFile) signatures = &f;
  }
  if (signatures == nullptr) {
    if (options.required) {
      return Refuse(
          "the bundle has no .signatures.json and signatures are required");
    }
    return absl::OkStatus();
  }
  if (options.keys.empty()) {
    if (options.required) {
      return Refuse("signatures are required but no verification key is set");
    }
    return absl::OkStatus();
  }
  auto malformed = [](absl::string_view what) {
    return absl::InvalidArgumentError(
        absl::StrCat("bundle signature: .signatures.json: ", what));
  };
  absl::StatusOr<Value> doc = ParseJson(signatures->content);
  if (!doc.ok()) return malformed(doc.status().message());
  const Value* list = doc->Find("signatures");
  if (list == nullptr || !list->is_array() || list->elements().size() != 1 ||
      !list->elements()[0].is_string()) {
    return malformed("\"signatures\" must be an array of exactly one JWT");
  }
  std::string_view jwt = list->elements()[0].string();
  std::vector<absl::string_view> parts =
      absl::StrSplit(absl::string_view(jwt.data(), jwt.size()), '.');
  absl::StatusOr<std::string> header_text, payload_text, signature;
  if (parts.size() != 3 ||
      !(header_text = Base64UrlDecodeLenient({parts[0].data(), parts[0].size()})).ok() ||
      !(payload_text = Base64UrlDecodeLenient({parts[1].data(), parts[1].size()})).ok() ||
      !(signature = Base64UrlDecodeLenient({parts[2].data(), parts[2].size()})).ok()) {
    return malformed("the JWT is not three base64url parts");
  }
  absl::StatusOr<Value> header = ParseJson(*header_text);
  absl::StatusOr<Value> payload = ParseJson(*payload_text);
  if (!header.ok() || !header->is_object() || !payload.ok() ||
      !payload->is_object()) {
    return malformed("the JWT header and payload must be JSON objects");
  }

  std::string key_id = StringField(*header, "kid");
  if (key_id.empty()) key_id = StringField(*payload, "keyid");
  const VerificationKey* key = nullptr;
  if (key_id.empty() && options.keys.size() == 1) {
    key = &options.keys.begin()->second;
  } else if (auto it = options.keys.find(key_id); it != options.keys.end()) {
    key = &it->second;
  }
  if (key == nullptr) {
    return Refuse(absl::StrCat("no verification key with id \"", key_id,
                               "\" is configured"));
  }
  std::string alg_name = StringField(*header, "alg");
  const JwsAlgorithm* alg = FindJwsAlgorithm(alg_name);
  if (alg_name != key->algorithm || alg == nullptr) {
    return Refuse(absl::StrCat("the JWT algorithm \"", alg_name,
                               "\" does not match the key's algorithm \"",
                               key->algorithm, "\""));
  }
  absl::StatusOr<CryptoKey> crypto_key = ToCryptoKey(*alg, *key);
  if (!crypto_key.ok()) return crypto_key.status();
  std::string_view signed_part(parts[0].data(),
                               parts[1].data() + parts[1].size() -
                                   parts[0].data());
  if (!JwsVerify(*alg, *crypto_key, signed_part, *signature)) {
    return Refuse("JWT signature does not verify with the configured key");
  }
  if (!options.scope.empty() &&
      StringField(*payload, "scope") != options.scope) {
    return Refuse(absl::StrCat("the JWT scope \"",
                               StringField(*payload, "scope"),
                               "\" is not the configured scope \"",
                               options.scope, "\""));
  }

  const Value* listed = payload->Find("files");
  if (listed == nullptr || !listed->is_array()) {
    return malformed("the JWT payload has no \"files\" array");
  }
  std::map<std::string, const BundleFile*> by_path;
  for (const BundleFile& f : files) {
    if (&f != signatures) by_path[f.path] = &f;
  }
  std::set<std::string> seen;
  for (const Value& entry : listed->elements()) {
    std::string name = StringField(entry, "name");
    std::string hash = absl::AsciiStrToLower(StringField(entry, "hash"));
    std::string algorithm =
        absl::AsciiStrToUpper(StringField(entry, "algorithm"));
    absl::string_view path = name;
    while (absl::ConsumePrefix(&path, "/")) {
    }
    if (path.empty() || hash.empty()) {
      return malformed("each listed file needs a \"name\" and a \"hash\"");
    }
    if (algorithm != "SHA-256" && !algorithm.empty()) {
      return Refuse(absl::StrCat("file \"", path, "\": hash algorithm \"",
                                 algorithm, "\" is not supported (SHA-256)"));
    }
    auto it = by_path.find(std::string(path));
    if (it == by_path.end()) {
      return Refuse(absl::StrCat("file \"", path,
                                 "\" is listed in the signature but missing "
                                 "from the bundle"));
    }
    if (!HashMatches(*it->second, hash)) {
      return Refuse(absl::StrCat("file \"", path,
                                 "\" does not match its signed hash"));
    }
    seen.insert(std::string(path));
  }
  for (const auto& [path, file] : by_path) {
    if (!seen.count(path)) {
      return Refuse(absl::StrCat("file \"", path,
                                 "\" is in the bundle but not in the signature"));
    }
  }
  return absl::OkStatus();
}

}  // namespace policyd::bundles
