// Go's url.PathUnescape and url.QueryUnescape as OPA's builtins report them:
// a malformed escape fails with `invalid URL escape "%zz"`.
#ifndef POLICYD_ENGINE_BUILTINS_GO_URL_H_
#define POLICYD_ENGINE_BUILTINS_GO_URL_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/builtins/go/quote.h"
#include "util/percent.h"

namespace policyd {

inline absl::StatusOr<std::string> GoUnescape(std::string_view s, PercentMode mode) {
  size_t bad = std::string_view::npos;
  std::string out = PercentDecode(s, mode, &bad);
  if (bad != std::string_view::npos) {
    return absl::InvalidArgumentError("invalid URL escape " + GoQuote(s.substr(bad, 3)));
  }
  return out;
}

}  // namespace policyd

#endif  // POLICYD_ENGINE_BUILTINS_GO_URL_H_
