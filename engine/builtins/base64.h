// Base64 (RFC 4648) with the exact acceptance rules and error texts of Go's
// encoding/base64, which OPA's builtins expose to policies: '\r' and '\n' are
// skipped anywhere, a padded decoder needs correct '=' padding, a raw one
// refuses it, and errors read "illegal base64 data at input byte N".
#ifndef POLICYD_ENGINE_BUILTINS_BASE64_H_
#define POLICYD_ENGINE_BUILTINS_BASE64_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace policyd {

enum class Base64Alphabet { kStd, kUrl };

// Go's Encoding.DecodeString for StdEncoding/URLEncoding (padded = true) or
// RawStdEncoding/RawURLEncoding (padded = false). Errors are
// InvalidArgument with Go's message (no builtin name prefix).
absl::StatusOr<std::string> Base64Decode(std::string_view in,
                                         Base64Alphabet alphabet, bool padded);

// Go's Encoding.EncodeToString.
std::string Base64Encode(std::string_view data, Base64Alphabet alphabet,
                         bool padded);

// OPA's base64url.decode: URL alphabet, padding optional (RFC 7515 appendix
// C). A length that no padding can fix fails with
// "illegal base64url string: IN".
absl::StatusOr<std::string> Base64UrlDecodeLenient(std::string_view in);

}  // namespace policyd

#endif  // POLICYD_ENGINE_BUILTINS_BASE64_H_
