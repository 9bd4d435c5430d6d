#include "service/transport/http_server.h"

#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <ctime>
#include <future>
#include <list>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "service/transport/http_request_reader.h"
#include "util/gzip.h"

namespace policyd {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using local = asio::local::stream_protocol;
using ErrorCode = boost::system::error_code;

// Answers shorter than this are sent uncompressed even to clients that
// accept gzip (OPA's default threshold).
constexpr size_t kGzipMinBytes = 1024;
// Bytes asked for when waiting for the first byte of a request.
constexpr size_t kFirstReadBytes = 4096;
// How long accept waits before trying again when out of file descriptors.
constexpr auto kAcceptBackoff = std::chrono::milliseconds(100);
// After the grace period, how long closed connections get to wind down.
constexpr absl::Duration kCloseWait = absl::Seconds(1);

std::chrono::steady_clock::duration ToChrono(absl::Duration d) {
  // basic_stream adds the duration to now(): keep far below overflow.
  d = std::min(d, absl::Hours(24 * 365));
  return std::chrono::nanoseconds(absl::ToInt64Nanoseconds(d));
}

// The Date header's value (RFC 9110 IMF-fixdate), formatted once a second
// per thread.
const std::string& DateNow() {
  thread_local std::time_t cached_second = 0;
  thread_local std::string cached;
  std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    std::tm tm;
    gmtime_r(&now, &tm);
    char buf[64];
    size_t n = std::strftime(buf, sizeof(buf), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cached.assign(buf, n);
    cached_second = now;
  }
  return cached;
}

HttpResponse ErrorResponse(int status, absl::string_view code,
                           absl::string_view message) {
  HttpResponse r;
  r.status = status;
  r.body = absl::StrCat("{\"code\":\"", code, "\",\"message\":\"", message,
                        "\"}\n");
  return r;
}

// The status of an answer to a request that could not be read; 0 when the
// client is gone or timed out (nothing can be sent).
int StatusForReadError(const ErrorCode& ec) {
  if (ec == http::error::end_of_stream || ec == asio::error::eof ||
      ec == beast::error::timeout || ec == asio::error::operation_aborted ||
      ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
      ec == asio::ssl::error::stream_truncated) {
    return 0;
  }
  if (ec == http::error::header_limit) return 431;
  if (ec == http::error::body_limit) return 413;
  if (ec == http::error::bad_version) return 505;
  return 400;
}

// Streams bound to their io_context's own executor type rather than Asio's
// type-erased one, which cost about 1 k instructions per request.
using Executor = asio::io_context::executor_type;
template <typename Protocol>
using PlainStream = beast::basic_stream<Protocol, Executor>;
template <typename Protocol>
using TlsStream = beast::ssl_stream<PlainStream<Protocol>>;

template <typename Stream>
constexpr bool kIsTls = !std::is_same_v<Stream, PlainStream<tcp>> &&
                        !std::is_same_v<Stream, PlainStream<local>>;

// Beast's string_view (Boost's) as the standard one.
absl::string_view SV(beast::string_view s) { return {s.data(), s.size()}; }

}  // namespace

namespace http_server_internal {

// What the server's connection table knows of a connection.
class Connection {
 public:
  virtual ~Connection() = default;
  enum class CloseIf {
    kIdle,           // waiting for a request's first byte, none arrived
    kNotAnswering,   // not running a handler or writing its answer
    kAlways,
  };
  // Closes the connection on its own thread when, by then, it is in the
  // state `when` names.
  virtual void Close(CloseIf when) = 0;

  // Waiting for a request's first byte; cleared by the table when it picks
  // the connection to be shed, so that no two admissions pick the same one.
  std::atomic<bool> idle{false};
  std::atomic<bool> answering{false};  // a handler runs or its answer is written
  std::list<Connection*>::iterator entry;  // in HttpServer::Impl's table
};

}  // namespace http_server_internal

using http_server_internal::Connection;

class HttpServer::Impl {
 public:
  Impl(HttpHandler handler, HttpServerOptions options)
      : handler_(std::move(handler)),
        options_(std::move(options)),
        accept_context_(1),
        accept_retry_(accept_context_) {
    for (int i = 0; i < std::max(1, options_.threads); ++i) {
      io_threads_.push_back(std::make_unique<IoThread>());
    }
  }

