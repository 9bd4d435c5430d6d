// gzip (RFC 1952) streams in memory, with a bound on what decompression may
// produce so that a small hostile input (a "gzip bomb") cannot exhaust
// memory.
#ifndef POLICYD_UTIL_GZIP_H_
#define POLICYD_UTIL_GZIP_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace policyd {

// The decompressed bytes of `compressed` (one gzip member, or several
// concatenated). ResourceExhausted once the output would pass `max_bytes`
// (decompression stops there); InvalidArgument for data that is not gzip or
// is truncated.
absl::StatusOr<std::string> Gunzip(std::string_view compressed,
                                   size_t max_bytes);

// `data` compressed as one gzip member at zlib's default level.
std::string Gzip(std::string_view data);

}  // namespace policyd

#endif  // POLICYD_UTIL_GZIP_H_
