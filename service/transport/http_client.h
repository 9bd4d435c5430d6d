// An HTTP/1.1 client for OPA's management protocols (bundle download,
// decision log and status upload) against one service: a base URL
// (http:// or https://), its headers, bearer token (given, or read from a
// file on every request so that a rotated token is picked up), client TLS
// and timeouts. One connection per request: management traffic is a request
// every few seconds, and a fresh connection never meets a half-closed one.
//
//   HttpClientOptions o;
//   o.url = "https://bundles.example.com/v1";
//   auto client = HttpClient::Create(o);
//   auto r = (*client)->Send({"GET", "bundles/authz.tar.gz"});
#ifndef POLICYD_SERVICE_TRANSPORT_HTTP_CLIENT_H_
#define POLICYD_SERVICE_TRANSPORT_HTTP_CLIENT_H_

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace policyd {

struct HttpClientOptions {
  std::string url;  // scheme://host[:port][/base path]
  std::vector<std::pair<std::string, std::string>> headers;
  // Authorization: Bearer <token>. `bearer_token_path` wins when set.
  std::string bearer_token;
  std::string bearer_token_path;
  std::string bearer_scheme = "Bearer";
  // Client TLS: a PEM certificate and key presented to the server, and the
  // CA bundle the server's certificate is checked against (the system's
  // roots when empty).
  std::string client_cert_file;
  std::string client_key_file;
  std::string ca_cert_file;
  // Skips verification of the server's certificate. Off unless asked for.
  bool allow_insecure_tls = false;
  // Connecting, sending and receiving the response headers must each finish
  // within this time (OPA's response_header_timeout_seconds).
  absl::Duration response_header_timeout = absl::Seconds(10);
  // Reading the body must finish within this time.
  absl::Duration body_timeout = absl::Seconds(60);
  // Responses with a larger body (after gzip decoding) are refused.
  size_t max_response_bytes = size_t{256} << 20;
};

struct HttpClientRequest {
  std::string method = "GET";
  // Appended to the URL's path with one "/" between.
  std::string resource;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Sends `body` gzip-compressed (Content-Encoding: gzip).
  bool gzip_body = false;
};

struct HttpClientResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // gzip already decoded
  // The first header named `name` (case-insensitive), or "".
  std::string Header(absl::string_view name) const;
};

class HttpClient {
 public:
  // Fails on a malformed URL or unreadable TLS files.
  static absl::StatusOr<std::unique_ptr<HttpClient>> Create(
      HttpClientOptions options);
  ~HttpClient();

  // Sends one request and returns the response, whatever its status.
  // Unavailable for connection failures, DeadlineExceeded for timeouts,
  // ResourceExhausted for an over-large response. Safe from several threads.
  absl::StatusOr<HttpClientResponse> Send(const HttpClientRequest& request) const;

  // scheme://host:port/path of `resource`, for messages.
  std::string UrlOf(absl::string_view resource) const;

 private:
  struct Impl;
  explicit HttpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace policyd

#endif  // POLICYD_SERVICE_TRANSPORT_HTTP_CLIENT_H_
