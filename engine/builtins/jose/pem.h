// PEM blocks (RFC 7468) found the way Go's encoding/pem finds them, since
// OPA's crypto and JWT builtins accept exactly what Go's pem.Decode accepts
// (text before a block is skipped, a block whose base64 is broken is skipped,
// and what follows the block is returned as the rest).
#ifndef POLICYD_ENGINE_BUILTINS_JOSE_PEM_H_
#define POLICYD_ENGINE_BUILTINS_JOSE_PEM_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace policyd {

struct PemBlock {
  std::string type;  // "CERTIFICATE", "PUBLIC KEY", ...
  std::map<std::string, std::string> headers;
  std::string bytes;  // the decoded DER
};

// The first PEM block of `data`, and in *rest what follows it. When there is
// none, nullopt and *rest = data.
std::optional<PemBlock> PemDecode(std::string_view data, std::string_view* rest);

}  // namespace policyd

#endif  // POLICYD_ENGINE_BUILTINS_JOSE_PEM_H_
