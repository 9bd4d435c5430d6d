// The HTTP/1.1 server of the REST API, /health and /metrics, on Boost.Beast
// over Boost.Asio: TCP or a Unix socket, optional TLS / mutual TLS
// (asio::ssl on OpenSSL). Connections are served asynchronously by a few
// threads; a handler call runs where `HttpServerOptions::dispatch` puts it
// (a worker pool's evaluation slot), so a slow or idle client never holds a
// thread or a slot.
//
// What the server guarantees, whatever the client sends:
// - framing as RFC 9112 requires: a malformed request line or header,
//   `Content-Length` that is not one number (differing duplicates, a space
//   before the colon), `Content-Length` with `Transfer-Encoding`, any
//   transfer coding other than a final `chunked`, a chunk size that does not
//   fit: 400 (501 for an unknown transfer coding) and the connection closed;
// - limits: header bytes (431), body bytes, also after gzip decompression
//   (413), a deadline to read a whole request, an idle keep-alive timeout, a
//   send timeout, and a cap on connections beyond which the idle ones are
//   closed first and a new one, when none is idle, gets 503;
// - keep-alive and pipelining (answers in order), chunked bodies (trailers
//   read and dropped), `Expect: 100-continue` for HTTP/1.1, HEAD (a GET
//   without the body), a `Date` header, `Content-Encoding: gzip` request
//   bodies, gzip answers to clients that send `Accept-Encoding: gzip`.
#ifndef POLICYD_SERVICE_TRANSPORT_HTTP_SERVER_H_
#define POLICYD_SERVICE_TRANSPORT_HTTP_SERVER_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "service/transport/byte_budget.h"
#include "service/transport/listen_address.h"
#include "service/transport/tls_files.h"

namespace policyd {

struct HttpRequest {
  std::string method;  // HEAD is given to the handler as GET
  std::string path;    // without the query, percent-escapes kept
  std::string query;   // after '?', "" when none
  std::vector<std::pair<std::string, std::string>> headers;  // names lower case
  std::string body;    // decompressed when it came gzip-encoded
  absl::Time arrived;  // when its header was read

  // The first header named `name` (lower case); nullptr when absent.
  const std::string* Header(std::string_view name) const;
  // True when the query has parameter `name` (with or without a value).
  bool HasQueryParam(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  // Further headers ("Allow" of a 405, say).
  std::vector<std::pair<std::string, std::string>> headers;
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

struct HttpServerOptions {
  // Connections open at once; beyond it the idle ones are closed first,
  // and a new connection gets 503 when none is idle.
  int max_connections = 1024;
  size_t max_header_bytes = 64 << 10;  // request line and headers
  size_t max_body_bytes = 64 << 20;    // also after gzip decompression
  // Shared by every listener (may be null): a body that does not fit beside
  // those in flight gets 429 before it is read; its bytes count until the
  // answer is written.
  ByteBudget* bytes_in_flight = nullptr;
  // From a request's first byte to its last (slow senders are cut off).
  absl::Duration request_timeout = absl::Seconds(30);
  // A keep-alive connection waiting for its next request.
  absl::Duration idle_timeout = absl::Seconds(60);
  // Writing one answer (slow readers are cut off).
  absl::Duration send_timeout = absl::Seconds(30);
  unsigned unix_socket_mode = 0660;
  TlsFiles tls;
  int threads = 2;  // that run the connections' I/O
  // Runs a handler call: `task` calls the handler and sends its answer.
  // False when `task` cannot be taken (overloaded; it is dropped unrun):
  // the client gets 429. Unset: handlers run on the I/O threads.
  std::function<bool(const HttpRequest&, absl::AnyInvocable<void() &&>)>
      dispatch;
};

class HttpServer {
 public:
  // Binds and starts accepting. A Unix socket left over from an earlier run
  // is replaced; any other file at that path is an error.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(
      const ListenAddress& address, HttpHandler handler,
      HttpServerOptions options);
  ~HttpServer();  // Stop(absl::ZeroDuration())

  // The bound TCP port (useful with port 0); 0 for a Unix socket.
  int port() const;

  // Stops accepting and closes idle connections and those still sending a
  // request; requests being handled finish and are answered (with
  // `Connection: close`), for up to `grace`; then every connection is
  // closed. Returns when no handler call runs.
  void Stop(absl::Duration grace);

  class Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The reason phrase of an HTTP status code ("Not Found").
std::string_view HttpReason(int status);

}  // namespace policyd

#endif  // POLICYD_SERVICE_TRANSPORT_HTTP_SERVER_H_
