#include "service/transport/http_request_reader.h"

#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "util/gzip.h"

namespace policyd {
namespace {

namespace http = boost::beast::http;

absl::string_view SV(boost::beast::string_view s) {
  return absl::string_view(s.data(), s.size());
}

}  // namespace

absl::StatusOr<ReadRequest> ReadHttpRequest(
    http::request<http::string_body>& message, size_t max_body_bytes) {
  ReadRequest read;
  read.keep_alive = message.keep_alive();
  read.version = message.version();
  read.head = message.method() == http::verb::head;
  for (absl::string_view coding :
       absl::StrSplit(SV(message[http::field::accept_encoding]), ',')) {
    coding = absl::StripAsciiWhitespace(coding.substr(0, coding.find(';')));
    if (absl::EqualsIgnoreCase(coding, "gzip")) read.gzip_ok = true;
  }

  HttpRequest& request = read.request;
  request.method = read.head ? "GET" : std::string(SV(message.method_string()));
  absl::string_view target = SV(message.target());
  size_t q = target.find('?');
  request.path = std::string(target.substr(0, q));
  if (q != absl::string_view::npos) request.query = std::string(target.substr(q + 1));
  for (const auto& field : message) {
    request.headers.emplace_back(absl::AsciiStrToLower(SV(field.name_string())),
                                 std::string(SV(field.value())));
  }
  request.body = std::move(message.body());
  absl::string_view encoding =
      absl::StripAsciiWhitespace(SV(message[http::field::content_encoding]));
  if (absl::EqualsIgnoreCase(encoding, "gzip")) {
    absl::StatusOr<std::string> body = Gunzip(request.body, max_body_bytes);
    if (!body.ok()) {
      if (body.status().code() == absl::StatusCode::kResourceExhausted) {
        return absl::ResourceExhaustedError("request body too large");
      }
      return absl::InvalidArgumentError("malformed gzip body");
    }
    request.body = *std::move(body);
  } else if (!encoding.empty() && !absl::EqualsIgnoreCase(encoding, "identity")) {
    return absl::UnimplementedError("unsupported content encoding");
  }
  return read;
}

}  // namespace policyd
