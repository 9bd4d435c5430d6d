// Keys for the crypto and JWT builtins: JSON Web Keys (RFC 7517) and key
// sets to and from OpenSSL keys, and the Go JSON shapes OPA reports for
// parsed keys.
#ifndef POLICYD_ENGINE_BUILTINS_JOSE_JWK_H_
#define POLICYD_ENGINE_BUILTINS_JOSE_JWK_H_

#include <openssl/evp.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/value/value.h"

namespace policyd {

using PkeyPtr = std::shared_ptr<EVP_PKEY>;

// Takes ownership of `pkey` (may be null).
PkeyPtr AdoptPkey(EVP_PKEY* pkey);

// A key as a JWK describes it: asymmetric (RSA, EC, Ed25519; public or
// private) or a symmetric secret ("oct"), with the JWK's "alg" and "kid".
struct CryptoKey {
  PkeyPtr pkey;        // set for asymmetric keys
  std::string secret;  // the bytes of a symmetric key
  bool symmetric = false;
  std::string alg;
  std::string kid;
};

// One JWK object (kty RSA, EC, OKP/Ed25519 or oct) to a key. Errors name the
// problem ("unsupported kty ...", "missing or invalid \"n\" ...").
absl::StatusOr<CryptoKey> JwkToKey(const Value& jwk);

// JSON text holding a JWK or a JWK set {"keys": [...]}: its keys in order.
absl::StatusOr<std::vector<CryptoKey>> ParseJwkSet(std::string_view text);

// A private key as the JWK OPA's crypto.x509.parse_rsa_private_key returns
// ({"kty": "RSA", "n", "e", "d", "p", "q", "dp", "dq", "qi"}; EC and Ed25519
// keys likewise).
absl::StatusOr<Value> PrivateKeyToJwk(EVP_PKEY* pkey);

// A key as Go's encoding/json prints Go's key structs, which is what OPA
// returns for parsed keys: RSA public {"N", "E"}, RSA private adds "D",
// "Primes", "Precomputed"; ECDSA {"Curve": {}, "X", "Y"[, "D"]}; Ed25519 the
// base64 of its bytes.
absl::StatusOr<Value> GoPublicKeyValue(EVP_PKEY* pkey);
absl::StatusOr<Value> GoPrivateKeyValue(EVP_PKEY* pkey);

// Go's x509.PublicKeyAlgorithm number for the key (RSA 1, ECDSA 3,
// Ed25519 4, else 0).
int GoPublicKeyAlgorithm(EVP_PKEY* pkey);

}  // namespace policyd

#endif  // POLICYD_ENGINE_BUILTINS_JOSE_JWK_H_