  absl::Status Listen(const ListenAddress& address);
  void Run();
  void Stop(absl::Duration grace);
  int port() const { return port_; }

  const HttpHandler& handler() const { return handler_; }
  const HttpServerOptions& options() const { return options_; }
  bool stopping() const { return stopping_.load(); }

  // Connection table. Admit: room for one more, after shedding an idle
  // connection if the table is full; false when none is idle. (A connection
  // picked for shedding whose request turns out to be arriving stays, so
  // the table may pass the cap by the few admitted meanwhile.)
  bool Admit();
  void Register(Connection* c);
  void Forget(Connection* c);
  // Handler calls in flight (a session waits for one), by the I/O thread
  // whose connection made them.
  void CallStarted(int io_thread);
  void CallEnded(int io_thread);

 private:
  template <typename Protocol>
  void Accept(typename Protocol::acceptor* acceptor);
  // The I/O thread for a new connection: the next in turn that runs no
  // handler call (an evaluation may run inline on it), else the next.
  int PickIoThread();
  template <typename Stream, typename Socket>
  void StartSession(Socket socket, int io_thread, bool reject);
  void CloseOneIdle();

  const HttpHandler handler_;
  const HttpServerOptions options_;
  std::optional<asio::ssl::context> tls_;
  int port_ = 0;
  std::string unix_path_;
  std::atomic<bool> stopping_{false};

  std::mutex mu_;
  std::condition_variable changed_;
  std::list<Connection*> connections_;  // guarded by mu_
  int calls_ = 0;                       // guarded by mu_
  bool stopped_ = false;                // guarded by mu_

  // One I/O context per thread, each connection on one of them, so that a
  // connection's steps never wake or wait for another thread. Accepting has
  // a thread of its own: an evaluation run inline on an I/O thread (see
  // HttpServerOptions::dispatch) must not hold up new connections.
  // Destroyed before the table above: sessions still queued in them forget
  // themselves when they go.
  struct IoThread {
    asio::io_context context{1};
    std::atomic<int> calls{0};  // handler calls of its connections
  };
  std::vector<std::unique_ptr<IoThread>> io_threads_;
  asio::io_context accept_context_;
  size_t next_io_thread_ = 0;  // used by the acceptor only
  std::optional<tcp::acceptor> tcp_acceptor_;
  std::optional<local::acceptor> unix_acceptor_;
  asio::steady_timer accept_retry_;
  std::vector<asio::executor_work_guard<Executor>> work_;
  std::vector<std::thread> threads_;
};

namespace {

// One connection: reads a request, has it handled, writes the answer, and
// again while the connection is kept alive. Every step runs on the
// connection's thread; `self` keeps it alive across steps.
template <typename Stream>
class Session : public Connection,
                public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(HttpServer::Impl* server, Stream stream, int io_thread, bool reject)
      : server_(server),
        stream_(std::move(stream)),
        io_thread_(io_thread),
        reject_(reject) {
    server_->Register(this);
  }
  ~Session() override {
    ReleaseBytes();
    server_->Forget(this);
  }

  void Run() {
    if constexpr (kIsTls<Stream>) {
      Expire(server_->options().request_timeout);
      stream_.async_handshake(asio::ssl::stream_base::server,
                              [self = this->shared_from_this()](ErrorCode ec) {
                                if (ec) return self->Shutdown();
                                self->Begin();
                              });
    } else {
      Begin();
    }
  }

  void Close(CloseIf when) override {
    // Called under the table's lock, so possibly while the last owner
    // is destroying this session (waiting for the lock to forget it).
    std::shared_ptr<Session> self = this->weak_from_this().lock();
    if (self == nullptr) return;
    asio::post(stream_.get_executor(),
               [self = std::move(self), when] {
                 if (when == CloseIf::kIdle) return self->Shed();
                 if (when == CloseIf::kNotAnswering && self->answering.load()) return;
                 self->Shutdown();
               });
  }

 private:
  auto& Socket() { return beast::get_lowest_layer(stream_); }

  // Closes the connection if it is still waiting for a request that has
  // not begun to arrive. Bytes may have been read but their handler not yet
  // run, so the wait is cancelled and its handler decides.
  void Shed() {
    if (!waiting_) return;
    shed_ = true;
    Socket().cancel();
  }
  void Expire(absl::Duration d) { Socket().expires_after(ToChrono(d)); }

