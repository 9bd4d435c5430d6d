#include "service/transport/http_client.h"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "util/files.h"
#include "util/gzip.h"

namespace policyd {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

// Response headers larger than this are refused.
constexpr uint32_t kMaxHeaderBytes = 64 * 1024;

struct Url {
  bool tls = false;
  std::string host;
  std::string port;
  std::string path;  // without a trailing "/"
};

absl::StatusOr<Url> ParseUrl(absl::string_view text) {
  Url url;
  absl::string_view rest = text;
  if (absl::ConsumePrefix(&rest, "https://")) {
    url.tls = true;
  } else if (!absl::ConsumePrefix(&rest, "http://")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "url \"", text, "\": expected http:// or https://"));
  }
  size_t slash = rest.find('/');
  absl::string_view authority = rest.substr(0, slash);
  url.path = slash == absl::string_view::npos ? "" : std::string(rest.substr(slash));
  while (absl::EndsWith(url.path, "/")) url.path.pop_back();
  if (absl::StrContains(authority, '@')) {
    return absl::InvalidArgumentError(absl::StrCat(
        "url \"", text, "\": credentials in the URL are not supported; use "
        "credentials.bearer"));
  }
  absl::string_view host = authority;
  absl::string_view port = url.tls ? "443" : "80";
  if (absl::StartsWith(authority, "[")) {  // [::1]:8080
    size_t close = authority.find(']');
    if (close == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat("url \"", text, "\": unclosed ["));
    }
    host = authority.substr(1, close - 1);
    absl::string_view after = authority.substr(close + 1);
    if (absl::ConsumePrefix(&after, ":")) port = after;
  } else if (size_t colon = authority.rfind(':'); colon != absl::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  int port_number = 0;
  if (host.empty() || !absl::SimpleAtoi(port, &port_number) || port_number <= 0 ||
      port_number > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("url \"", text, "\": expected scheme://host[:port][/path]"));
  }
  url.host = std::string(host);
  url.port = std::string(port);
  return url;
}

absl::Status NetworkError(const beast::error_code& ec, absl::string_view what,
                          const std::string& where) {
  if (ec == beast::error::timeout) {
    return absl::DeadlineExceededError(
        absl::StrCat(where, ": timed out while ", what));
  }
  if (ec == http::error::body_limit || ec == http::error::header_limit) {
    return absl::ResourceExhaustedError(
        absl::StrCat(where, ": response too large (", ec.message(), ")"));
  }
  return absl::UnavailableError(
      absl::StrCat(where, ": ", what, ": ", ec.message()));
}

// Runs one asynchronous operation to completion on `ioc`: Beast's stream
// timeouts apply only to asynchronous operations.
template <typename Start>
beast::error_code RunOne(asio::io_context& ioc, Start start) {
  beast::error_code result = asio::error::would_block;
  start([&result](beast::error_code ec, auto&&...) { result = ec; });
  ioc.restart();
  ioc.run();
  return result;
}

}  // namespace

struct HttpClient::Impl {
  HttpClientOptions options;
  Url url;
  std::optional<ssl::context> tls;
};

std::string HttpClientResponse::Header(absl::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (absl::EqualsIgnoreCase(k, name)) return v;
  }
  return "";
}

HttpClient::HttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpClient::~HttpClient() = default;

absl::StatusOr<std::unique_ptr<HttpClient>> HttpClient::Create(
    HttpClientOptions options) {
  auto impl = std::make_unique<Impl>();
  absl::StatusOr<Url> url = ParseUrl(options.url);
  if (!url.ok()) return url.status();
  impl->url = *url;
  bool client_tls = !options.client_cert_file.empty() || !options.client_key_file.empty();
  if (client_tls && (options.client_cert_file.empty() || options.client_key_file.empty())) {
    return absl::InvalidArgumentError(
        "client TLS needs both a certificate and a private key");
  }
  if (client_tls && !url->tls) {
    return absl::InvalidArgumentError(absl::StrCat(
        "url \"", options.url, "\": client TLS needs an https:// URL"));
  }
  if (url->tls) {
    impl->tls.emplace(ssl::context::tls_client);
    ssl::context& ctx = *impl->tls;
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                    ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                    ssl::context::no_tlsv1_1);
    beast::error_code ec;
    if (!options.ca_cert_file.empty()) {
      absl::StatusOr<std::string> ca = ReadFile(options.ca_cert_file);
      if (!ca.ok()) return ca.status();
      ctx.add_certificate_authority(asio::buffer(*ca), ec);
      if (ec) {
        return absl::InvalidArgumentError(absl::StrCat(
            options.ca_cert_file, ": not a PEM CA certificate: ", ec.message()));
      }
    } else {
      ctx.set_default_verify_paths(ec);
    }
    if (client_tls) {
      ctx.use_certificate_chain_file(options.client_cert_file, ec);
      if (ec) {
        return absl::InvalidArgumentError(absl::StrCat(
            options.client_cert_file, ": not a PEM certificate chain: ", ec.message()));
      }
      ctx.use_private_key_file(options.client_key_file, ssl::context::pem, ec);
      if (ec) {
        return absl::InvalidArgumentError(absl::StrCat(
            options.client_key_file, ": not a PEM private key for the certificate: ",
            ec.message()));
      }
    }
    ctx.set_verify_mode(options.allow_insecure_tls ? ssl::verify_none
                                                   : ssl::verify_peer);
  }
  impl->options = std::move(options);
  return std::unique_ptr<HttpClient>(new HttpClient(std::move(impl)));
}

std::string HttpClient::UrlOf(absl::string_view resource) const {
  const Url& u = impl_->url;
  absl::string_view r = resource;
  absl::ConsumePrefix(&r, "/");
  return absl::StrCat(u.tls ? "https://" : "http://", u.host, ":", u.port,
                      u.path, "/", r);
}

