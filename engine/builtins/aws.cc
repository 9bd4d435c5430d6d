// providers.aws.sign_req(request, aws_config, time_ns): signs an http.send
// request object with AWS Signature Version 4 and returns it with the
// signing headers added (Authorization, host, x-amz-date, and
// x-amz-content-sha256 for s3/glacier, x-amz-security-token with a session
// token). Checks, their order and their messages follow OPA, including its
// operand numbers.
#include <openssl/evp.h>

#include <cctype>
#include <charconv>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "engine/builtins/args.h"
#include "engine/builtins/builtin.h"
#include "engine/builtins/go/json.h"
#include "engine/builtins/go/quote.h"
#include "engine/builtins/go/url.h"
#include "engine/builtins/http_request.h"
#include "engine/builtins/jose/jws.h"
#include "engine/value/value.h"
#include "util/hex.h"

namespace policyd {
namespace {

using Args = absl::Span<const Value>;

constexpr std::string_view kName = "providers.aws.sign_req";

constexpr std::string_view kConfigKeys[] = {"aws_access_key", "aws_region",
                                            "aws_secret_access_key", "aws_service"};

// Headers a proxy may change on the way, so never signed.
constexpr std::string_view kUnsignedHeaders[] = {"authorization", "user-agent",
                                                 "x-amzn-trace-id"};

// "NAME: operand POS MESSAGE", an eval_type_error as OPA's operand errors.
absl::Status OperandError(int pos, std::string_view message) {
  return absl::InvalidArgumentError(Concat(kName, ": operand ", pos, " ", message));
}

// Rego's text of the set of `names`: {"a", "b"}.
std::string NameSet(std::vector<Value> names) {
  return Value::Set(std::move(names)).ToRego();
}

// The string in `v`, or "" for a missing or non-string value (OPA's
// stringFromTerm).
std::string_view StringOr(const Value* v) {
  return v != nullptr && v->is_string() ? v->string() : std::string_view();
}

absl::Status CheckConfig(const Value& config) {
  std::vector<Value> missing, invalid;
  for (std::string_view key : kConfigKeys) {
    const Value* v = config.Find(key);
    if (v == nullptr) {
      missing.push_back(Value::String(key));
    } else if (!v->is_string()) {
      invalid.push_back(Value::String(key));
    }
  }
  if (!missing.empty()) {
    return OperandError(2, Concat("missing required AWS config parameters(s): ",
                                  NameSet(std::move(missing))));
  }
  if (!invalid.empty()) {
    return OperandError(2, Concat("invalid values for required AWS config parameters(s): ",
                                  NameSet(std::move(invalid))));
  }
  return absl::OkStatus();
}

// The nanosecond timestamp; OPA takes the number's text as a Go int64, so
// 1e9 or 1.0 are refused like fractions.
std::optional<int64_t> TimestampNanos(const Value& v) {
  std::string text = v.NumberText();
  int64_t out;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return out;
}

// The parts of a URL that signing needs, as Go's url.Parse gives them.
struct ParsedUrl {
  std::string host;
  std::string escaped_path;  // URL.EscapedPath()
  std::string raw_query;
};

// Go's shouldEscape for a path: unreserved characters and $&+,/:;=@ stay.
bool PathNeedsEscape(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return false;
  switch (c) {
    case '-': case '_': case '.': case '~':
    case '$': case '&': case '+': case ',': case '/': case ':': case ';': case '=': case '@':
      return false;
    default:
      return true;
  }
}

// URL.EscapedPath: the path as written when that is a valid encoding, else
// the decoded path escaped again.
absl::StatusOr<std::string> EscapedPath(std::string_view raw) {
  POLICYD_ASSIGN_OR_RETURN(std::string path, GoUnescape(raw, PercentMode::kPath));
  bool valid = true;
  for (char ch : raw) {
    auto c = static_cast<unsigned char>(ch);
    bool allowed = std::string_view("!$&'()*+,;=:@[]%").find(ch) != std::string_view::npos;
    if (!allowed && PathNeedsEscape(c)) valid = false;
  }
  if (valid) return std::string(raw);
  std::string out;
  for (char ch : path) {
    auto c = static_cast<unsigned char>(ch);
    if (PathNeedsEscape(c)) {
      out.push_back('%');
      AppendHexByte(c, HexCase::kUpper, &out);
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

// Go's url.Parse, reduced to what signing reads. Errors are builtin errors
// with Go's text (`NAME: parse "URL": ...`).
absl::StatusOr<ParsedUrl> ParseUrl(std::string_view url) {
  auto fail = [&](std::string_view why) {
    return BuiltinError(kName, Concat("parse ", GoQuote(url), ": ", why));
  };
  std::string_view rest = url.substr(0, url.find('#'));
  for (char c : rest) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return fail("net/url: invalid control character in URL");
    }
  }
  ParsedUrl out;
  // Scheme: a letter, then letters, digits, '+', '-', '.', up to ':'.
  bool has_scheme = false;
  for (size_t i = 0; i < rest.size(); ++i) {
    char c = rest[i];
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    bool other = (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    if (letter || (other && i > 0)) continue;
    if (c == ':') {
      if (i == 0) return fail("missing protocol scheme");
      has_scheme = true;
      rest.remove_prefix(i + 1);
    }
    break;
  }
  if (size_t q = rest.find('?'); q != std::string_view::npos) {
    out.raw_query = std::string(rest.substr(q + 1));
    rest = rest.substr(0, q);
  }
  if (rest.empty() || rest.front() != '/') {
    if (has_scheme) return out;  // opaque: no host, no path
    std::string_view segment = rest.substr(0, rest.find('/'));
    if (segment.find(':') != std::string_view::npos) {
      return fail("first path segment in URL cannot contain colon");
    }
  }
  if (rest.substr(0, 2) == "//" && (has_scheme || rest.substr(0, 3) != "///")) {
    rest.remove_prefix(2);
    size_t slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
    if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
      authority.remove_prefix(at + 1);
    }
    // A port, when present, must be digits.
    size_t bracket = authority.rfind(']');
    size_t colon = authority.rfind(':');
    if (colon != std::string_view::npos &&
        (bracket == std::string_view::npos || colon > bracket)) {
      std::string_view port = authority.substr(colon + 1);
      for (char c : port) {
        if (c < '0' || c > '9') {
          return fail(Concat("invalid port ", GoQuote(authority.substr(colon)), " after host"));
        }
      }
    }
    out.host = std::string(authority);
  }
  absl::StatusOr<std::string> path = EscapedPath(rest);
  if (!path.ok()) return fail(MessageOf(path.status()));
  out.escaped_path = *std::move(path);
  return out;
}

std::string Sha256Hex(std::string_view data) { return HexEncode(Digest(EVP_sha256(), data)); }

BuiltinResult SignRequest(BuiltinContext&, Args args) {
  const Value& request = args[0];
  const Value& config = args[1];
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 1, request, Kind::kObject));
  // OPA names the config "operand 1" and the timestamp too; kept.
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 1, config, Kind::kObject));
  POLICYD_RETURN_IF_ERROR(CheckConfig(config));
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 1, args[2], Kind::kNumber));
  std::optional<int64_t> nanos = TimestampNanos(args[2]);
  if (!nanos) return OperandError(3, "could not convert time_ns value into a unix timestamp");
  POLICYD_RETURN_IF_ERROR(CheckHttpRequestKeys(kName, 1, request));

  static const Value kEmptyObject = Value::Object({});
  const Value* headers = request.Find("headers");
  if (headers == nullptr) {
    headers = &kEmptyObject;
  } else if (!headers->is_object()) {
    return OperandTypeError(kName, 0, "object", *headers);
  }
  const Value* url = request.Find("url");
  const Value* method = request.Find("method");
  std::vector<Value> invalid;
  if (!url->is_string()) invalid.push_back(Value::String("url"));
  if (!method->is_string()) invalid.push_back(Value::String("method"));
  if (!invalid.empty()) {
    return OperandError(1, Concat("invalid values for required request parameters(s): ",
                                  NameSet(std::move(invalid))));
  }
  POLICYD_ASSIGN_OR_RETURN(ParsedUrl parsed, ParseUrl(url->string()));

  std::string body;
  if (const Value* raw = request.Find("raw_body")) {
    body = std::string(StringOr(raw));
  } else if (const Value* b = request.Find("body")) {
    body = GoJsonMarshal(*b);
  }

  bool unsigned_payload = false;
  if (const Value* d = config.Find("disable_payload_signing")) {
    if (!d->is_bool()) {
      return OperandError(2, "invalid value for 'disable_payload_signing' in AWS config");
    }
    unsigned_payload = d->boolean();
  }

  std::string_view service = StringOr(config.Find("aws_service"));
  std::string_view access_key = StringOr(config.Find("aws_access_key"));
  std::string_view secret_key = StringOr(config.Find("aws_secret_access_key"));
  std::string_view region = StringOr(config.Find("aws_region"));
  std::string_view session_token = StringOr(config.Find("aws_session_token"));

  absl::Time when = absl::FromUnixNanos(*nanos);
  std::string date = absl::FormatTime("%Y%m%d", when, absl::UTCTimeZone());
  std::string timestamp = absl::FormatTime("%Y%m%dT%H%M%SZ", when, absl::UTCTimeZone());
  std::string payload_hash = unsigned_payload ? "UNSIGNED-PAYLOAD" : Sha256Hex(body);

  std::map<std::string, std::string> aws_headers = {{"host", parsed.host},
                                                    {"x-amz-date", timestamp}};
  // Only S3 and Glacier want the payload hash as a header.
  if (service == "s3" || service == "glacier") aws_headers["x-amz-content-sha256"] = payload_hash;
  if (!session_token.empty()) aws_headers["x-amz-security-token"] = std::string(session_token);

  // The request's own headers are signed too (lower-cased; they win over
  // the AWS headers of the same name), except those a proxy may change.
  std::map<std::string, std::string> signed_headers = aws_headers;
  for (const auto& [key, value] : headers->entries()) {
    std::string lower(StringOr(&key));
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bool ignored = false;
    for (std::string_view h : kUnsignedHeaders) ignored = ignored || lower == h;
    if (!ignored) signed_headers[lower] = std::string(StringOr(&value));
  }

  std::string header_list;
  std::string canonical = Concat(method->string(), "\n", parsed.escaped_path, "\n",
                                 parsed.raw_query, "\n");
  for (const auto& [key, value] : signed_headers) {
    canonical.append(Concat(key, ":", value, "\n"));
    if (!header_list.empty()) header_list.push_back(';');
    header_list.append(key);
  }
  canonical.append(Concat("\n", header_list, "\n", payload_hash));

  std::string scope = Concat(date, "/", region, "/", service, "/aws4_request");
  std::string to_sign =
      Concat("AWS4-HMAC-SHA256\n", timestamp, "\n", scope, "\n", Sha256Hex(canonical));
  std::string key = Hmac(EVP_sha256(), Concat("AWS4", secret_key), date);
  key = Hmac(EVP_sha256(), key, region);
  key = Hmac(EVP_sha256(), key, service);
  key = Hmac(EVP_sha256(), key, "aws4_request");
  std::string signature = HexEncode(Hmac(EVP_sha256(), key, to_sign));

  // The returned headers: the request's own (string keys and values, as
  // OPA rebuilds them), then Authorization, then the AWS headers.
  std::map<std::string, std::string> out_headers;
  for (const auto& [k, v] : headers->entries()) {
    out_headers[std::string(StringOr(&k))] = std::string(StringOr(&v));
  }
  out_headers["Authorization"] =
      Concat("AWS4-HMAC-SHA256 Credential=", access_key, "/", scope,
             ",SignedHeaders=", header_list, ",Signature=", signature);
  for (const auto& [k, v] : aws_headers) out_headers[k] = v;

  std::vector<ObjectEntry> header_entries;
  for (auto& [k, v] : out_headers) {
    header_entries.emplace_back(Value::String(k), Value::String(v));
  }
  std::vector<ObjectEntry> entries = request.entries().ToVector();
  entries.emplace_back(Value::String("headers"), Value::Object(std::move(header_entries)));
  return ValueResult(Value::Object(std::move(entries)));
}

}  // namespace

void RegisterAwsBuiltins(BuiltinRegistry& registry) {
  registry.Add({.name = "providers.aws.sign_req", .arity = 3, .fn = SignRequest});
}

}  // namespace policyd