  void Begin() {
    if (reject_) {
      Send(ErrorResponse(503, "unavailable", "too many connections"), false);
      return;
    }
    WaitForRequest();
  }

  // Between requests: pipelined bytes are read at once; otherwise the
  // connection is idle (and may be shed) until a first byte arrives.
  void WaitForRequest() {
    if (buffer_.size() > 0) return ReadHeader();
    waiting_ = true;
    idle.store(true);
    // Stop() sets stopping before it closes the idle connections, this
    // checks after marking itself idle: one of the two sees the other.
    if (server_->stopping()) return Shutdown();
    Expire(server_->options().idle_timeout);
    stream_.async_read_some(
        buffer_.prepare(kFirstReadBytes),
        [self = this->shared_from_this()](ErrorCode ec, size_t n) {
          self->waiting_ = false;
          self->idle.store(false);
          if (std::exchange(self->shed_, false) &&
              ec == asio::error::operation_aborted && !self->server_->stopping()) {
            ErrorCode ignored;
            if (self->Socket().socket().available(ignored) > 0) {
              return self->WaitForRequest();  // a request is arriving: stay
            }
          }
          if (ec) return self->Shutdown();
          self->buffer_.commit(n);
          self->ReadHeader();
        });
  }

  void ReadHeader() {
    const HttpServerOptions& options = server_->options();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(
        std::min<size_t>(options.max_header_bytes, UINT32_MAX)));
    parser_->body_limit(options.max_body_bytes);
    // One deadline for the whole request, header and body.
    Expire(options.request_timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](ErrorCode ec, size_t) {
          self->OnHeader(ec);
        });
  }

  void OnHeader(ErrorCode ec) {
    if (ec) return Fail(ec);
    arrived_ = absl::Now();
    const auto& header = parser_->get();
    if (header.version() != 10 && header.version() != 11) {
      return Send(ErrorResponse(505, "invalid_parameter",
                                "HTTP version not supported"),
                  false);
    }
    // Beast frames a request by a final `chunked` only. Any other transfer
    // coding leaves the body's length unknown: 400 when `chunked` is not
    // last (RFC 9112 6.3), 501 for a coding before it that is not supported.
    if (header.count(http::field::transfer_encoding) > 0) {
      bool only_chunked =
          header.count(http::field::transfer_encoding) == 1 &&
          absl::EqualsIgnoreCase(
              absl::StripAsciiWhitespace(SV(header[http::field::transfer_encoding])),
              "chunked");
      if (!only_chunked) {
        return parser_->chunked()
                   ? Send(ErrorResponse(501, "invalid_parameter",
                                        "unsupported transfer coding"),
                          false)
                   : Send(ErrorResponse(400, "invalid_parameter",
                                        "the last transfer coding must be chunked"),
                          false);
      }
    }
    if (auto length = parser_->content_length();
        length && *length <= server_->options().max_body_bytes &&
        !ReserveBytes(*length)) {
      return Send(BytesInFlightExceeded(), false);
    }
    if (header.version() == 11 &&
        absl::EqualsIgnoreCase(SV(header[http::field::expect]),
                               "100-continue") &&
        !parser_->is_done()) {
      static constexpr std::string_view kContinue =
          "HTTP/1.1 100 Continue\r\n\r\n";
      asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                        [self = this->shared_from_this()](ErrorCode ec, size_t) {
                          if (ec) return self->Shutdown();
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](ErrorCode ec, size_t) {
                       self->OnRequest(ec);
                     });
  }

  void OnRequest(ErrorCode ec) {
    if (ec) return Fail(ec);
    Socket().expires_never();
    http::request<http::string_body> message = parser_->release();
    parser_.reset();
    absl::StatusOr<ReadRequest> read =
        ReadHttpRequest(message, server_->options().max_body_bytes);
    if (!read.ok()) {
      version_ = message.version();
      head_ = message.method() == http::verb::head;
      int status = read.status().code() == absl::StatusCode::kResourceExhausted ? 413
                   : read.status().code() == absl::StatusCode::kUnimplemented   ? 415
                                                                                : 400;
      // After a 415 the framing is intact: the connection may go on.
      return Send(ErrorResponse(status, "invalid_parameter",
                                std::string(read.status().message())),
                  status == 415 && message.keep_alive());
    }
    keep_alive_ = read->keep_alive;
    version_ = read->version;
    head_ = read->head;
    gzip_ok_ = read->gzip_ok;
    request_ = std::move(read->request);
    request_.arrived = arrived_;
    // A chunked body's size, and a gzipped body's growth, are known only now.
    if (request_.body.size() > reserved_bytes_ &&
        !ReserveBytes(request_.body.size() - reserved_bytes_)) {
      return Send(BytesInFlightExceeded(), false);
    }
    Dispatch();
  }

  static HttpResponse BytesInFlightExceeded() {
    return ErrorResponse(429, "too_many_requests",
                         "too many request bytes in flight; retry later");
  }

  // Counts `bytes` more of this request against the shared budget.
  bool ReserveBytes(std::uint64_t bytes) {
    ByteBudget* budget = server_->options().bytes_in_flight;
    if (budget == nullptr || bytes == 0) return true;
    if (!budget->TryReserve(bytes)) return false;
    reserved_bytes_ += bytes;
    return true;
  }
  void ReleaseBytes() {
    if (reserved_bytes_ == 0) return;
    server_->options().bytes_in_flight->Release(reserved_bytes_);
    reserved_bytes_ = 0;
  }

  void Dispatch() {
    answering.store(true);
    server_->CallStarted(io_thread_);
    auto task = [self = this->shared_from_this()]() mutable {
      HttpResponse response = self->server_->handler()(self->request_);
      HttpServer::Impl* server = self->server_;
      Session* session = self.get();
      // `session` may be gone once its answer is handed over.
      const int io_thread = session->io_thread_;
      // Runs at once when the handler ran on the connection's own thread.
      asio::dispatch(session->stream_.get_executor(),
                 [self = std::move(self), response = std::move(response)]() mutable {
                   self->Send(std::move(response), self->keep_alive_);
                 });
      server->CallEnded(io_thread);
    };
    const auto& dispatch = server_->options().dispatch;
    if (!dispatch) {
      task();
      return;
    }
    if (!dispatch(request_, std::move(task))) {
      server_->CallEnded(io_thread_);
      Send(ErrorResponse(429, "too_many_requests",
                         "too many decisions in flight; retry later"),
           keep_alive_);
    }
  }

  // Writes the answer: a head of our own (the fields are few and known,
  // and Beast's serializer cost about 12 k instructions per answer, a
  // fifth of a REST decision) and the body, in one gathered write.
  void Send(HttpResponse response, bool keep_alive) {
    answering.store(true);
    keep_alive = keep_alive && !server_->stopping();
    if (gzip_ok_ && response.body.size() >= kGzipMinBytes) {
      response.body = Gzip(response.body);
      response.headers.emplace_back("Content-Encoding", "gzip");
      response.headers.emplace_back("Vary", "Accept-Encoding");
    }
    body_ = head_ ? std::string() : std::move(response.body);
    out_head_.clear();
    std::string_view reason = HttpReason(response.status);
    absl::StrAppend(&out_head_, version_ == 10 ? "HTTP/1.0 " : "HTTP/1.1 ",
                    response.status, " ",
                    absl::string_view(reason.data(), reason.size()),
                    "\r\nDate: ", DateNow());
    if (!response.content_type.empty()) {
      absl::StrAppend(&out_head_, "\r\nContent-Type: ", response.content_type);
    }
    for (const auto& [name, value] : response.headers) {
      // A field that would break the head's framing is dropped.
      if (name.find_first_of(":\r\n") != std::string::npos ||
          value.find_first_of("\r\n") != std::string::npos) {
        continue;
      }
      absl::StrAppend(&out_head_, "\r\n", name, ": ", value);
    }
    absl::StrAppend(&out_head_, "\r\nContent-Length: ",
                    head_ ? response.body.size() : body_.size(),
                    !keep_alive        ? "\r\nConnection: close\r\n\r\n"
                    : version_ == 10 ? "\r\nConnection: keep-alive\r\n\r\n"
                                       : "\r\n\r\n");
    Expire(server_->options().send_timeout);
    std::array<asio::const_buffer, 2> buffers = {asio::buffer(out_head_),
                                                 asio::buffer(body_)};
    asio::async_write(
        stream_, buffers,
        [self = this->shared_from_this(), keep_alive](ErrorCode ec, size_t) {
          self->body_.clear();
          self->request_.body = std::string();
          self->ReleaseBytes();
          self->answering.store(false);
          if (ec || !keep_alive) return self->Shutdown();
          self->head_ = false;
          self->gzip_ok_ = false;
          self->WaitForRequest();
        });
  }

  // A request that could not be read: answered 4xx when the client can
  // still hear it, and the connection closed (its framing is lost).
  void Fail(ErrorCode ec) {
    int status = StatusForReadError(ec);
    if (status == 0) return Shutdown();
    std::string message = status == 431   ? "request header too large"
                          : status == 413 ? "request body too large"
                          : status == 505 ? "HTTP version not supported"
                                          : "malformed request: " + ec.message();
    Send(ErrorResponse(status, "invalid_parameter", message), false);
  }

  void Shutdown() {
    if (closed_) return;
    closed_ = true;
    ErrorCode ignored;
    Socket().socket().shutdown(asio::socket_base::shutdown_both, ignored);
    Socket().close();
  }

  HttpServer::Impl* const server_;
  Stream stream_;
  const int io_thread_;  // in server_'s
  const bool reject_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string out_head_;  // of the answer being written
  std::string body_;      // of the answer being written
  HttpRequest request_;
  absl::Time arrived_;
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool head_ = false;
  bool gzip_ok_ = false;
  bool closed_ = false;
  bool waiting_ = false;  // for a request's first byte (`idle`, as this thread sees it)
  bool shed_ = false;     // the wait was cancelled to shed the connection
  size_t reserved_bytes_ = 0;  // of the shared budget, by this request
};

