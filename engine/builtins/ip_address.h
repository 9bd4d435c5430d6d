// IP addresses and CIDR blocks with the parsing, containment and text rules
// of Go's net package, which OPA's net.* builtins follow: IPv4 fields
// without leading zeros, IPv6 with "::" and an optional trailing IPv4 part,
// no zones; an IPv4-mapped IPv6 address ("::ffff:1.2.3.4") is an IPv4
// address; IPv6 text is RFC 5952 ("2001:db8::1").
#ifndef POLICYD_ENGINE_BUILTINS_IP_ADDRESS_H_
#define POLICYD_ENGINE_BUILTINS_IP_ADDRESS_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace policyd {

struct IpAddress {
  // Always 16 bytes; an IPv4 address is stored IPv4-mapped (::ffff:a.b.c.d).
  std::array<uint8_t, 16> bytes{};
  bool v4 = false;

  // 32 or 128.
  int bits() const { return v4 ? 32 : 128; }
  // Go's IP.String().
  std::string ToString() const;
  // Ordering and equality of the 16 bytes.
  friend bool operator<(const IpAddress& a, const IpAddress& b) {
    return a.bytes < b.bytes;
  }
  friend bool operator==(const IpAddress& a, const IpAddress& b) {
    return a.bytes == b.bytes;
  }
};

// A block: `ip` is the first address unless built from a bare address (see
// cidr_merge), `prefix` counts bits within the family (0..32 or 0..128).
struct IpNetwork {
  IpAddress ip;
  int prefix = 0;

  // Go's IPNet.String(): "ip/prefix".
  std::string ToString() const;
  IpAddress First() const;
  IpAddress Last() const;
  // Go's IPNet.Contains: same family and same leading `prefix` bits.
  bool Contains(const IpAddress& addr) const;
};

// Go's net.ParseIP.
std::optional<IpAddress> ParseIp(std::string_view s);

// Go's net.ParseCIDR: the network with its host bits cleared. A malformed
// block (also a prefix beyond the family's bits) gives nullopt; Go's message
// for it is "invalid CIDR address: S".
std::optional<IpNetwork> ParseCidr(std::string_view s);

// The address after / before `a` in 128-bit space (wrapping).
IpAddress NextIp(const IpAddress& a);
IpAddress PreviousIp(const IpAddress& a);

}  // namespace policyd

#endif  // POLICYD_ENGINE_BUILTINS_IP_ADDRESS_H_