absl::StatusOr<HttpClientResponse> HttpClient::Send(
    const HttpClientRequest& request) const {
  const HttpClientOptions& o = impl_->options;
  const Url& url = impl_->url;
  const std::string where = absl::StrCat(request.method, " ", UrlOf(request.resource));

  http::request<http::string_body> req;
  http::verb verb = http::string_to_verb(request.method);
  if (verb == http::verb::unknown) {
    return absl::InvalidArgumentError(absl::StrCat("unknown method ", request.method));
  }
  req.method(verb);
  absl::string_view resource = request.resource;
  absl::ConsumePrefix(&resource, "/");
  req.target(absl::StrCat(url.path, "/", resource));
  req.version(11);
  req.set(http::field::host, url.host);
  req.set(http::field::user_agent, "policyd/" POLICYD_VERSION);
  req.set(http::field::accept_encoding, "gzip");
  req.set(http::field::connection, "close");
  for (const auto& [k, v] : o.headers) req.set(k, v);
  std::string token = o.bearer_token;
  if (!o.bearer_token_path.empty()) {
    absl::StatusOr<std::string> read = ReadFile(o.bearer_token_path);
    if (!read.ok()) return read.status();
    token = std::string(absl::StripAsciiWhitespace(*read));
  }
  if (!token.empty()) {
    req.set(http::field::authorization, absl::StrCat(o.bearer_scheme, " ", token));
  }
  for (const auto& [k, v] : request.headers) req.set(k, v);
  if (request.gzip_body) {
    req.body() = Gzip(request.body);
    req.set(http::field::content_encoding, "gzip");
  } else {
    req.body() = request.body;
  }
  if (!request.body.empty() || verb == http::verb::post || verb == http::verb::put) {
    req.prepare_payload();
  }

  asio::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::error_code ec;
  tcp::resolver::results_type endpoints;
  ec = RunOne(ioc, [&](auto handler) {
    resolver.async_resolve(url.host, url.port,
                           [&endpoints, handler](beast::error_code e,
                                                 tcp::resolver::results_type r) {
                             endpoints = std::move(r);
                             handler(e);
                           });
  });
  if (ec) return NetworkError(ec, "resolving the host", where);

  http::response_parser<http::string_body> parser;
  parser.header_limit(kMaxHeaderBytes);
  parser.body_limit(o.max_response_bytes);
  beast::flat_buffer buffer;
  auto exchange = [&](auto& stream, beast::tcp_stream& lowest,
                      auto handshake) -> absl::Status {
    lowest.expires_after(absl::ToChronoNanoseconds(o.response_header_timeout));
    ec = RunOne(ioc, [&](auto handler) { lowest.async_connect(endpoints, handler); });
    if (ec) return NetworkError(ec, "connecting", where);
    if (absl::Status s = handshake(); !s.ok()) return s;
    lowest.expires_after(absl::ToChronoNanoseconds(o.response_header_timeout));
    ec = RunOne(ioc, [&](auto handler) { http::async_write(stream, req, handler); });
    if (ec) return NetworkError(ec, "sending the request", where);
    lowest.expires_after(absl::ToChronoNanoseconds(o.response_header_timeout));
    ec = RunOne(ioc, [&](auto handler) {
      http::async_read_header(stream, buffer, parser, handler);
    });
    if (ec) return NetworkError(ec, "waiting for the response headers", where);
    lowest.expires_after(absl::ToChronoNanoseconds(o.body_timeout));
    ec = RunOne(ioc, [&](auto handler) { http::async_read(stream, buffer, parser, handler); });
    if (ec) return NetworkError(ec, "reading the response body", where);
    return absl::OkStatus();
  };

  absl::Status done;
  if (url.tls) {
    beast::ssl_stream<beast::tcp_stream> stream(ioc, *impl_->tls);
    SSL* ssl_handle = stream.native_handle();
    // SNI, and the name (or address) the certificate must carry.
    beast::error_code addr_ec;
    asio::ip::make_address(url.host, addr_ec);
    if (addr_ec) SSL_set_tlsext_host_name(ssl_handle, url.host.c_str());
    if (!o.allow_insecure_tls) {
      X509_VERIFY_PARAM* param = SSL_get0_param(ssl_handle);
      if (addr_ec) {
        X509_VERIFY_PARAM_set1_host(param, url.host.c_str(), url.host.size());
      } else {
        X509_VERIFY_PARAM_set1_ip_asc(param, url.host.c_str());
      }
    }
    done = exchange(stream, beast::get_lowest_layer(stream), [&]() -> absl::Status {
      ec = RunOne(ioc, [&](auto handler) {
        stream.async_handshake(ssl::stream_base::client, handler);
      });
      if (ec) return NetworkError(ec, "in the TLS handshake", where);
      return absl::OkStatus();
    });
  } else {
    beast::tcp_stream stream(ioc);
    done = exchange(stream, stream, [] { return absl::OkStatus(); });
  }
  if (!done.ok()) return done;

  http::response<http::string_body> res = parser.release();
  HttpClientResponse out;
  out.status = static_cast<int>(res.result_int());
  for (const auto& field : res) {
    out.headers.emplace_back(std::string(field.name_string()),
                             std::string(field.value()));
  }
  if (absl::EqualsIgnoreCase(out.Header("Content-Encoding"), "gzip")) {
    absl::StatusOr<std::string> body = Gunzip(res.body(), o.max_response_bytes);
    if (!body.ok()) {
      return absl::Status(body.status().code(),
                          absl::StrCat(where, ": response body: ", body.status().message()));
    }
    out.body = *std::move(body);
  } else {
    out.body = std::move(res.body());
  }
  return out;
}

}  // namespace policyd