absl::StatusOr<asio::ssl::context> MakeTlsContext(const TlsFiles& files) {
  asio::ssl::context ctx(asio::ssl::context::tls_server);
  ctx.set_options(asio::ssl::context::default_workarounds |
                  asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                  asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
  ErrorCode ec;
  ctx.use_certificate_chain_file(files.cert_file, ec);
  if (ec) {
    return absl::InvalidArgumentError(
        absl::StrCat("TLS certificate ", files.cert_file, ": ", ec.message()));
  }
  ctx.use_private_key_file(files.key_file, asio::ssl::context::pem, ec);
  if (ec || SSL_CTX_check_private_key(ctx.native_handle()) != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "TLS key ", files.key_file, ": ",
        ec ? ec.message() : "does not match the certificate"));
  }
  if (!files.client_ca_file.empty()) {
    ctx.load_verify_file(files.client_ca_file, ec);
    if (ec) {
      return absl::InvalidArgumentError(absl::StrCat(
          "TLS client CA ", files.client_ca_file, ": ", ec.message()));
    }
    ctx.set_verify_mode(asio::ssl::verify_peer |
                        asio::ssl::verify_fail_if_no_peer_cert);
  }
  return ctx;
}

}  // namespace

absl::Status HttpServer::Impl::Listen(const ListenAddress& address) {
  if (options_.tls.enabled()) {
    absl::StatusOr<asio::ssl::context> ctx = MakeTlsContext(options_.tls);
    if (!ctx.ok()) return ctx.status();
    tls_.emplace(*std::move(ctx));
  }
  ErrorCode ec;
  if (address.is_unix) {
    struct stat st;
    if (::lstat(address.path.c_str(), &st) == 0) {
      if (!S_ISSOCK(st.st_mode)) {
        return absl::FailedPreconditionError(absl::StrCat(
            "bind ", address.ToString(), ": the path exists and is not a socket"));
      }
      ::unlink(address.path.c_str());
    }
    unix_acceptor_.emplace(accept_context_);
    unix_acceptor_->open(local(), ec);
    if (!ec) unix_acceptor_->bind(local::endpoint(address.path), ec);
    if (ec) {
      return absl::UnavailableError(
          absl::StrCat("bind ", address.ToString(), ": ", ec.message()));
    }
    unix_path_ = address.path;
    ::chmod(address.path.c_str(), options_.unix_socket_mode);
    unix_acceptor_->listen(asio::socket_base::max_listen_connections, ec);
  } else {
    tcp::resolver resolver(accept_context_);
    auto endpoints = resolver.resolve(
        address.host, std::to_string(address.port),
        tcp::resolver::passive | tcp::resolver::numeric_service, ec);
    if (ec) {
      return absl::InvalidArgumentError(
          absl::StrCat("address ", address.ToString(), ": ", ec.message()));
    }
    absl::Status last = absl::UnavailableError(
        absl::StrCat("bind ", address.ToString(), ": no address"));
    for (const auto& entry : endpoints) {
      tcp::acceptor acceptor(accept_context_);
      acceptor.open(entry.endpoint().protocol(), ec);
      if (ec) continue;
      acceptor.set_option(asio::socket_base::reuse_address(true), ec);
      acceptor.bind(entry.endpoint(), ec);
      if (ec) {
        last = absl::UnavailableError(
            absl::StrCat("bind ", address.ToString(), ": ", ec.message()));
        continue;
      }
      tcp_acceptor_.emplace(std::move(acceptor));
      break;
    }
    if (!tcp_acceptor_.has_value()) return last;
    port_ = tcp_acceptor_->local_endpoint().port();
    tcp_acceptor_->listen(asio::socket_base::max_listen_connections, ec);
  }
  if (ec) return absl::UnavailableError(absl::StrCat("listen: ", ec.message()));
  return absl::OkStatus();
}

