// net.* builtins over ip_address.h, with OPA's semantics and messages.
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "engine/builtins/args.h"
#include "engine/builtins/builtin.h"
#include "engine/builtins/ip_address.h"

namespace policyd {
namespace {

// OPA names operand 1 for both CIDR operands of these builtins.
absl::StatusOr<IpNetwork> NetOperand(std::string_view name, const Value& v) {
  POLICYD_RETURN_IF_ERROR(CheckOperand(name, 1, v, Kind::kString));
  std::optional<IpNetwork> net = ParseCidr(v.string());
  if (!net) {
    return BuiltinError(name, Concat("invalid CIDR address: ", v.string()));
  }
  return *net;
}

// Whether CIDR `a` contains `b`, an address or a CIDR.
absl::StatusOr<bool> CidrContains(std::string_view name, const Value& a,
                                  const Value& b) {
  POLICYD_ASSIGN_OR_RETURN(IpNetwork net, NetOperand(name, a));
  POLICYD_RETURN_IF_ERROR(CheckOperand(name, 1, b, Kind::kString));
  if (std::optional<IpAddress> ip = ParseIp(b.string())) {
    return net.Contains(*ip);
  }
  std::optional<IpNetwork> inner = ParseCidr(b.string());
  if (!inner) {
    return BuiltinError(
        name,
        Concat("not a valid textual representation of an IP address or CIDR: ",
               b.string()));
  }
  return net.Contains(inner->First()) && net.Contains(inner->Last());
}

template <const std::string_view& kName>
BuiltinResult CidrContainsBuiltin(BuiltinContext&,
                                  absl::Span<const Value> args) {
  POLICYD_ASSIGN_OR_RETURN(bool in, CidrContains(kName, args[0], args[1]));
  return BoolResult(in);
}

constexpr std::string_view kContains = "net.cidr_contains";
constexpr std::string_view kOverlap = "net.cidr_overlap";

BuiltinResult CidrIntersects(BuiltinContext&, absl::Span<const Value> args) {
  static constexpr std::string_view kName = "net.cidr_intersects";
  POLICYD_ASSIGN_OR_RETURN(IpNetwork a, NetOperand(kName, args[0]));
  POLICYD_ASSIGN_OR_RETURN(IpNetwork b, NetOperand(kName, args[1]));
  return BoolResult(a.Contains(b.First()) || b.Contains(a.First()));
}

BuiltinResult CidrIsValid(BuiltinContext&, absl::Span<const Value> args) {
  return BoolResult(args[0].is_string() &&
                    ParseCidr(args[0].string()).has_value());
}

// Every address of the block (a set of strings). Blocks of more than 2^24
// addresses are refused: OPA would try until its evaluation is cancelled,
// which a builtin here cannot observe.
BuiltinResult CidrExpand(BuiltinContext&, absl::Span<const Value> args) {
  static constexpr std::string_view kName = "net.cidr_expand";
  POLICYD_ASSIGN_OR_RETURN(IpNetwork net, NetOperand(kName, args[0]));
  int host_bits = net.ip.bits() - net.prefix;
  if (host_bits > 24) {
    return BuiltinError(kName, Concat("too many addresses in ",
                                      args[0].string(), " (limit 2^24)"));
  }
  std::vector<Value> out;
  out.reserve(size_t{1} << host_bits);
  IpAddress last = net.Last();
  for (IpAddress ip = net.First();; ip = NextIp(ip)) {
    out.push_back(Value::String(ip.ToString()));
    if (ip == last) break;
  }
  return std::optional<Value>(Value::Set(std::move(out)));
}

// Calls `fn(cidr, index)` for each element of a cidr_contains_matches
// operand: a string (its own index), or an array, set or object whose
// elements are strings or non-empty arrays whose first element is the CIDR.
template <typename Fn>
absl::Status ForEachMatchOperand(int pos, const Value& v, Fn fn) {
  static constexpr std::string_view kName = "net.cidr_contains_matches";
  auto cidr_of = [&](const Value& e) -> absl::StatusOr<const Value*> {
    if (e.is_string()) return &e;
    if (e.is_array() && e.size() > 0) return e.At(0);
    return BuiltinError(
        kName, Concat("operand ", pos,
                      ": element must be string or non-empty array"));
  };
  switch (v.kind()) {
    case Kind::kString:
      return fn(v, v);
    case Kind::kArray: {
      int64_t i = 0;
      for (const Value& e : v.elements()) {
        POLICYD_ASSIGN_OR_RETURN(const Value* cidr, cidr_of(e));
        POLICYD_RETURN_IF_ERROR(fn(*cidr, Value::Int(i++)));
      }
      return absl::OkStatus();
    }
    case Kind::kSet:
      for (const Value& e : v.elements()) {
        POLICYD_ASSIGN_OR_RETURN(const Value* cidr, cidr_of(e));
        POLICYD_RETURN_IF_ERROR(fn(*cidr, e));
      }
      return absl::OkStatus();
    case Kind::kObject:
      for (const auto& [key, e] : v.entries()) {
        POLICYD_ASSIGN_OR_RETURN(const Value* cidr, cidr_of(e));
        POLICYD_RETURN_IF_ERROR(fn(*cidr, key));
      }
      return absl::OkStatus();
    default:
      return absl::OkStatus();
  }
}

BuiltinResult CidrContainsMatches(BuiltinContext&,
                                  absl::Span<const Value> args) {
  static constexpr std::string_view kName = "net.cidr_contains_matches";
  std::vector<Value> matches;
  absl::Status status = ForEachMatchOperand(
      1, args[0], [&](const Value& cidr1, const Value& index1) {
        return ForEachMatchOperand(
            2, args[1],
            [&](const Value& cidr2, const Value& index2) -> absl::Status {
              POLICYD_ASSIGN_OR_RETURN(bool in,
                                       CidrContains(kName, cidr1, cidr2));
              if (in) matches.push_back(Value::Array({index1, index2}));
              return absl::OkStatus();
            });
      });
  if (!status.ok()) return status;
  return std::optional<Value>(Value::Set(std::move(matches)));
}

// cidr_merge's view of an element: a CIDR, or a bare IPv4 address with its
// classful default mask (as Go's IP.DefaultMask gives it).
absl::StatusOr<IpNetwork> MergeOperand(const Value& v) {
  static constexpr std::string_view kName = "net.cidr_merge";
  if (!v.is_string()) return BuiltinError(kName, "element must be string");
  if (std::optional<IpAddress> ip = ParseIp(v.string())) {
    if (!ip->v4) {
      return BuiltinError(kName, "IPv6 invalid: needs prefix length");
    }
    uint8_t first = ip->bytes[12];
    // Kept unmasked: an unmerged address prints as given ("10.1.2.3/8").
    return IpNetwork{*ip, first < 0x80 ? 8 : (first < 0xC0 ? 16 : 24)};
  }
  std::optional<IpNetwork> net = ParseCidr(v.string());
  if (!net) {
    return BuiltinError(kName, Concat("invalid CIDR address: ", v.string()));
  }
  return *net;
}

// The fewest CIDR blocks covering [first, last]: IPv4 blocks when both ends
// are IPv4, else IPv6 blocks.
void RangeToCidrs(IpAddress first, IpAddress last,
                  std::vector<std::string>* out) {
  first.v4 = last.v4 = first.v4 && last.v4;
  while (true) {
    // The largest block starting at `first` that ends within `last`.
    int prefix = first.bits();
    while (prefix > 0) {
      IpNetwork wider{first, prefix - 1};
      if (!(wider.First() == first) || last < wider.Last()) break;
      --prefix;
    }
    IpNetwork block{first, prefix};
    out->push_back(block.ToString());
    IpAddress end = block.Last();
    if (!(end < last)) return;
    first = NextIp(end);
  }
}

// Merges adjacent and overlapping blocks into the fewest blocks; a block
// that merged with nothing keeps its own text.
BuiltinResult CidrMerge(BuiltinContext&, absl::Span<const Value> args) {
  static constexpr std::string_view kName = "net.cidr_merge";
  if (!args[0].is_array() && !args[0].is_set()) {
    return BuiltinError(kName, "operand must be an array");
  }
  struct Range {
    IpAddress first;
    IpAddress last;
    std::optional<IpNetwork> network;  // set while unmerged
  };
  std::vector<Range> ranges;
  for (const Value& e : args[0].elements()) {
    POLICYD_ASSIGN_OR_RETURN(IpNetwork net, MergeOperand(e));
    ranges.push_back({net.First(), net.Last(), net});
  }
  std::sort(ranges.begin(), ranges.end(), [](const Range& a, const Range& b) {
    if (!(a.last == b.last)) return a.last < b.last;
    return a.first < b.first;
  });
  // From the end: fold a range into its predecessor when they touch.
  for (size_t i = ranges.size(); i-- > 1;) {
    Range& prev = ranges[i - 1];
    const Range& cur = ranges[i];
    bool at_zero = cur.first == IpAddress{} ||
                   (cur.first.v4 && cur.first.bytes[12] == 0 &&
                    cur.first.bytes[13] == 0 && cur.first.bytes[14] == 0 &&
                    cur.first.bytes[15] == 0);
    IpAddress before = at_zero ? cur.first : PreviousIp(cur.first);
    if (!(prev.last < before)) {
      prev = Range{std::min(prev.first, cur.first), cur.last, std::nullopt};
      ranges.erase(ranges.begin() + static_cast<std::ptrdiff_t>(i));
    }
  }
  std::vector<std::string> texts;
  for (const Range& r : ranges) {
    if (r.network) {
      texts.push_back(r.network->ToString());
    } else {
      RangeToCidrs(r.first, r.last, &texts);
    }
  }
  std::vector<Value> out;
  out.reserve(texts.size());
  for (std::string& t : texts) out.push_back(Value::String(std::move(t)));
  return std::optional<Value>(Value::Set(std::move(out)));
}

// Resolves a host name with the system resolver (getaddrinfo); the answer is
// kept for the rest of the query.
BuiltinResult LookupIpAddr(BuiltinContext& ctx, absl::Span<const Value> args) {
  static constexpr std::string_view kName = "net.lookup_ip_addr";
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 1, args[0], Kind::kString));
  std::string host(args[0].string());
  std::string key = Concat(kName, "(", args[0].ToRego(), ")");
  if (ctx.cache != nullptr) {
    auto it = ctx.cache->find(key);
    if (it != ctx.cache->end()) return std::optional<Value>(it->second);
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  int rc = getaddrinfo(host.c_str(), nullptr, &hints, &res);
  if (rc != 0) {
    std::string why = rc == EAI_NONAME || rc == EAI_NODATA
                          ? "no such host"
                          : std::string(gai_strerror(rc));
    return BuiltinError(kName, Concat("lookup ", host, ": ", why));
  }
  std::vector<Value> addrs;
  for (addrinfo* p = res; p != nullptr; p = p->ai_next) {
    char buf[NI_MAXHOST];
    if (getnameinfo(p->ai_addr, p->ai_addrlen, buf, sizeof buf, nullptr, 0,
                    NI_NUMERICHOST) != 0) {
      continue;
    }
    // Re-format through Go's rules ("::ffff:1.2.3.4" prints as IPv4).
    std::string_view text(buf);
    text = text.substr(0, text.find('%'));
    std::optional<IpAddress> ip = ParseIp(text);
    addrs.push_back(Value::String(ip ? ip->ToString() : std::string(text)));
  }
  freeaddrinfo(res);
  Value result = Value::Set(std::move(addrs));
  if (ctx.cache != nullptr) ctx.cache->emplace(key, result);
  return std::optional<Value>(std::move(result));
}

}  // namespace

void RegisterNetBuiltins(BuiltinRegistry& registry) {
  registry.Add({.name = std::string(kContains),
                .arity = 2,
                .fn = CidrContainsBuiltin<kContains>});
  registry.Add({.name = std::string(kOverlap),
                .arity = 2,
                .fn = CidrContainsBuiltin<kOverlap>});
  registry.Add(
      {.name = "net.cidr_intersects", .arity = 2, .fn = CidrIntersects});
  registry.Add({.name = "net.cidr_contains_matches",
                .arity = 2,
                .fn = CidrContainsMatches});
  registry.Add({.name = "net.cidr_expand", .arity = 1, .fn = CidrExpand});
  registry.Add({.name = "net.cidr_is_valid", .arity = 1, .fn = CidrIsValid});
  registry.Add({.name = "net.cidr_merge", .arity = 1, .fn = CidrMerge});
  registry.Add({.name = "net.lookup_ip_addr",
                .arity = 1,
                .fn = LookupIpAddr,
                .nondeterministic = true});
}

}  // namespace policyd
