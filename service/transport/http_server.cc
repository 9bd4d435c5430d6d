#include "service/transport/http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "util/status_macros.h"

namespace policyd {
namespace {

constexpr size_t kMaxHeadBytes = 64 << 10;

absl::Status Errno(absl::string_view what) {
  return absl::UnavailableError(absl::StrCat(what, ": ", std::strerror(errno)));
}

std::string TlsError() {
  unsigned long e = ERR_get_error();
  char buf[256];
  ERR_error_string_n(e, buf, sizeof(buf));
  return buf;
}

absl::StatusOr<SSL_CTX*> MakeTlsContext(const TlsFiles& files) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr) return absl::InternalError("TLS: " + TlsError());
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  if (SSL_CTX_use_certificate_chain_file(ctx, files.cert_file.c_str()) != 1) {
    std::string e = TlsError();
    SSL_CTX_free(ctx);
    return absl::InvalidArgumentError(
        absl::StrCat("TLS certificate ", files.cert_file, ": ", e));
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, files.key_file.c_str(),
                                  SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_check_private_key(ctx) != 1) {
    std::string e = TlsError();
    SSL_CTX_free(ctx);
    return absl::InvalidArgumentError(
        absl::StrCat("TLS key ", files.key_file, ": ", e));
  }
  if (!files.client_ca_file.empty()) {
    if (SSL_CTX_load_verify_locations(ctx, files.client_ca_file.c_str(),
                                      nullptr) != 1) {
      std::string e = TlsError();
      SSL_CTX_free(ctx);
      return absl::InvalidArgumentError(
          absl::StrCat("TLS client CA ", files.client_ca_file, ": ", e));
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                       nullptr);
  }
  return ctx;
}

// One connection's byte stream, plain or TLS.
class Stream {
 public:
  Stream(int fd, SSL* ssl) : fd_(fd), ssl_(ssl) {}
  ~Stream() {
    if (ssl_ != nullptr) {
      SSL_shutdown(ssl_);
      SSL_free(ssl_);
    }
  }
  // Appends what arrives to `buf`; false on EOF, error or idle timeout.
  bool ReadMore(std::string* buf) {
    char chunk[16384];
    ssize_t n;
    if (ssl_ != nullptr) {
      n = SSL_read(ssl_, chunk, sizeof(chunk));
    } else {
      do {
        n = ::read(fd_, chunk, sizeof(chunk));
      } while (n < 0 && errno == EINTR);
    }
    if (n <= 0) return false;
    buf->append(chunk, n);
    return true;
  }
  bool Write(std::string_view data) {
    while (!data.empty()) {
      ssize_t n;
      if (ssl_ != nullptr) {
        n = SSL_write(ssl_, data.data(), static_cast<int>(data.size()));
      } else {
        n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
      }
      if (n <= 0) return false;
      data.remove_prefix(n);
    }
    return true;
  }

 private:
  int fd_;
  SSL* ssl_;
};

struct ParsedHead {
  HttpRequest request;
  bool keep_alive = true;
  bool chunked = false;
  bool expect_continue = false;
  size_t content_length = 0;
};

// Parses the request line and headers (without the blank line); 0 or the
// HTTP status to answer with.
int ParseHead(absl::string_view head, ParsedHead* out) {
  std::vector<absl::string_view> lines = absl::StrSplit(head, "\r\n");
  if (lines.empty()) return 400;
  std::vector<absl::string_view> parts = absl::StrSplit(lines[0], ' ');
  if (parts.size() != 3 || parts[0].empty() || parts[1].empty()) return 400;
  if (parts[2] != "HTTP/1.1" && parts[2] != "HTTP/1.0") return 505;
  HttpRequest& r = out->request;
  r.method = std::string(parts[0]);
  absl::string_view target = parts[1];
  size_t q = target.find('?');
  r.path = std::string(target.substr(0, q));
  if (q != absl::string_view::npos) r.query = std::string(target.substr(q + 1));
  out->keep_alive = parts[2] == "HTTP/1.1";
  for (size_t i = 1; i < lines.size(); ++i) {
    size_t colon = lines[i].find(':');
    if (colon == absl::string_view::npos || colon == 0) return 400;
    std::string name = absl::AsciiStrToLower(lines[i].substr(0, colon));
    std::string value =
        std::string(absl::StripAsciiWhitespace(lines[i].substr(colon + 1)));
    if (name == "content-length") {
      if (!absl::SimpleAtoi(value, &out->content_length)) return 400;
    } else if (name == "transfer-encoding") {
      if (absl::AsciiStrToLower(value) != "chunked") return 501;
      out->chunked = true;
    } else if (name == "connection") {
      std::string v = absl::AsciiStrToLower(value);
      if (v == "close") out->keep_alive = false;
      if (v == "keep-alive") out->keep_alive = true;
    } else if (name == "expect") {
      out->expect_continue = absl::AsciiStrToLower(value) == "100-continue";
    }
    r.headers.emplace_back(std::move(name), std::move(value));
  }
  return 0;
}