void HttpServer::Impl::Run() {
  work_.emplace_back(accept_context_.get_executor());
  for (auto& t : io_threads_) work_.emplace_back(t->context.get_executor());
  asio::post(accept_context_, [this] {
    if (tcp_acceptor_.has_value()) Accept<tcp>(&*tcp_acceptor_);
    if (unix_acceptor_.has_value()) Accept<local>(&*unix_acceptor_);
  });
  threads_.emplace_back([this] { accept_context_.run(); });
  for (auto& t : io_threads_) {
    threads_.emplace_back([context = &t->context] { context->run(); });
  }
}

int HttpServer::Impl::PickIoThread() {
  size_t n = io_threads_.size();
  size_t first = next_io_thread_++ % n;
  for (size_t i = 0; i < n; ++i) {
    size_t candidate = (first + i) % n;
    if (io_threads_[candidate]->calls.load(std::memory_order_relaxed) == 0) {
      return static_cast<int>(candidate);
    }
  }
  return static_cast<int>(first);
}

template <typename Protocol>
void HttpServer::Impl::Accept(typename Protocol::acceptor* acceptor) {
  int io_thread = PickIoThread();
  acceptor->async_accept(
      io_threads_[io_thread]->context.get_executor(),
      [this, acceptor, io_thread](
          ErrorCode ec,
          typename Protocol::socket::template rebind_executor<Executor>::other socket) {
        if (stopping()) return;
        if (ec) {
          int e = ec.value();
          if (ec.category() == boost::system::system_category() &&
              (e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM)) {
            // Out of descriptors: retrying at once would spin. Shed an idle
            // connection and try again a little later.
            CloseOneIdle();
            accept_retry_.expires_after(kAcceptBackoff);
            accept_retry_.async_wait([this, acceptor](ErrorCode ec) {
              if (!ec && !stopping()) Accept<Protocol>(acceptor);
            });
            return;
          }
          return Accept<Protocol>(acceptor);
        }
        bool admitted = Admit();
        if constexpr (std::is_same_v<Protocol, tcp>) {
          ErrorCode ignored;
          socket.set_option(tcp::no_delay(true), ignored);
          if (tls_.has_value()) {
            StartSession<TlsStream<tcp>>(std::move(socket), io_thread, !admitted);
          } else {
            StartSession<PlainStream<tcp>>(std::move(socket), io_thread, !admitted);
          }
        } else {
          if (tls_.has_value()) {
            StartSession<TlsStream<local>>(std::move(socket), io_thread, !admitted);
          } else {
            StartSession<PlainStream<local>>(std::move(socket), io_thread, !admitted);
          }
        }
        Accept<Protocol>(acceptor);
      });
}

