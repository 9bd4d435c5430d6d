#include "engine/builtins/base64.h"

#include <array>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace policyd {

namespace {

constexpr std::string_view kStdChars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrlChars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

using DecodeMap = std::array<uint8_t, 256>;

constexpr DecodeMap MakeDecodeMap(std::string_view chars) {
  DecodeMap map{};
  for (auto& m : map) m = 0xFF;
  for (size_t i = 0; i < chars.size(); ++i) {
    map[static_cast<unsigned char>(chars[i])] = static_cast<uint8_t>(i);
  }
  return map;
}

constexpr DecodeMap kStdMap = MakeDecodeMap(kStdChars);
constexpr DecodeMap kUrlMap = MakeDecodeMap(kUrlChars);

absl::Status Corrupt(size_t offset) {
  return absl::InvalidArgumentError(
      absl::StrCat("illegal base64 data at input byte ", offset));
}

bool IsNewline(char c) { return c == '\n' || c == '\r'; }

}  // namespace

absl::StatusOr<std::string> Base64Decode(std::string_view src,
                                         Base64Alphabet alphabet,
                                         bool padded) {
  const DecodeMap& map = alphabet == Base64Alphabet::kStd ? kStdMap : kUrlMap;
  std::string out;
  out.reserve(src.size() / 4 * 3 + 3);
  size_t si = 0;
  // One quantum of up to four symbols per iteration, as Go's decodeQuantum.
  while (true) {
    uint8_t dbuf[4] = {0, 0, 0, 0};
    size_t dlen = 4;
    bool end = false;
    for (size_t j = 0; j < 4; ++j) {
      if (si == src.size()) {
        if (j == 0) return out;
        if (j == 1 || padded) return Corrupt(si - j);
        dlen = j;
        end = true;
        break;
      }
      char in = src[si++];
      uint8_t v = map[static_cast<unsigned char>(in)];
      if (v != 0xFF) {
        dbuf[j] = v;
        continue;
      }
      if (IsNewline(in)) {
        --j;
        continue;
      }
      if (!padded || in != '=') return Corrupt(si - 1);
      // Padding: only after two or three symbols of the quantum.
      if (j == 0 || j == 1) return Corrupt(si - 1);
      if (j == 2) {
        // "==" expected; the first '=' is consumed.
        while (si < src.size() && IsNewline(src[si])) ++si;
        if (si == src.size()) return Corrupt(src.size());
        if (src[si] != '=') return Corrupt(si - 1);
        ++si;
      }
      while (si < src.size() && IsNewline(src[si])) ++si;
      if (si < src.size()) return Corrupt(si);  // trailing garbage
      dlen = j;
      end = true;
      break;
    }
    uint32_t val = uint32_t{dbuf[0]} << 18 | uint32_t{dbuf[1]} << 12 |
                   uint32_t{dbuf[2]} << 6 | uint32_t{dbuf[3]};
    if (dlen >= 2) out.push_back(static_cast<char>(val >> 16));
    if (dlen >= 3) out.push_back(static_cast<char>(val >> 8));
    if (dlen >= 4) out.push_back(static_cast<char>(val));
    if (end) return out;
  }
}

std::string Base64Encode(std::string_view data, Base64Alphabet alphabet,
                         bool padded) {
  std::string_view chars =
      alphabet == Base64Alphabet::kStd ? kStdChars : kUrlChars;
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    uint32_t v = uint32_t{static_cast<unsigned char>(data[i])} << 16 |
                 uint32_t{static_cast<unsigned char>(data[i + 1])} << 8 |
                 uint32_t{static_cast<unsigned char>(data[i + 2])};
    out.push_back(chars[v >> 18 & 63]);
    out.push_back(chars[v >> 12 & 63]);
    out.push_back(chars[v >> 6 & 63]);
    out.push_back(chars[v & 63]);
  }
  size_t rest = data.size() - i;
  if (rest == 0) return out;
  uint32_t v = uint32_t{static_cast<unsigned char>(data[i])} << 16;
  if (rest == 2) v |= uint32_t{static_cast<unsigned char>(data[i + 1])} << 8;
  out.push_back(chars[v >> 18 & 63]);
  out.push_back(chars[v >> 12 & 63]);
  if (rest == 2) {
    out.push_back(chars[v >> 6 & 63]);
    if (padded) out.push_back('=');
  } else if (padded) {
    out.append("==");
  }
  return out;
}

absl::StatusOr<std::string> Base64UrlDecodeLenient(std::string_view in) {
  std::string s(in);
  if (s.empty() || s.back() != '=') {
    switch (s.size() % 4) {
      case 0:
        break;
      case 2:
        s += "==";
        break;
      case 3:
        s += "=";
        break;
      default:
        return absl::InvalidArgumentError(
            "illegal base64url string: " + std::string(in));
    }
  }
  return Base64Decode(s, Base64Alphabet::kUrl, /*padded=*/true);
}

}  // namespace policyd
