#include "bundles/signature.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include <memory>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "engine/value/json.h"
#include "util/hex.h"

namespace policyd::bundles {
namespace {

constexpr char kBase64Url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

absl::Status Refuse(absl::string_view what) {
  return absl::PermissionDeniedError(
      absl::StrCat("bundle signature: ", what));
}

struct Algorithm {
  enum Family { kRsa, kEcdsa, kHmac } family;
  const EVP_MD* md;
  int ec_bytes;  // size of r and of s in an ECDSA JWT signature
};

bool LookupAlgorithm(std::string_view name, Algorithm* out) {
  if (name == "RS256") *out = {Algorithm::kRsa, EVP_sha256(), 0};
  else if (name == "RS384") *out = {Algorithm::kRsa, EVP_sha384(), 0};
  else if (name == "RS512") *out = {Algorithm::kRsa, EVP_sha512(), 0};
  else if (name == "ES256") *out = {Algorithm::kEcdsa, EVP_sha256(), 32};
  else if (name == "ES384") *out = {Algorithm::kEcdsa, EVP_sha384(), 48};
  else if (name == "ES512") *out = {Algorithm::kEcdsa, EVP_sha512(), 66};
  else if (name == "HS256") *out = {Algorithm::kHmac, EVP_sha256(), 0};
  else if (name == "HS384") *out = {Algorithm::kHmac, EVP_sha384(), 0};
  else if (name == "HS512") *out = {Algorithm::kHmac, EVP_sha512(), 0};
  else return false;
  return true;
}

// JWT ECDSA signatures are r||s; OpenSSL verifies DER.
bool EcdsaJoseToDer(std::string_view jose, int half, std::string* der) {
  if (static_cast<int>(jose.size()) != 2 * half) return false;
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(jose.data()),
                        half, nullptr);
  BIGNUM* s = BN_bin2bn(
      reinterpret_cast<const unsigned char*>(jose.data()) + half, half,
      nullptr);
  ECDSA_SIG_set0(sig, r, s);
  int len = i2d_ECDSA_SIG(sig, nullptr);
  bool ok = len > 0;
  if (ok) {
    der->resize(len);
    unsigned char* p = reinterpret_cast<unsigned char*>(der->data());
    i2d_ECDSA_SIG(sig, &p);
  }
  ECDSA_SIG_free(sig);
  return ok;
}

absl::Status VerifyJwsSignature(const Algorithm& alg,
                                const VerificationKey& key,
                                std::string_view signed_part,
                                std::string_view signature) {
  if (alg.family == Algorithm::kHmac) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    HMAC(alg.md, key.key.data(), static_cast<int>(key.key.size()),
         reinterpret_cast<const unsigned char*>(signed_part.data()),
         signed_part.size(), mac, &mac_len);
    if (mac_len != signature.size() ||
        CRYPTO_memcmp(mac, signature.data(), mac_len) != 0) {
      return Refuse("JWT signature does not verify with the configured key");
    }
    return absl::OkStatus();
  }
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(key.key.data(), static_cast<int>(key.key.size())),
      BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(
      PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr),
      EVP_PKEY_free);
  if (pkey == nullptr) {
    return absl::InvalidArgumentError(
        "bundle signature: the verification key is not a PEM public key");
  }
  std::string der;
  if (alg.family == Algorithm::kEcdsa) {
    if (!EcdsaJoseToDer(signature, alg.ec_bytes, &der)) {
      return Refuse("malformed ECDSA signature in JWT");
    }
    signature = der;
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(
      EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (EVP_DigestVerifyInit(ctx.get(), nullptr, alg.md, nullptr, pkey.get()) !=
          1 ||
      EVP_DigestVerify(
          ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
          signature.size(),
          reinterpret_cast<const unsigned char*>(signed_part.data()),
          signed_part.size()) != 1) {
    return Refuse("JWT signature does not verify with the configured key");
  }
  return absl::OkStatus();
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
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_sha256(), nullptr);
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest), len));
}

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kBase64Url[(acc >> bits) & 63]);
    }
  }
  if (bits > 0) out.push_back(kBase64Url[(acc << (6 - bits)) & 63]);
  return out;
}

bool Base64UrlDecode(std::string_view text, std::string* out) {
  out->clear();
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '-' || c == '+') v = 62;
    else if (c == '_' || c == '/') v = 63;
    else return false;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return true;
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
  std::string header_text, payload_text, signature;
  if (parts.size() != 3 ||
      !Base64UrlDecode({parts[0].data(), parts[0].size()}, &header_text) ||
      !Base64UrlDecode({parts[1].data(), parts[1].size()}, &payload_text) ||
      !Base64UrlDecode({parts[2].data(), parts[2].size()}, &signature)) {
    return malformed("the JWT is not three base64url parts");
  }
  absl::StatusOr<Value> header = ParseJson(header_text);
  absl::StatusOr<Value> payload = ParseJson(payload_text);
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
  Algorithm alg;
  if (alg_name != key->algorithm || !LookupAlgorithm(alg_name, &alg)) {
    return Refuse(absl::StrCat("the JWT algorithm \"", alg_name,
                               "\" does not match the key's algorithm \"",
                               key->algorithm, "\""));
  }
  std::string_view signed_part(parts[0].data(),
                               parts[1].data() + parts[1].size() -
                                   parts[0].data());
  if (absl::Status s = VerifyJwsSignature(alg, *key, signed_part, signature);
      !s.ok()) {
    return s;
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
