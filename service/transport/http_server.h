// A small HTTP/1.1 server for the REST API, /health and /metrics: one
// thread per connection (bounded), keep-alive, Content-Length and chunked
// request bodies, TCP or Unix socket, optional TLS / mutual TLS (OpenSSL).
// Handlers run on the connection's thread.
#ifndef POLICYD_SERVICE_TRANSPORT_HTTP_SERVER_H_
#define POLICYD_SERVICE_TRANSPORT_HTTP_SERVER_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "service/transport/byte_budget.h"
#include "service/transport/listen_address.h"
#include "service/transport/tls_files.h"

typedef struct ssl_ctx_st SSL_CTX;

namespace policyd {

struct HttpRequest {
  std::string method;
  std::string path;   // without the query, percent-escapes kept
  std::string query;  // after '?', "" when none
  std::vector<std::pair<std::string, std::string>> headers;  // names lower case
  std::string body;

  // The first header named `name` (lower case); nullptr when absent.
  const std::string* Header(std::string_view name) const;
  // True when the query has parameter `name` (with or without a value).
  bool HasQueryParam(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

struct HttpServerOptions {
  int max_connections = 1024;
  size_t max_body_bytes = 64 << 20;
  // Shared by every listener (may be null): bodies that do not fit beside
  // those in flight get 429 before they are read.
  ByteBudget* bytes_in_flight = nullptr;
  absl::Duration idle_timeout = absl::Seconds(60);
  unsigned unix_socket_mode = 0660;
  TlsFiles tls;
};

class HttpServer {
 public:
  // Binds and starts accepting. A Unix socket path left over from an
  // earlier run is replaced.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(
      const ListenAddress& address, HttpHandler handler,
      HttpServerOptions options);
  ~HttpServer();  // Stop(absl::ZeroDuration())

  // The bound TCP port (useful with port 0); 0 for a Unix socket.
  int port() const { return port_; }

  // Stops accepting and closes idle connections; requests being handled
  // finish and are answered, for up to `grace`.
  void Stop(absl::Duration grace);

 private:
  HttpServer(int listen_fd, int port, std::string unix_path, HttpHandler handler,
             HttpServerOptions options, SSL_CTX* tls);
  void AcceptLoop();
  void Serve(int fd);

  const int listen_fd_;
  const int port_;
  const std::string unix_path_;
  const HttpHandler handler_;
  const HttpServerOptions options_;
  SSL_CTX* const tls_;
  int wake_fds_[2] = {-1, -1};
  std::thread acceptor_;

  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  absl::flat_hash_set<int> connections_ ABSL_GUARDED_BY(mu_);
  int threads_ ABSL_GUARDED_BY(mu_) = 0;
};

// The reason phrase of an HTTP status code ("Not Found").
std::string_view HttpReason(int status);

}  // namespace policyd

#endif  // POLICYD_SERVICE_TRANSPORT_HTTP_SERVER_H_
