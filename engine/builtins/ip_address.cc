#include "engine/builtins/ip_address.h"
#include "util/hex.h"

#include <algorithm>
#include <cstdio>

namespace policyd {
namespace {

constexpr std::array<uint8_t, 12> kV4InV6Prefix = {0, 0, 0, 0, 0, 0,
                                                   0, 0, 0, 0, 0xff, 0xff};

bool IsV4Mapped(const std::array<uint8_t, 16>& b) {
  return std::equal(kV4InV6Prefix.begin(), kV4InV6Prefix.end(), b.begin());
}

// Four decimal fields 0..255 without leading zeros.
bool ParseV4(std::string_view s, uint8_t out[4]) {
  int fields = 0;
  size_t i = 0;
  while (true) {
    if (fields == 4) return false;
    size_t start = i;
    int v = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      v = v * 10 + (s[i] - '0');
      if (v > 255) return false;
      ++i;
    }
    size_t len = i - start;
    if (len == 0 || (len > 1 && s[start] == '0')) return false;
    out[fields++] = static_cast<uint8_t>(v);
    if (i == s.size()) break;
    if (s[i] != '.') return false;
    ++i;
  }
  return fields == 4;
}


bool ParseV6(std::string_view s, std::array<uint8_t, 16>* out) {
  std::array<uint8_t, 16> ip{};
  int ellipsis = -1;
  size_t i = 0;  // byte position in ip
  if (s.size() >= 2 && s[0] == ':' && s[1] == ':') {
    ellipsis = 0;
    s.remove_prefix(2);
    if (s.empty()) {
      *out = ip;
      return true;
    }
  }
  while (i < 16) {
    size_t n = 0;
    int v = 0;
    while (n < s.size() && n < 5 && HexDigitValue(s[n]) >= 0) {
      v = v * 16 + HexDigitValue(s[n]);
      ++n;
    }
    if (n == 0 || n > 4) return false;
    if (n < s.size() && s[n] == '.') {
      // A trailing IPv4 part: needs room for four bytes.
      if (ellipsis < 0 && i != 12) return false;
      if (i + 4 > 16) return false;
      uint8_t v4[4];
      if (!ParseV4(s, v4)) return false;
      std::copy(v4, v4 + 4, ip.begin() + i);
      i += 4;
      s = {};
      break;
    }
    ip[i] = static_cast<uint8_t>(v >> 8);
    ip[i + 1] = static_cast<uint8_t>(v);
    i += 2;
    s.remove_prefix(n);
    if (s.empty()) break;
    if (s[0] != ':' || s.size() == 1) return false;
    s.remove_prefix(1);
    if (s[0] == ':') {
      if (ellipsis >= 0) return false;
      ellipsis = static_cast<int>(i);
      s.remove_prefix(1);
      if (s.empty()) break;
    }
  }
  if (!s.empty()) return false;
  if (i < 16) {
    if (ellipsis < 0) return false;
    size_t n = 16 - i;
    for (int j = static_cast<int>(i) - 1; j >= ellipsis; --j) {
      ip[j + n] = ip[j];
    }
    for (size_t j = ellipsis; j < ellipsis + n; ++j) ip[j] = 0;
  } else if (ellipsis >= 0) {
    return false;  // "::" must stand for at least one group.
  }
  *out = ip;
  return true;
}

// Clears the bits after the first `prefix` of the family's bits.
IpAddress Mask(const IpAddress& a, int prefix, bool ones) {
  IpAddress out = a;
  int first = a.v4 ? 96 : 0;
  for (int bit = first + prefix; bit < 128; ++bit) {
    uint8_t m = static_cast<uint8_t>(0x80 >> (bit % 8));
    if (ones) {
      out.bytes[bit / 8] |= m;
    } else {
      out.bytes[bit / 8] &= static_cast<uint8_t>(~m);
    }
  }
  return out;
}

}  // namespace

std::string IpAddress::ToString() const {
  char buf[64];
  if (v4) {
    std::snprintf(buf, sizeof buf, "%d.%d.%d.%d", bytes[12], bytes[13],
                  bytes[14], bytes[15]);
    return buf;
  }
  uint16_t groups[8];
  for (int g = 0; g < 8; ++g) {
    groups[g] = static_cast<uint16_t>(bytes[2 * g] << 8 | bytes[2 * g + 1]);
  }
  // The longest run of two or more zero groups (the first on a tie).
  int best_start = -1;
  int best_len = 0;
  for (int g = 0; g < 8;) {
    if (groups[g] != 0) {
      ++g;
      continue;
    }
    int start = g;
    while (g < 8 && groups[g] == 0) ++g;
    if (g - start > best_len && g - start >= 2) {
      best_start = start;
      best_len = g - start;
    }
  }
  std::string out;
  for (int g = 0; g < 8; ++g) {
    if (g == best_start) {
      out.append("::");
      g += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out.push_back(':');
    std::snprintf(buf, sizeof buf, "%x", groups[g]);
    out.append(buf);
  }
  return out;
}

std::string IpNetwork::ToString() const {
  return ip.ToString() + "/" + std::to_string(prefix);
}

IpAddress IpNetwork::First() const { return Mask(ip, prefix, false); }

IpAddress IpNetwork::Last() const { return Mask(ip, prefix, true); }

bool IpNetwork::Contains(const IpAddress& addr) const {
  return addr.v4 == ip.v4 && Mask(addr, prefix, false) == First();
}

std::optional<IpAddress> ParseIp(std::string_view s) {
  IpAddress a;
  for (char c : s) {
    if (c == '.') {
      uint8_t v4[4];
      if (!ParseV4(s, v4)) return std::nullopt;
      std::copy(kV4InV6Prefix.begin(), kV4InV6Prefix.end(), a.bytes.begin());
      std::copy(v4, v4 + 4, a.bytes.begin() + 12);
      a.v4 = true;
      return a;
    }
    if (c == ':') {
      if (!ParseV6(s, &a.bytes)) return std::nullopt;
      a.v4 = IsV4Mapped(a.bytes);
      return a;
    }
  }
  return std::nullopt;
}

std::optional<IpNetwork> ParseCidr(std::string_view s) {
  size_t slash = s.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::string_view addr_text = s.substr(0, slash);
  std::string_view mask = s.substr(slash + 1);
  // The family's bit count decides the prefix range: "::ffff:1.2.3.4" is
  // 128 bits wide here even though it is an IPv4 address.
  bool written_v6 = addr_text.find(':') != std::string_view::npos;
  std::optional<IpAddress> addr = ParseIp(addr_text);
  if (!addr || mask.empty()) return std::nullopt;
  int n = 0;
  for (char c : mask) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
    if (n >= 0xFFFFFF) return std::nullopt;
  }
  if (n > (written_v6 ? 128 : 32)) return std::nullopt;
  if (written_v6 && addr->v4) n = std::max(0, n - 96);
  IpNetwork net;
  net.prefix = n;
  net.ip = Mask(*addr, n, false);
  return net;
}

IpAddress NextIp(const IpAddress& a) {
  IpAddress out = a;
  for (int i = 15; i >= 0; --i) {
    if (++out.bytes[i] != 0) break;
  }
  return out;
}

IpAddress PreviousIp(const IpAddress& a) {
  IpAddress out = a;
  for (int i = 15; i >= 0; --i) {
    if (out.bytes[i]-- != 0) break;
  }
  return out;
}

}  // namespace policyd
