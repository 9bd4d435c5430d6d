// json.*, base64.*, base64url.* and hex.* builtins (the JSON Schema, urlquery
// and yaml parts of the family live in jsonschema.cc, urlquery.cc, yaml.cc).
#include <string>
#include <string_view>

#include "engine/builtins/args.h"
#include "engine/builtins/base64.h"
#include "engine/builtins/builtin.h"
#include "engine/builtins/encoding_parts.h"
#include "engine/builtins/go/json.h"
#include "engine/value/json.h"
#include "util/hex.h"

namespace policyd {
namespace {

BuiltinResult JsonMarshal(BuiltinContext&, absl::Span<const Value> args) {
  return StringResult(GoJsonMarshal(args[0]));
}

// Options: "pretty" (bool), "indent" and "prefix" (strings). Giving indent or
// prefix turns pretty printing on unless "pretty" says otherwise.
BuiltinResult JsonMarshalWithOptions(BuiltinContext&,
                                     absl::Span<const Value> args) {
  static constexpr std::string_view kName = "json.marshal_with_options";
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 2, args[1], Kind::kObject));
  std::string indent = "\t";
  std::string prefix;
  bool implicit_pretty = false;
  std::optional<bool> explicit_pretty;
  int64_t index = 0;
  for (const auto& [key, val] : args[1].entries()) {
    if (!key.is_string()) {
      return absl::InvalidArgumentError(Concat(
          kName, ": operand 2 failed to stringify key ", key.ToRego(),
          " at index ", index, ": operand ", index, " must be string but got ",
          KindName(key.kind())));
    }
    std::string quoted = key.ToRego();
    if (key.string() == "prefix" || key.string() == "indent") {
      if (!val.is_string()) {
        return absl::InvalidArgumentError(Concat(
            kName, ": operand 2 key ", quoted,
            " failed cast to string: operand ", index,
            " must be string but got ", KindName(val.kind())));
      }
      (key.string() == "prefix" ? prefix : indent) = std::string(val.string());
      implicit_pretty = true;
    } else if (key.string() == "pretty") {
      if (!val.is_bool()) {
        return absl::InvalidArgumentError(
            Concat(kName, ": operand 2 key ", quoted, " failed cast to bool"));
      }
      explicit_pretty = val.boolean();
    } else {
      return absl::InvalidArgumentError(
          Concat(kName, ": operand 2 object contained unknown key ", quoted));
    }
    ++index;
  }
  if (!explicit_pretty.value_or(implicit_pretty)) {
    return StringResult(GoJsonMarshal(args[0]));
  }
  // Go's MarshalIndent leaves the first line unprefixed; OPA adds it.
  return StringResult(prefix + GoJsonMarshalIndent(args[0], prefix, indent));
}

BuiltinResult JsonUnmarshal(BuiltinContext&, absl::Span<const Value> args) {
  static constexpr std::string_view kName = "json.unmarshal";
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 1, args[0], Kind::kString));
  absl::StatusOr<Value> v = ParseJson(args[0].string());
  if (!v.ok()) return BuiltinError(kName, MessageOf(v.status()));
  return std::optional<Value>(*std::move(v));
}

BuiltinResult JsonIsValid(BuiltinContext&, absl::Span<const Value> args) {
  if (!args[0].is_string()) return BoolResult(false);
  return BoolResult(ParseJson(args[0].string()).ok());
}

BuiltinResult Base64EncodeBuiltin(BuiltinContext&,
                                  absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(
      CheckOperand("base64.encode", 1, args[0], Kind::kString));
  return StringResult(
      Base64Encode(args[0].string(), Base64Alphabet::kStd, true));
}

BuiltinResult Base64DecodeBuiltin(BuiltinContext&,
                                  absl::Span<const Value> args) {
  static constexpr std::string_view kName = "base64.decode";
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 1, args[0], Kind::kString));
  absl::StatusOr<std::string> out =
      Base64Decode(args[0].string(), Base64Alphabet::kStd, true);
  if (!out.ok()) return BuiltinError(kName, MessageOf(out.status()));
  return StringResult(*std::move(out));
}

BuiltinResult Base64IsValid(BuiltinContext&, absl::Span<const Value> args) {
  if (!args[0].is_string()) return BoolResult(false);
  return BoolResult(
      Base64Decode(args[0].string(), Base64Alphabet::kStd, true).ok());
}

BuiltinResult Base64UrlEncode(BuiltinContext&, absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(
      CheckOperand("base64url.encode", 1, args[0], Kind::kString));
  return StringResult(
      Base64Encode(args[0].string(), Base64Alphabet::kUrl, true));
}

