// uuid.rfc4122, uuid.parse and rand.intn. The random builtins answer the
// same arguments with the same value for the whole query (BuiltinContext
// cache), as OPA does; randomness comes from OpenSSL's CSPRNG.
#include <openssl/rand.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "engine/builtins/args.h"
#include "engine/builtins/builtin.h"
#include "util/hex.h"

namespace policyd {
namespace {

// The cached answer for `key`, or nullptr.
const Value* Cached(BuiltinContext& ctx, const std::string& key) {
  if (ctx.cache == nullptr) return nullptr;
  auto it = ctx.cache->find(key);
  return it == ctx.cache->end() ? nullptr : &it->second;
}

void Remember(BuiltinContext& ctx, std::string key, const Value& v) {
  if (ctx.cache != nullptr) ctx.cache->emplace(std::move(key), v);
}

absl::Status RandomBytes(std::string_view name, uint8_t* out, size_t n) {
  if (RAND_bytes(out, static_cast<int>(n)) != 1) {
    return BuiltinError(name, "random source failed");
  }
  return absl::OkStatus();
}

BuiltinResult UuidRfc4122(BuiltinContext& ctx, absl::Span<const Value> args) {
  static constexpr std::string_view kName = "uuid.rfc4122";
  std::string key = Concat(kName, "(", args[0].ToRego(), ")");
  if (const Value* v = Cached(ctx, key)) return std::optional<Value>(*v);
  std::array<uint8_t, 16> b;
  POLICYD_RETURN_IF_ERROR(RandomBytes(kName, b.data(), b.size()));
  b[6] = static_cast<uint8_t>((b[6] & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<uint8_t>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
  char buf[37];
  std::snprintf(buf, sizeof buf,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                "%02x%02x%02x%02x%02x%02x",
                b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
                b[10], b[11], b[12], b[13], b[14], b[15]);
  Value result = Value::String(std::string_view(buf, 36));
  Remember(ctx, std::move(key), result);
  return std::optional<Value>(std::move(result));
}


// The forms google/uuid's Parse accepts: 36 characters with dashes, the same
// in braces or after "urn:uuid:", or 32 hex digits.
std::optional<std::array<uint8_t, 16>> ParseUuid(std::string_view s) {
  if (s.size() == 45) {
    std::string_view urn = s.substr(0, 9);
    std::string lower;
    for (char c : urn) {
      lower.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
    }
    if (lower != "urn:uuid:") return std::nullopt;
    s.remove_prefix(9);
  } else if (s.size() == 38) {
    if (s.front() != '{' || s.back() != '}') return std::nullopt;
    s = s.substr(1, 36);
  }
  std::string hex;
  if (s.size() == 36) {
    if (s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-') {
      return std::nullopt;
    }
    for (size_t i = 0; i < s.size(); ++i) {
      if (i != 8 && i != 13 && i != 18 && i != 23) hex.push_back(s[i]);
    }
  } else if (s.size() == 32) {
    hex = std::string(s);
  } else {
    return std::nullopt;
  }
  std::array<uint8_t, 16> out;
  for (size_t i = 0; i < 16; ++i) {
    int hi = HexDigitValue(hex[2 * i]);
    int lo = HexDigitValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return out;
}

std::string VariantName(uint8_t b) {
  if ((b & 0xC0) == 0x80) return "RFC4122";
  if ((b & 0xE0) == 0xC0) return "Microsoft";
  if ((b & 0xE0) == 0xE0) return "Future";
  return "Reserved";
}

// Version and variant; for time-based versions 1 and 2 also the time (Unix
// nanoseconds), clock sequence, node id and its MAC bits, and for version 2
// the local domain and id (OPA's uuid.parse object).
BuiltinResult UuidParse(BuiltinContext&, absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(
      CheckOperand("uuid.parse", 1, args[0], Kind::kString));
  std::optional<std::array<uint8_t, 16>> u = ParseUuid(args[0].string());
  if (!u) return std::optional<Value>();
  const std::array<uint8_t, 16>& b = *u;
  int version = b[6] >> 4;
  std::vector<ObjectEntry> entries;
  entries.emplace_back(Value::String("version"), Value::Int(version));
  entries.emplace_back(Value::String("variant"),
                       Value::String(VariantName(b[8])));
  if (version == 1 || version == 2) {
    uint32_t low = static_cast<uint32_t>(b[0]) << 24 | b[1] << 16 |
                   b[2] << 8 | b[3];
    int64_t t = static_cast<int64_t>(low) |
                static_cast<int64_t>(b[4] << 8 | b[5]) << 32 |
                static_cast<int64_t>((b[6] << 8 | b[7]) & 0x0FFF) << 48;
    // 100ns intervals since 1582-10-15, to Unix nanoseconds.
    constexpr int64_t kGregorianToUnix = 122192928000000000;
    int64_t since = t - kGregorianToUnix;
    // Go's int64 arithmetic wraps for times before 1677; so does this.
    int64_t ns = static_cast<int64_t>(
        static_cast<uint64_t>(since / 10000000) * 1000000000u +
        static_cast<uint64_t>(since % 10000000 * 100));
    entries.emplace_back(Value::String("time"), Value::Int(ns));
    char node[18];
    std::snprintf(node, sizeof node, "%02x-%02x-%02x-%02x-%02x-%02x", b[10],
                  b[11], b[12], b[13], b[14], b[15]);
    entries.emplace_back(Value::String("nodeid"), Value::String(node));
    std::string_view mac = (b[10] & 3) == 3   ? "local:multicast"
                           : (b[10] & 1) == 1 ? "global:multicast"
                           : (b[10] & 2) == 2 ? "local:unicast"
                                              : "global:unicast";
    entries.emplace_back(Value::String("macvariables"), Value::String(mac));
    entries.emplace_back(Value::String("clocksequence"),
                         Value::Int((b[8] << 8 | b[9]) & 0x3FFF));
    if (version == 2) {
      entries.emplace_back(Value::String("id"), Value::Int(low));
      static constexpr std::string_view kDomains[] = {"Person", "Group",
                                                      "Org"};
      entries.emplace_back(
          Value::String("domain"),
          Value::String(b[9] < 3 ? std::string(kDomains[b[9]])
                                 : Concat("Domain", int64_t{b[9]})));
    }
  }
  return std::optional<Value>(Value::Object(std::move(entries)));
}

BuiltinResult RandIntn(BuiltinContext& ctx, absl::Span<const Value> args) {
  static constexpr std::string_view kName = "rand.intn";
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 1, args[0], Kind::kString));
  POLICYD_ASSIGN_OR_RETURN(int64_t n, IntOperand(kName, 2, args[1]));
  if (n == 0) return std::optional<Value>(Value::Int(0));
  uint64_t bound = n < 0 ? 0 - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
  std::string key = Concat(kName, "(", args[0].ToRego(), ", ",
                           std::to_string(bound), ")");
  if (const Value* v = Cached(ctx, key)) return std::optional<Value>(*v);
  // Rejection sampling keeps the draw uniform over [0, bound).
  uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
  uint64_t r;
  do {
    POLICYD_RETURN_IF_ERROR(
        RandomBytes(kName, reinterpret_cast<uint8_t*>(&r), sizeof r));
  } while (r >= limit);
  Value result = Value::Int(static_cast<int64_t>(r % bound));
  Remember(ctx, std::move(key), result);
  return std::optional<Value>(std::move(result));
}

}  // namespace

void RegisterUuidRandBuiltins(BuiltinRegistry& registry) {
  registry.Add({.name = "uuid.rfc4122",
                .arity = 1,
                .fn = UuidRfc4122,
                .nondeterministic = true});
  registry.Add({.name = "uuid.parse", .arity = 1, .fn = UuidParse});
  registry.Add({.name = "rand.intn",
                .arity = 2,
                .fn = RandIntn,
                .nondeterministic = true});
}

}  // namespace policyd
