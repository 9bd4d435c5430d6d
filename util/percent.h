// Percent-decoding of URL paths and queries ("%2F" is the byte 0x2F), with
// the rules of Go's net/url that OPA and Envoy's callers expect.
#ifndef POLICYD_UTIL_PERCENT_H_
#define POLICYD_UTIL_PERCENT_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace policyd {

// kPath: '+' stays '+' (Go's url.PathUnescape). kQuery: '+' is a space (Go's
// url.QueryUnescape, form values).
enum class PercentMode { kPath, kQuery };

// Decodes "%XX" escapes of `s`. A malformed escape is a '%' not followed by
// two hex digits. Without `bad_escape`, a malformed escape is kept as written
// (as HTTP servers treat request paths). With it, decoding stops at the first
// malformed escape and its offset in `s` is stored there (npos when there is
// none), as Go's unescaping fails; the result is then only what preceded it.
std::string PercentDecode(std::string_view s, PercentMode mode,
                          size_t* bad_escape = nullptr);

}  // namespace policyd

#endif  // POLICYD_UTIL_PERCENT_H_
