// urlquery.* builtins, with the escaping and parsing rules of Go's net/url
// (QueryEscape, QueryUnescape, Values.Encode, ParseQuery) that OPA uses.
#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/builtins/args.h"
#include "engine/builtins/builtin.h"
#include "engine/builtins/encoding_parts.h"
#include "engine/builtins/go/json.h"
#include "engine/builtins/go/quote.h"
#include "engine/builtins/go/url.h"
#include "util/hex.h"

namespace policyd {
namespace {

bool Unreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
         c == '~';
}

void AppendQueryEscaped(std::string_view s, std::string* out) {
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (Unreserved(c)) {
      out->push_back(ch);
    } else if (c == ' ') {
      out->push_back('+');
    } else {
      out->push_back('%');
      AppendHexByte(c, HexCase::kUpper, out);
    }
  }
}

BuiltinResult UrlQueryEncode(BuiltinContext&, absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(
      CheckOperand("urlquery.encode", 1, args[0], Kind::kString));
  std::string out;
  AppendQueryEscaped(args[0].string(), &out);
  return std::optional<Value>(Value::String(std::move(out)));
}

BuiltinResult UrlQueryDecode(BuiltinContext&, absl::Span<const Value> args) {
  static constexpr std::string_view kName = "urlquery.decode";
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 1, args[0], Kind::kString));
  absl::StatusOr<std::string> out = GoUnescape(args[0].string(), PercentMode::kQuery);
  if (!out.ok()) return BuiltinError(kName, MessageOf(out.status()));
  return std::optional<Value>(Value::String(*std::move(out)));
}

// Values are strings, or arrays or sets of strings (one pair per element).
// The pairs are sorted by key, as Go's url.Values.Encode does.
BuiltinResult UrlQueryEncodeObject(BuiltinContext&,
                                   absl::Span<const Value> args) {
  static constexpr std::string_view kName = "urlquery.encode_object";
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 1, args[0], Kind::kObject));
  const absl::Status values_error = absl::InvalidArgumentError(
      Concat(kName,
             ": operand 1 values must be string, array[string], or "
             "set[string]"));
  std::map<std::string, std::vector<std::string_view>> params;
  for (const auto& [key, val] : args[0].entries()) {
    std::vector<std::string_view>& values = params[GoJsonKey(key)];
    values.clear();
    if (val.is_string()) {
      values.push_back(val.string());
    } else if (val.is_array() || val.is_set()) {
      for (const Value& e : val.elements()) {
        if (!e.is_string()) return values_error;
        values.push_back(e.string());
      }
    } else {
      return values_error;
    }
  }
  std::string out;
  for (const auto& [key, values] : params) {
    for (std::string_view v : values) {
      if (!out.empty()) out.push_back('&');
      AppendQueryEscaped(key, &out);
      out.push_back('=');
      AppendQueryEscaped(v, &out);
    }
  }
  return std::optional<Value>(Value::String(std::move(out)));
}

// Go's url.ParseQuery: pairs separated by '&', a ';' in a pair is an error,
// empty pairs are skipped, a pair without '=' has the empty value.
BuiltinResult UrlQueryDecodeObject(BuiltinContext&,
                                   absl::Span<const Value> args) {
  static constexpr std::string_view kName = "urlquery.decode_object";
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 1, args[0], Kind::kString));
  std::string_view query = args[0].string();
  std::map<std::string, std::vector<Value>> params;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view()
                                          : query.substr(amp + 1);
    if (pair.find(';') != std::string_view::npos) {
      return BuiltinError(kName, "invalid semicolon separator in query");
    }
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string_view raw_key = pair.substr(0, eq);
    std::string_view raw_value =
        eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    absl::StatusOr<std::string> key = GoUnescape(raw_key, PercentMode::kQuery);
    if (!key.ok()) return BuiltinError(kName, MessageOf(key.status()));
    absl::StatusOr<std::string> value = GoUnescape(raw_value, PercentMode::kQuery);
    if (!value.ok()) return BuiltinError(kName, MessageOf(value.status()));
    params[*std::move(key)].push_back(Value::String(*std::move(value)));
  }
  std::vector<ObjectEntry> entries;
  entries.reserve(params.size());
  for (auto& [key, values] : params) {
    entries.emplace_back(Value::String(key), Value::Array(std::move(values)));
  }
  return std::optional<Value>(Value::ObjectFromSorted(std::move(entries)));
}

}  // namespace

void RegisterUrlQueryBuiltins(BuiltinRegistry& registry) {
  registry.Add({.name = "urlquery.encode", .arity = 1, .fn = UrlQueryEncode});
  registry.Add({.name = "urlquery.decode", .arity = 1, .fn = UrlQueryDecode});
  registry.Add({.name = "urlquery.encode_object",
                .arity = 1,
                .fn = UrlQueryEncodeObject});
  registry.Add({.name = "urlquery.decode_object",
                .arity = 1,
                .fn = UrlQueryDecodeObject});
}

}  // namespace policyd
