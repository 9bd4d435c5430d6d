// Bundle signatures (OPA's format): `.signatures.json` holds
// {"signatures": ["<JWT>"]}, a JWT whose payload lists every file of the
// bundle as {"name": "path", "hash": "<hex>", "algorithm": "SHA-256"} and may
// name the key (`keyid`, or the header's `kid`) and a `scope`. The JWT is
// verified with an operator-supplied key; then every file of the bundle
// (except `.signatures.json`) must be listed with its hash and every listed
// file must exist.
#ifndef POLICYD_BUNDLES_SIGNATURE_H_
#define POLICYD_BUNDLES_SIGNATURE_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "bundles/reader.h"

namespace policyd::bundles {

inline constexpr std::string_view kSignaturesFile = ".signatures.json";

struct VerificationKey {
  // Any JWS algorithm OPA accepts for bundle signing: RS, PS and ES
  // 256/384/512 and EdDSA (`key` is a PEM public key), HS256/HS384/HS512
  // (`key` is the shared secret). Verified by the io.jwt builtins' JWS code.
  std::string algorithm;
  std::string key;
};

struct SignatureOptions {
  // Keys by id. With no keys configured, signatures are not checked.
  std::map<std::string, VerificationKey> keys;
  // When true, a bundle without `.signatures.json` is refused.
  bool required = false;
  // When set, the JWT's `scope` claim must equal it.
  std::string scope;
};

// Checks the signature of a bundle whose files are `files`. Errors are
// PermissionDenied (or InvalidArgument for malformed signature files) and
// name the file at fault.
absl::Status VerifyBundleSignature(const std::vector<BundleFile>& files,
                                   const SignatureOptions& options);

// SHA-256 of `bytes` as lowercase hex.
std::string Sha256Hex(std::string_view bytes);

}  // namespace policyd::bundles

#endif  // POLICYD_BUNDLES_SIGNATURE_H_