std::string Serialize(const HttpResponse& response, bool keep_alive) {
  return absl::StrCat("HTTP/1.1 ", response.status, " ",
                      std::string(HttpReason(response.status)),
                      "\r\nContent-Type: ", response.content_type,
                      "\r\nContent-Length: ", response.body.size(),
                      keep_alive ? "\r\n" : "\r\nConnection: close\r\n", "\r\n",
                      response.body);
}

HttpResponse ErrorResponse(int status, absl::string_view message) {
  HttpResponse r;
  r.status = status;
  r.body = absl::StrCat("{\"code\":\"invalid_parameter\",\"message\":\"",
                        message, "\"}\n");
  return r;
}

}  // namespace

std::string_view HttpReason(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 204: return "No Content";
    case 207: return "Multi-Status";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Payload Too Large";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
  }
  return "Unknown";
}

const std::string* HttpRequest::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return &v;
  }
  return nullptr;
}

bool HttpRequest::HasQueryParam(std::string_view name) const {
  for (absl::string_view param : absl::StrSplit(query, '&')) {
    absl::string_view key = param.substr(0, param.find('='));
    if (key.size() == name.size() &&
        std::memcmp(key.data(), name.data(), name.size()) == 0) {
      return true;
    }
  }
  return false;
}

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(
    const ListenAddress& address, HttpHandler handler,
    HttpServerOptions options) {
  SSL_CTX* tls = nullptr;
  if (options.tls.enabled()) {
    POLICYD_ASSIGN_OR_RETURN(SSL_CTX* ctx, MakeTlsContext(options.tls));
    tls = ctx;
  }
  int fd = -1;
  int port = 0;
  if (address.is_unix) {
    sockaddr_un sun{};
    sun.sun_family = AF_UNIX;
    if (address.path.size() >= sizeof(sun.sun_path)) {
      return absl::InvalidArgumentError(
          absl::StrCat("Unix socket path too long: ", address.path));
    }
    std::memcpy(sun.sun_path, address.path.c_str(), address.path.size() + 1);
    fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return Errno("socket");
    ::unlink(address.path.c_str());
    if (::bind(fd, reinterpret_cast<sockaddr*>(&sun), sizeof(sun)) < 0) {
      absl::Status s = Errno(absl::StrCat("bind ", address.ToString()));
      ::close(fd);
      return s;
    }
    ::chmod(address.path.c_str(), options.unix_socket_mode);
  } else {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* res = nullptr;
    std::string service = absl::StrCat(address.port);
    int rc = ::getaddrinfo(address.host.empty() ? nullptr : address.host.c_str(),
                           service.c_str(), &hints, &res);
    if (rc != 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "address ", address.ToString(), ": ", gai_strerror(rc)));
    }
    absl::Status last = absl::UnavailableError("no address");
    for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
      fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
                    ai->ai_protocol);
      if (fd < 0) continue;
      int one = 1;
      ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
      if (::bind(fd, ai->ai_addr, ai->ai_addrlen) == 0) break;
      last = Errno(absl::StrCat("bind ", address.ToString()));
      ::close(fd);
      fd = -1;
    }
    ::freeaddrinfo(res);
    if (fd < 0) return last;
    sockaddr_storage bound{};
    socklen_t len = sizeof(bound);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len);
    port = bound.ss_family == AF_INET6
               ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
               : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  }
  if (::listen(fd, 512) < 0) {
    absl::Status s = Errno("listen");
    ::close(fd);
    return s;
  }
  return std::unique_ptr<HttpServer>(
      new HttpServer(fd, port, address.is_unix ? address.path : "",
                     std::move(handler), std::move(options), tls));
}

HttpServer::HttpServer(int listen_fd, int port, std::string unix_path,
                       HttpHandler handler, HttpServerOptions options,
                       SSL_CTX* tls)
    : listen_fd_(listen_fd),
      port_(port),
      unix_path_(std::move(unix_path)),
      handler_(std::move(handler)),
      options_(std::move(options)),
      tls_(tls) {
  if (::pipe2(wake_fds_, O_CLOEXEC) != 0) wake_fds_[0] = wake_fds_[1] = -1;
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

HttpServer::~HttpServer() {
  Stop(absl::ZeroDuration());
  if (tls_ != nullptr) SSL_CTX_free(tls_);
}

void HttpServer::AcceptLoop() {
  while (true) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_fds_[0], POLLIN, 0}};
    int n = ::poll(fds, wake_fds_[0] >= 0 ? 2 : 1, 1000);
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
    }
    if (n <= 0 || !(fds[0].revents & POLLIN)) continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    absl::MutexLock lock(&mu_);
    if (stopping_ || threads_ >= options_.max_connections) {
      ::close(fd);
      continue;
    }
    ++threads_;
    connections_.insert(fd);
    std::thread([this, fd] { Serve(fd); }).detach();
  }
}

