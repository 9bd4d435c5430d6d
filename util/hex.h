// Hexadecimal digits: the value of a digit when reading, the digits of a
// byte or number when writing. Header-only: the JSON reader and writer use
// these on every string.
#ifndef POLICYD_UTIL_HEX_H_
#define POLICYD_UTIL_HEX_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace policyd {

// The digit for the value v (0..15) is kHexLower[v] or kHexUpper[v].
inline constexpr char kHexLower[] = "0123456789abcdef";
inline constexpr char kHexUpper[] = "0123456789ABCDEF";

enum class HexCase { kLower, kUpper };

// The value of the hex digit c (either case), or -1 when c is not one.
constexpr int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Appends the `width` low digits of v, most significant first.
inline void AppendHex(uint64_t v, int width, HexCase letters, std::string* out) {
  const char* digits = letters == HexCase::kLower ? kHexLower : kHexUpper;
  for (int shift = 4 * (width - 1); shift >= 0; shift -= 4) {
    out->push_back(digits[(v >> shift) & 0xF]);
  }
}

// Appends the two digits of the byte b.
inline void AppendHexByte(unsigned char b, HexCase letters, std::string* out) {
  AppendHex(b, 2, letters, out);
}

// Two lowercase digits per byte of `bytes`.
inline std::string HexEncode(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) AppendHexByte(static_cast<unsigned char>(c), HexCase::kLower, &out);
  return out;
}

}  // namespace policyd

#endif  // POLICYD_UTIL_HEX_H_
