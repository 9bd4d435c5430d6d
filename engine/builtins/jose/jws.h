// JWS signature algorithms (RFC 7518 section 3 and RFC 8037): signing and
// verifying a JWS signing input with a key, for the io.jwt builtins.
#ifndef POLICYD_ENGINE_BUILTINS_JOSE_JWS_H_
#define POLICYD_ENGINE_BUILTINS_JOSE_JWS_H_

#include <openssl/evp.h>

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "engine/builtins/jose/jwk.h"

namespace policyd {

enum class JwsFamily { kHmac, kRsaPkcs1, kRsaPss, kEcdsa, kEdDsa };

struct JwsAlgorithm {
  std::string_view name;  // "RS256", ...
  JwsFamily family;
  const EVP_MD* (*md)();  // null for EdDSA
};

// The algorithm named `name` (case-sensitive: HS/RS/PS/ES 256/384/512 and
// EdDSA); null when unknown. "none" is never an algorithm here.
const JwsAlgorithm* FindJwsAlgorithm(std::string_view name);

// True only when `signature` is a valid signature of `input` under `key`
// with `alg`. A key of the wrong type for the algorithm (an RSA key for
// HS256, a secret for RS256, ...) never verifies. HMAC is compared in
// constant time. ECDSA signatures are r || s, split in half as OPA does.
bool JwsVerify(const JwsAlgorithm& alg, const CryptoKey& key,
               std::string_view input, std::string_view signature);

// The signature of `input` under the private (or secret) `key`.
absl::StatusOr<std::string> JwsSign(const JwsAlgorithm& alg,
                                    const CryptoKey& key,
                                    std::string_view input);

// HMAC of `data` under `key` with `md` (raw bytes).
std::string Hmac(const EVP_MD* md, std::string_view key, std::string_view data);

// Digest of `data` with `md` (raw bytes).
std::string Digest(const EVP_MD* md, std::string_view data);

}  // namespace policyd

#endif  // POLICYD_ENGINE_BUILTINS_JOSE_JWS_H_