void HttpServer::Serve(int fd) {
  timeval timeout = absl::ToTimeval(options_.idle_timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  if (unix_path_.empty()) {
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  }
  SSL* ssl = nullptr;
  bool ok = true;
  if (tls_ != nullptr) {
    ssl = SSL_new(tls_);
    SSL_set_fd(ssl, fd);
    ok = SSL_accept(ssl) == 1;
  }
  {
    Stream stream(fd, ssl);
    std::string buf;
    while (ok) {
      size_t end;
      while ((end = buf.find("\r\n\r\n")) == std::string::npos) {
        if (buf.size() > kMaxHeadBytes) {
          stream.Write(Serialize(ErrorResponse(431, "request head too large"), false));
          ok = false;
          break;
        }
        if (!stream.ReadMore(&buf)) {
          ok = false;
          break;
        }
      }
      if (!ok) break;
      ParsedHead head;
      int status = ParseHead(absl::string_view(buf).substr(0, end), &head);
      buf.erase(0, end + 4);
      if (status != 0) {
        stream.Write(Serialize(ErrorResponse(status, "malformed request"), false));
        break;
      }
      if (head.expect_continue) stream.Write("HTTP/1.1 100 Continue\r\n\r\n");
      std::string& body = head.request.body;
      if (head.chunked) {
        // size CRLF data CRLF ... 0 CRLF CRLF (trailers ignored)
        while (ok) {
          size_t line_end;
          while ((line_end = buf.find("\r\n")) == std::string::npos) {
            if (!stream.ReadMore(&buf)) ok = false;
            if (!ok) break;
          }
          if (!ok) break;
          size_t size = 0;
          std::string size_text = buf.substr(0, buf.find_first_of(";\r"));
          if (!absl::SimpleHexAtoi(size_text, &size) ||
              body.size() + size > options_.max_body_bytes) {
            ok = false;
            break;
          }
          while (buf.size() < line_end + 2 + size + 2) {
            if (!stream.ReadMore(&buf)) {
              ok = false;
              break;
            }
          }
          if (!ok) break;
          body.append(buf, line_end + 2, size);
          buf.erase(0, line_end + 2 + size + 2);
          if (size == 0) break;
        }
        if (!ok) break;
      } else {
        if (head.content_length > options_.max_body_bytes) {
          stream.Write(Serialize(ErrorResponse(413, "request body too large"), false));
          break;
        }
        while (buf.size() < head.content_length) {
          if (!stream.ReadMore(&buf)) {
            ok = false;
            break;
          }
        }
        if (!ok) break;
        body = buf.substr(0, head.content_length);
        buf.erase(0, head.content_length);
      }
      HttpResponse response = handler_(head.request);
      bool keep_alive = head.keep_alive;
      {
        absl::MutexLock lock(&mu_);
        if (stopping_) keep_alive = false;
      }
      if (!stream.Write(Serialize(response, keep_alive)) || !keep_alive) break;
    }
  }
  absl::MutexLock lock(&mu_);
  connections_.erase(fd);
  ::close(fd);
  --threads_;
}

void HttpServer::Stop(absl::Duration grace) {
  {
    absl::MutexLock lock(&mu_);
    if (stopped_) return;
    stopped_ = true;
    stopping_ = true;
  }
  if (wake_fds_[1] >= 0) {
    char c = 0;
    (void)!::write(wake_fds_[1], &c, 1);
  }
  if (acceptor_.joinable()) acceptor_.join();
  ::close(listen_fd_);
  if (!unix_path_.empty()) ::unlink(unix_path_.c_str());
  absl::MutexLock lock(&mu_);
  // Idle connections see end-of-input at once; busy ones still answer.
  for (int fd : connections_) ::shutdown(fd, SHUT_RD);
  auto idle = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return threads_ == 0;
  };
  if (!mu_.AwaitWithTimeout(absl::Condition(&idle), grace)) {
    for (int fd : connections_) ::shutdown(fd, SHUT_RDWR);
    mu_.Await(absl::Condition(&idle));
  }
  for (int fd : wake_fds_) {
    if (fd >= 0) ::close(fd);
  }
}

}  // namespace policyd
