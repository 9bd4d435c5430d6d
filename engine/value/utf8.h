// UTF-8 helpers for the engine, decoding the way Go does (OPA's
// reference): an invalid byte decodes as U+FFFD with width 1, so every loop
// over a string advances and never fails.
#ifndef POLICYD_ENGINE_VALUE_UTF8_H_
#define POLICYD_ENGINE_VALUE_UTF8_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace policyd::utf8 {

inline constexpr char32_t kRuneError = 0xFFFD;

// Decodes the rune at s[i] (i < s.size()) into *r; returns its width in bytes
// (1 for an invalid sequence, with *r = kRuneError).
inline size_t Decode(std::string_view s, size_t i, char32_t* r) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + i;
  size_t left = s.size() - i;
  unsigned char c = p[0];
  if (c < 0x80) {
    *r = c;
    return 1;
  }
  auto cont = [&](size_t k) { return k < left && (p[k] & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF && cont(1)) {
    *r = ((c & 0x1Fu) << 6) | (p[1] & 0x3Fu);
    return 2;
  }
  if (c >= 0xE0 && c <= 0xEF && cont(1) && cont(2)) {
    char32_t v = ((c & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
    if (v >= 0x800 && (v < 0xD800 || v >= 0xE000)) {
      *r = v;
      return 3;
    }
  } else if (c >= 0xF0 && c <= 0xF4 && cont(1) && cont(2) && cont(3)) {
    char32_t v = ((c & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) |
                 ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
    if (v >= 0x10000 && v <= 0x10FFFF) {
      *r = v;
      return 4;
    }
  }
  *r = kRuneError;
  return 1;
}

// Width of the rune at s[i], or 0 at the end of s (Go's DecodeRuneInString).
inline size_t Width(std::string_view s, size_t i) {
  if (i >= s.size()) return 0;
  char32_t r;
  return Decode(s, i, &r);
}

inline void Append(char32_t r, std::string* out) {
  if (r > 0x10FFFF || (r >= 0xD800 && r < 0xE000)) r = kRuneError;
  if (r < 0x80) {
    out->push_back(static_cast<char>(r));
  } else if (r < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (r >> 6)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else if (r < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (r >> 12)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (r >> 18)));
    out->push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  }
}

inline bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// Number of runes in s.
inline size_t RuneCount(std::string_view s) {
  if (IsAscii(s)) return s.size();
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++n) i += Width(s, i);
  return n;
}

}  // namespace policyd::utf8

#endif  // POLICYD_ENGINE_VALUE_UTF8_H_