template <typename Stream, typename Socket>
void HttpServer::Impl::StartSession(Socket socket, int io_thread, bool reject) {
  if constexpr (kIsTls<Stream>) {
    using Next = typename Stream::next_layer_type;
    std::make_shared<Session<Stream>>(
        this, Stream(Next(std::move(socket)), *tls_), io_thread, reject)
        ->Run();
  } else {
    std::make_shared<Session<Stream>>(this, Stream(std::move(socket)),
                                      io_thread, reject)
        ->Run();
  }
}

bool HttpServer::Impl::Admit() {
  std::lock_guard<std::mutex> lock(mu_);
  if (connections_.size() < static_cast<size_t>(options_.max_connections)) {
    return true;
  }
  for (Connection* c : connections_) {
    if (c->idle.exchange(false)) {
      c->Close(Connection::CloseIf::kIdle);
      return true;
    }
  }
  return false;
}

void HttpServer::Impl::CloseOneIdle() {
  std::lock_guard<std::mutex> lock(mu_);
  for (Connection* c : connections_) {
    if (c->idle.exchange(false)) {
      c->Close(Connection::CloseIf::kIdle);
      return;
    }
  }
}

void HttpServer::Impl::Register(Connection* c) {
  std::lock_guard<std::mutex> lock(mu_);
  c->entry = connections_.insert(connections_.end(), c);
}