BuiltinResult Base64UrlEncodeNoPad(BuiltinContext&,
                                   absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(
      CheckOperand("base64url.encode_no_pad", 1, args[0], Kind::kString));
  return StringResult(
      Base64Encode(args[0].string(), Base64Alphabet::kUrl, false));
}

BuiltinResult Base64UrlDecode(BuiltinContext&, absl::Span<const Value> args) {
  static constexpr std::string_view kName = "base64url.decode";
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 1, args[0], Kind::kString));
  absl::StatusOr<std::string> out = Base64UrlDecodeLenient(args[0].string());
  if (!out.ok()) return BuiltinError(kName, MessageOf(out.status()));
  return StringResult(*std::move(out));
}

BuiltinResult HexEncodeBuiltin(BuiltinContext&, absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(
      CheckOperand("hex.encode", 1, args[0], Kind::kString));
  return StringResult(HexEncode(args[0].string()));
}


// Go's hex.InvalidByteError text: "invalid byte: U+0067 'g'" (%#U of the
// byte taken as a rune; the quoted character only when printable).
std::string InvalidHexByte(unsigned char b) {
  std::string out = "encoding/hex: invalid byte: U+00";
  AppendHexByte(b, HexCase::kUpper, &out);
  bool printable = (b >= 0x20 && b < 0x7F) || (b >= 0xA1 && b != 0xAD);
  if (printable) {
    out.append(" '");
    if (b < 0x80) {
      out.push_back(static_cast<char>(b));
    } else {
      out.push_back(static_cast<char>(0xC0 | (b >> 6)));
      out.push_back(static_cast<char>(0x80 | (b & 0x3F)));
    }
    out.push_back('\'');
  }
  return out;
}

BuiltinResult HexDecodeBuiltin(BuiltinContext&, absl::Span<const Value> args) {
  static constexpr std::string_view kName = "hex.decode";
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 1, args[0], Kind::kString));
  std::string_view s = args[0].string();
  std::string out;
  out.reserve(s.size() / 2);
  size_t j = 1;
  for (; j < s.size(); j += 2) {
    auto p = static_cast<unsigned char>(s[j - 1]);
    auto q = static_cast<unsigned char>(s[j]);
    int a = HexDigitValue(p);
    int b = HexDigitValue(q);
    if (a < 0) return BuiltinError(kName, InvalidHexByte(p));
    if (b < 0) return BuiltinError(kName, InvalidHexByte(q));
    out.push_back(static_cast<char>((a << 4) | b));
  }
  if (s.size() % 2 == 1) {
    // An invalid last character is reported before the odd length, as Go
    // does: it is the earlier problem.
    auto last = static_cast<unsigned char>(s[j - 1]);
    if (HexDigitValue(last) < 0) return BuiltinError(kName, InvalidHexByte(last));
    return BuiltinError(kName, "encoding/hex: odd length hex string");
  }
  return StringResult(std::move(out));
}

}  // namespace

void RegisterEncodingBuiltins(BuiltinRegistry& registry) {
  registry.Add({.name = "json.marshal", .arity = 1, .fn = JsonMarshal});
  registry.Add({.name = "json.marshal_with_options",
                .arity = 2,
                .fn = JsonMarshalWithOptions});
  registry.Add({.name = "json.unmarshal", .arity = 1, .fn = JsonUnmarshal});
  registry.Add({.name = "json.is_valid", .arity = 1, .fn = JsonIsValid});
  registry.Add(
      {.name = "base64.encode", .arity = 1, .fn = Base64EncodeBuiltin});
  registry.Add(
      {.name = "base64.decode", .arity = 1, .fn = Base64DecodeBuiltin});
  registry.Add({.name = "base64.is_valid", .arity = 1, .fn = Base64IsValid});
  registry.Add(
      {.name = "base64url.encode", .arity = 1, .fn = Base64UrlEncode});
  registry.Add({.name = "base64url.encode_no_pad",
                .arity = 1,
                .fn = Base64UrlEncodeNoPad});
  registry.Add(
      {.name = "base64url.decode", .arity = 1, .fn = Base64UrlDecode});
  registry.Add({.name = "hex.encode", .arity = 1, .fn = HexEncodeBuiltin});
  registry.Add({.name = "hex.decode", .arity = 1, .fn = HexDecodeBuiltin});
  RegisterJsonSchemaBuiltins(registry);
  RegisterUrlQueryBuiltins(registry);
  RegisterYamlBuiltins(registry);
}

}  // namespace policyd
