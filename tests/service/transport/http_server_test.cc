#include "service/transport/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace policyd {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// A connection to `port` on the loopback address.
int Connect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  return fd;
}

// Sends `raw` on one connection to `port` and returns all that comes back
// until the server closes it.
std::string ExchangeWith(int port, const std::string& raw) {
  int fd = Connect(port);
  (void)!::write(fd, raw.data(), raw.size());
  ::shutdown(fd, SHUT_WR);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, n);
  ::close(fd);
  return out;
}

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = HttpServer::Start(
        *ParseListenAddress("127.0.0.1:0"),
        [](const HttpRequest& r) {
          HttpResponse response;
          response.content_type = "text/plain";
          const std::string* header = r.Header("x-echo");
          response.body = r.method + " " + r.path + " ?" + r.query + " [" +
                          r.body + "] " + (header ? *header : "-") +
                          (r.HasQueryParam("flag") ? " flag" : "");
          return response;
        },
        HttpServerOptions());
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  std::string Exchange(const std::string& raw) {
    return ExchangeWith(server_->port(), raw);
  }

  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, ContentLengthBodyAndHeaders) {
  std::string out = Exchange(
      "POST /v1/data/x?flag&y=1 HTTP/1.1\r\nX-Echo: hi\r\nContent-Length: 5\r\n"
      "Connection: close\r\n\r\nhello");
  EXPECT_THAT(out, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(out, HasSubstr("Content-Type: text/plain\r\n"));
  EXPECT_THAT(out, HasSubstr("POST /v1/data/x ?flag&y=1 [hello] hi flag"));
}

TEST_F(HttpServerTest, ChunkedBody) {
  std::string out = Exchange(
      "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
      "3\r\nabc\r\n4;ext=1\r\ndefg\r\n0\r\n\r\n");
  EXPECT_THAT(out, HasSubstr("[abcdefg]"));
}

TEST_F(HttpServerTest, KeepAliveServesSeveralRequests) {
  std::string out = Exchange(
      "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\nConnection: close\r\n\r\n");
  EXPECT_THAT(out, HasSubstr("GET /a ?"));
  EXPECT_THAT(out, HasSubstr("GET /b ?"));
  EXPECT_THAT(out, HasSubstr("Connection: close"));
}

TEST_F(HttpServerTest, ExpectContinue) {
  std::string out = Exchange(
      "POST /e HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n"
      "Connection: close\r\n\r\nok");
  EXPECT_THAT(out, StartsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK"));
}

TEST_F(HttpServerTest, MalformedRequests) {
  EXPECT_THAT(Exchange("NONSENSE\r\n\r\n"), StartsWith("HTTP/1.1 400 "));
  EXPECT_THAT(Exchange("GET / HTTP/2.0\r\n\r\n"), StartsWith("HTTP/1.1 505 "));
  // A body whose length cannot be known (chunked not last): 400.
  EXPECT_THAT(Exchange("GET / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n"),
              StartsWith("HTTP/1.1 400 "));
  // Chunked last, but a coding before it that is not supported: 501.
  EXPECT_THAT(Exchange("GET / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"),
              StartsWith("HTTP/1.1 501 "));
}

TEST_F(HttpServerTest, HeadHasTheLengthOfGetButNoBody) {
  std::string out = Exchange("HEAD /h HTTP/1.1\r\nConnection: close\r\n\r\n");
  EXPECT_THAT(out, StartsWith("HTTP/1.1 200 OK\r\n"));
  // The handler saw GET: "GET /h ? [] -" is 13 bytes.
  EXPECT_THAT(out, HasSubstr("Content-Length: 13\r\n"));
  EXPECT_THAT(out, HasSubstr("Date: "));
  EXPECT_EQ(out.substr(out.find("\r\n\r\n") + 4), "");
}

TEST(HttpServerDispatchTest, RefusedCallsGet429) {
  HttpServerOptions options;
  int dispatched = 0;
  options.dispatch = [&](const HttpRequest& r, absl::AnyInvocable<void() &&> task) {
    ++dispatched;
    if (r.path == "/busy") return false;
    std::move(task)();
    return true;
  };
  auto server = HttpServer::Start(
      *ParseListenAddress("127.0.0.1:0"),
      [](const HttpRequest&) { return HttpResponse{200, "text/plain", "ran"}; },
      options);
  ASSERT_TRUE(server.ok()) << server.status();
  std::string out = ExchangeWith(
      (*server)->port(),
      "GET /busy HTTP/1.1\r\n\r\nGET /free HTTP/1.1\r\nConnection: close\r\n\r\n");
  EXPECT_THAT(out, StartsWith("HTTP/1.1 429 "));
  EXPECT_THAT(out, HasSubstr("HTTP/1.1 200 OK"));
  EXPECT_THAT(out, HasSubstr("ran"));
  EXPECT_EQ(dispatched, 2);
}

TEST(HttpServerUnixTest, RefusesToReplaceAFileThatIsNotASocket) {
  std::string path = ::testing::TempDir() + "/http_server_test_not_a_socket";
  { std::ofstream(path) << "precious"; }
  auto server = HttpServer::Start(*ParseListenAddress("unix://" + path),
                                  [](const HttpRequest&) { return HttpResponse(); },
                                  HttpServerOptions());
  ASSERT_FALSE(server.ok());
  EXPECT_THAT(server.status().message(), HasSubstr("not a socket"));
  std::ifstream in(path);
  std::string text;
  in >> text;
  EXPECT_EQ(text, "precious");
}

TEST_F(HttpServerTest, StopClosesConnectionsStillSendingARequest) {
  int fd = Connect(server_->port());
  std::string half = "POST /x HTTP/1.1\r\nContent-Le";
  (void)!::write(fd, half.data(), half.size());
  timeval timeout{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  // A grace period longer than the read's patience: the half-sent request
  // must not hold the drain.
  std::thread stopper([this] { server_->Stop(absl::Seconds(30)); });
  char c;
  ssize_t n = ::read(fd, &c, 1);
  EXPECT_TRUE(n == 0 || (n < 0 && errno == ECONNRESET))
      << "read " << n << ": " << std::strerror(errno);
  stopper.join();
  ::close(fd);
}

TEST_F(HttpServerTest, StopClosesTheListener) {
  int port = server_->port();
  server_->Stop(absl::Seconds(1));
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_NE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ::close(fd);
}

TEST(HttpReasonTest, KnownCodes) {
  EXPECT_EQ(HttpReason(429), "Too Many Requests");
  EXPECT_EQ(HttpReason(404), "Not Found");
}

}  // namespace
}  // namespace policyd
