// Signing a bundle in OPA's format (the counterpart of signature.h): the
// `.signatures.json` text {"signatures": ["<JWT>"]} whose JWT payload lists
// every file as {"name": PATH, "hash": SHA-256 hex, "algorithm": "SHA-256"},
// plus the optional claims, `keyid` and `scope`, signed with the JWS code
// of the io.jwt builtins.
#ifndef POLICYD_BUNDLES_SIGNER_H_
#define POLICYD_BUNDLES_SIGNER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "bundles/reader.h"
#include "engine/value/value.h"

namespace policyd::bundles {

struct SigningOptions {
  // Any JWS algorithm: RS/PS/ES 256/384/512, HS256/384/512, EdDSA.
  std::string algorithm = "RS256";
  // A PEM private key, or the HMAC secret for HS*.
  std::string key;
  // Set: the payload's `keyid` (which key verifies it).
  std::string key_id;
  // Set: the payload's `scope`.
  std::string scope;
  // An object whose entries join the payload (OPA's --claims-file), or null.
  Value claims;
};

// The `.signatures.json` text for `files` (a `.signatures.json` among them
// is left out). Errors say what is wrong with the key or claims.
absl::StatusOr<std::string> SignBundle(const std::vector<BundleFile>& files,
                                       const SigningOptions& options);

}  // namespace policyd::bundles

#endif  // POLICYD_BUNDLES_SIGNER_H_