void HttpServer::Impl::Forget(Connection* c) {
  std::lock_guard<std::mutex> lock(mu_);
  connections_.erase(c->entry);
  changed_.notify_all();
}

void HttpServer::Impl::CallStarted(int io_thread) {
  io_threads_[io_thread]->calls.fetch_add(1, std::memory_order_relaxed);
  std::lock_guard<std::mutex> lock(mu_);
  ++calls_;
}

void HttpServer::Impl::CallEnded(int io_thread) {
  io_threads_[io_thread]->calls.fetch_sub(1, std::memory_order_relaxed);
  std::lock_guard<std::mutex> lock(mu_);
  --calls_;
  changed_.notify_all();
}

void HttpServer::Impl::Stop(absl::Duration grace) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) return;
    stopped_ = true;
  }
  stopping_.store(true);
  std::promise<void> closed;
  asio::post(accept_context_, [this, &closed] {
    ErrorCode ignored;
    if (tcp_acceptor_.has_value()) tcp_acceptor_->close(ignored);
    if (unix_acceptor_.has_value()) unix_acceptor_->close(ignored);
    accept_retry_.cancel();
    closed.set_value();
  });
  if (!threads_.empty()) closed.get_future().wait();
  if (!unix_path_.empty()) {
    struct stat st;
    if (::lstat(unix_path_.c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) {
      ::unlink(unix_path_.c_str());
    }
  }
  std::unique_lock<std::mutex> lock(mu_);
  // Idle connections and requests still being read go now; answers being
  // made are finished and sent (with `Connection: close`).
  for (Connection* c : connections_) c->Close(Connection::CloseIf::kNotAnswering);
  auto deadline = std::chrono::steady_clock::now() + ToChrono(grace);
  changed_.wait_until(lock, deadline,
                      [this] { return connections_.empty() && calls_ == 0; });
  // Past the grace period: every connection goes; handler calls still
  // running post their answers to closed connections, so the I/O threads
  // stay until they end.
  for (Connection* c : connections_) c->Close(Connection::CloseIf::kAlways);
  changed_.wait(lock, [this] { return calls_ == 0; });
  changed_.wait_for(lock, ToChrono(kCloseWait),
                    [this] { return connections_.empty(); });
  lock.unlock();
  work_.clear();
  accept_context_.stop();
  for (auto& t : io_threads_) t->context.stop();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

std::string_view HttpReason(int status) {
  beast::string_view reason =
      http::obsolete_reason(static_cast<http::status>(status));
  if (reason == "<unknown-status>") return "Unknown";
  return {reason.data(), reason.size()};
}

const std::string* HttpRequest::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return &v;
  }
  return nullptr;
}

bool HttpRequest::HasQueryParam(std::string_view name) const {
  for (absl::string_view param : absl::StrSplit(query, '&')) {
    if (param.substr(0, param.find('=')) ==
        absl::string_view(name.data(), name.size())) {
      return true;
    }
  }
  return false;
}

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(
    const ListenAddress& address, HttpHandler handler,
    HttpServerOptions options) {
  auto impl = std::make_unique<Impl>(std::move(handler), std::move(options));
  absl::Status status = impl->Listen(address);
  if (!status.ok()) return status;
  impl->Run();
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() { Stop(absl::ZeroDuration()); }

int HttpServer::port() const { return impl_->port(); }

void HttpServer::Stop(absl::Duration grace) { impl_->Stop(grace); }

}  // namespace policyd
