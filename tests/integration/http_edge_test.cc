// The HTTP edge as an attacker and as HTTP/1.1 clients see it: raw bytes
// over a socket to the real `policyd serve`. Each framing attack gets 400
// and a closed connection; idle and half-sent connections cannot lock other
// clients out; slow readers hold no worker; HEAD, 405/Allow, chunked and
// gzip bodies, pipelining and keep-alive behave as RFC 9110/9112 require.
#include <poll.h>
#include <sys/resource.h>
#include <sys/time.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/policyd_process.h"
#include "util/gzip.h"

namespace policyd {
namespace {

using ::policyd::testing::FreshDir;
using ::policyd::testing::Http;
using ::policyd::testing::PolicydProcess;
using ::policyd::testing::WriteBundle;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kPolicy[] = R"(package app

allow := input.user == "alice"
)";

// A connection that sends raw bytes and reads raw answers.
class RawClient {
 public:
  // Reads give up after `read_timeout` (no test waits forever on a server
  // that does not answer).
  explicit RawClient(int port, absl::Duration read_timeout = absl::Seconds(20)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ =
        ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    timeval timeout = absl::ToTimeval(read_timeout);
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  ~RawClient() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawClient(const RawClient&) = delete;

  bool connected() const { return connected_; }

  bool Send(const std::string& bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(bytes.size());
  }

  // Everything until the server closes the connection (or a read times out).
  std::string ReadToClose() {
    std::string out = std::move(pending_);
    pending_.clear();
    char buf[65536];
    ssize_t n;
    while ((n = ::read(fd_, buf, sizeof buf)) > 0) out.append(buf, n);
    closed_ = n == 0;
    return out;
  }

  // One whole response (head and Content-Length body); "" when the
  // connection closes first. `head_request`: the answer has no body.
  std::string ReadResponse(bool head_request = false) {
    while (true) {
      size_t end = pending_.find("\r\n\r\n");
      if (end != std::string::npos) {
        std::string head = pending_.substr(0, end + 4);
        size_t length = 0;
        if (!head_request) {
          size_t at = Lower(head).find("\r\ncontent-length: ");
          if (at != std::string::npos) length = std::stoul(head.substr(at + 18));
        }
        if (head.rfind("HTTP/1.1 100 ", 0) == 0) length = 0;
        if (pending_.size() >= end + 4 + length) {
          std::string response = pending_.substr(0, end + 4 + length);
          pending_.erase(0, end + 4 + length);
          return response;
        }
      }
      char buf[65536];
      ssize_t n = ::read(fd_, buf, sizeof buf);
      if (n <= 0) {
        closed_ = n == 0;
        return "";
      }
      pending_.append(buf, n);
    }
  }

  // True when the server has closed the connection (read sees its end).
  bool ServerClosed() {
    if (closed_) return true;
    char c;
    ssize_t n = ::read(fd_, &c, 1);
    if (n > 0) pending_.push_back(c);
    closed_ = n == 0 || (n < 0 && errno == ECONNRESET);
    return closed_;
  }

  int fd() const { return fd_; }

 private:
  static std::string Lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }

  int fd_ = -1;
  bool connected_ = false;
  bool closed_ = false;
  std::string pending_;
};

std::string Post(const std::string& path, const std::string& body,
                 const std::string& extra_headers = "") {
  return "POST " + path + " HTTP/1.1\r\nHost: x\r\n" + extra_headers +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

class HttpEdgeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshDir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    WriteBundle(dir_, "main", "r1",
                {{"app/policy.rego", kPolicy},
                 // A large document, for answers that fill socket buffers.
                 {"app/blob/data.json",
                  "{\"text\": \"" + std::string(1 << 20, 'x') + "\"}"}});
  }

  void StartServer(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--bundles", dir_, "--watch=false"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::string log;
    server_ = PolicydProcess::Start(args, &log);
    ASSERT_NE(server_, nullptr) << log;
  }

  int port() const { return server_->http_port; }

  std::string dir_;
  std::unique_ptr<PolicydProcess> server_;
};

TEST_F(HttpEdgeTest, SmugglingAttemptsGet400AndAClosedConnection) {
  StartServer();
  const std::string smuggled = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::vector<std::pair<std::string, std::string>> attempts = {
      {"space before the colon",
       "POST /v1/data/app/allow HTTP/1.1\r\nHost: x\r\nContent-Length : " +
           std::to_string(smuggled.size()) + "\r\n\r\n" + smuggled},
      {"two differing Content-Length",
       "POST /v1/data/app/allow HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
       "Content-Length: " +
           std::to_string(smuggled.size()) + "\r\n\r\n" + smuggled},
      {"a Content-Length list that differs",
       "POST /v1/data/app/allow HTTP/1.1\r\nHost: x\r\nContent-Length: 0, 5\r\n\r\n" +
           smuggled},
      {"Content-Length with chunked",
       "POST /v1/data/app/allow HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
       "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" +
           smuggled},
      {"chunked with Content-Length",
       "POST /v1/data/app/allow HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
       "Content-Length: 4\r\n\r\n0\r\n\r\n" +
           smuggled},
      {"chunked not last",
       "POST /v1/data/app/allow HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, "
       "identity\r\n\r\n0\r\n\r\n" +
           smuggled},
      {"space before the colon of Transfer-Encoding",
       "POST /v1/data/app/allow HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n"
       "\r\n0\r\n\r\n" +
           smuggled},
      {"a chunk size near 2^64",
       "POST /v1/data/app/allow HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
       "\r\nfffffffffffffffff\r\nab\r\n0\r\n\r\n" +
           smuggled},
      {"a negative Content-Length",
       "POST /v1/data/app/allow HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n" +
           smuggled},
  };
  for (const auto& [name, bytes] : attempts) {
    SCOPED_TRACE(name);
    RawClient client(port());
    ASSERT_TRUE(client.connected());
    ASSERT_TRUE(client.Send(bytes));
    std::string out = client.ReadToClose();
    EXPECT_THAT(out, StartsWith("HTTP/1.1 400 "));
    EXPECT_THAT(out, HasSubstr("Connection: close"));
    // Exactly one answer: the smuggled request was not served.
    EXPECT_EQ(out.find("HTTP/1.1", 1), std::string::npos) << out;
  }
  // A chunk size that fits 64 bits but not the body limit: 413, closed.
  RawClient client(port());
  ASSERT_TRUE(client.Send(
      "POST /v1/data/app/allow HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
      "\r\nfffffffffffffff0\r\nab\r\n0\r\n\r\n" +
      smuggled));
  std::string out = client.ReadToClose();
  EXPECT_THAT(out, StartsWith("HTTP/1.1 413 "));
  EXPECT_EQ(out.find("HTTP/1.1", 1), std::string::npos) << out;
  // The server is still fine.
  EXPECT_EQ(Http(port(), "GET", "/health").status, 200);
}

TEST_F(HttpEdgeTest, ChunkTrailersAreConsumed) {
  StartServer();
  RawClient client(port());
  ASSERT_TRUE(client.Send(
      "POST /v1/data/app/allow HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "9\r\n{\"input\":\r\n10\r\n{\"user\":\"alice\"}\r\n1;ext=1\r\n}\r\n"
      "0\r\nX-Trailer: one\r\nX-Other: two\r\n\r\n"
      "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  std::string first = client.ReadResponse();
  EXPECT_THAT(first, StartsWith("HTTP/1.1 200 "));
  EXPECT_THAT(first, HasSubstr("\"result\":true"));
  std::string second = client.ReadResponse();
  EXPECT_THAT(second, StartsWith("HTTP/1.1 200 "));
  EXPECT_THAT(second, HasSubstr("{}"));
  EXPECT_TRUE(client.ServerClosed());
}

TEST_F(HttpEdgeTest, ThousandHalfSentConnectionsDoNotLockOthersOut) {
  // 1,000 connections need more descriptors than the usual soft limit.
  rlimit files;
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &files), 0);
  if (files.rlim_cur < 1200) {
    files.rlim_cur = std::min<rlim_t>(files.rlim_max, 4096);
    setrlimit(RLIMIT_NOFILE, &files);
  }
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &files), 0);
  if (files.rlim_cur < 1200) GTEST_SKIP() << "needs 1,200 file descriptors";
  StartServer();
  std::vector<std::unique_ptr<RawClient>> stalled;
  for (int i = 0; i < 1000; ++i) {
    auto client = std::make_unique<RawClient>(port());
    ASSERT_TRUE(client->connected()) << i;
    ASSERT_TRUE(client->Send("POST /v1/data/app/allow HTTP/1.1\r\nHost: x\r\nContent-Le"));
    stalled.push_back(std::move(client));
  }
  auto r = Http(port(), "POST", "/v1/data/app/allow", R"({"input": {"user": "alice"}})");
  EXPECT_EQ(r.status, 200);
  EXPECT_THAT(r.body, HasSubstr("\"result\":true"));
}

TEST_F(HttpEdgeTest, IdleConnectionsAreShedForNewOnes) {
  StartServer({"--http-max-connections", "20"});
  std::vector<std::unique_ptr<RawClient>> idle;
  for (int i = 0; i < 40; ++i) {
    idle.push_back(std::make_unique<RawClient>(port()));
    ASSERT_TRUE(idle.back()->connected());
  }
  // Over the cap, idle connections make room: the new client is answered.
  auto r = Http(port(), "GET", "/health");
  EXPECT_EQ(r.status, 200);
  int closed = 0;
  for (auto& c : idle) {
    // Poll each without blocking: those the server shed read end-of-file.
    pollfd p{c->fd(), POLLIN, 0};
    if (::poll(&p, 1, 0) == 1 && c->ServerClosed()) ++closed;
  }
  EXPECT_GE(closed, 1);
}

TEST_F(HttpEdgeTest, OverTheCapWithNoIdleConnectionNewOnesGet503) {
  StartServer({"--http-max-connections", "5"});
  std::vector<std::unique_ptr<RawClient>> busy;
  for (int i = 0; i < 5; ++i) {
    busy.push_back(std::make_unique<RawClient>(port()));
    ASSERT_TRUE(busy.back()->Send("GET /health HTTP/1.1\r\nHost: x\r\n"));
  }
  // The five are mid-request, not idle. One the server had not read yet
  // when a probe came may have let that probe in (over the cap, the server
  // sheds no connection whose request is arriving): the probe is then
  // answered, and the next one tries again.
  std::string refused;
  for (int i = 0; i < 100 && refused.empty(); ++i) {
    RawClient probe(port(), absl::Seconds(5));
    probe.Send("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    std::string out = probe.ReadToClose();
    if (out.rfind("HTTP/1.1 503 ", 0) == 0) refused = out;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_THAT(refused, HasSubstr("Connection: close"))
      << "no 503 over the connection cap";
  for (auto& c : busy) {
    pollfd p{c->fd(), POLLIN, 0};
    EXPECT_FALSE(::poll(&p, 1, 0) == 1 && c->ServerClosed())
        << "a connection with a request arriving was shed";
  }
}

TEST_F(HttpEdgeTest, SlowReaderHoldsNoWorker) {
  // One evaluation slot; a client pipelines requests for 1 MiB answers and
  // reads none of them.
  StartServer({"--workers", "1", "--http-send-timeout", "2s"});
  RawClient slow(port());
  std::string requests;
  for (int i = 0; i < 32; ++i) {
    requests += "GET /v1/data/app/blob HTTP/1.1\r\nHost: x\r\n\r\n";
  }
  ASSERT_TRUE(slow.Send(requests));
  // Others still get decisions.
  for (int i = 0; i < 3; ++i) {
    auto r = Http(port(), "POST", "/v1/data/app/allow", R"({"input": {"user": "alice"}})");
    EXPECT_EQ(r.status, 200);
    EXPECT_THAT(r.body, HasSubstr("\"result\":true"));
  }
  // The send timeout ends the slow reader's connection before all 32
  // answers (32 MiB) went out.
  std::this_thread::sleep_for(std::chrono::seconds(3));
  std::string got = slow.ReadToClose();
  EXPECT_LT(got.size(), 32u << 20);
}

TEST_F(HttpEdgeTest, HeadAndMethodNotAllowed) {
  StartServer();
  RawClient client(port());
  ASSERT_TRUE(client.Send(
      "HEAD /health HTTP/1.1\r\nHost: x\r\n\r\n"
      "DELETE /health HTTP/1.1\r\nHost: x\r\n\r\n"
      "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  std::string head = client.ReadResponse(/*head_request=*/true);
  EXPECT_THAT(head, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(head, HasSubstr("Content-Length: 3\r\n"));  // as GET's "{}\n"
  EXPECT_THAT(head, HasSubstr("Date: "));
  std::string deleted = client.ReadResponse();
  EXPECT_THAT(deleted, StartsWith("HTTP/1.1 405 "));
  EXPECT_THAT(deleted, HasSubstr("Allow: GET, HEAD\r\n"));
  EXPECT_THAT(deleted, HasSubstr("method_not_allowed"));
  std::string head_post_only = client.ReadResponse(/*head_request=*/true);
  EXPECT_THAT(head_post_only, StartsWith("HTTP/1.1 405 "));
  EXPECT_THAT(head_post_only, HasSubstr("Allow: POST\r\n"));
  // HEAD answers carry no body: the next answer starts right after.
  std::string last = client.ReadResponse();
  EXPECT_THAT(last, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(last, HasSubstr("\r\n\r\n{}"));
  EXPECT_TRUE(client.ServerClosed());
}

TEST_F(HttpEdgeTest, GzipRequestBodiesAndBombs) {
  StartServer({"--http-max-body-bytes", "1048576"});
  RawClient client(port());
  ASSERT_TRUE(client.Send(Post("/v1/data/app/allow",
                               Gzip(R"({"input": {"user": "alice"}})"),
                               "Content-Encoding: gzip\r\n")));
  std::string out = client.ReadResponse();
  EXPECT_THAT(out, StartsWith("HTTP/1.1 200 "));
  EXPECT_THAT(out, HasSubstr("\"result\":true"));

  // 64 MiB of spaces in about 64 KiB: refused at the 1 MiB limit.
  std::string bomb = Gzip("{\"input\": {}" + std::string(64 << 20, ' ') + "}");
  ASSERT_LT(bomb.size(), 1u << 20);
  RawClient bombed(port());
  ASSERT_TRUE(bombed.Send(Post("/v1/data/app/allow", bomb, "Content-Encoding: gzip\r\n")));
  std::string refused = bombed.ReadToClose();
  EXPECT_THAT(refused, StartsWith("HTTP/1.1 413 "));

  RawClient corrupt(port());
  ASSERT_TRUE(corrupt.Send(Post("/v1/data/app/allow", "not gzip at all",
                                "Content-Encoding: gzip\r\n")));
  EXPECT_THAT(corrupt.ReadToClose(), StartsWith("HTTP/1.1 400 "));
}

TEST_F(HttpEdgeTest, GzipAnswersWhenAsked) {
  StartServer();
  RawClient client(port());
  ASSERT_TRUE(client.Send(
      "GET /v1/data/app/blob HTTP/1.1\r\nHost: x\r\nAccept-Encoding: br, gzip;q=0.9\r\n\r\n"
      "GET /v1/data/app/blob HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  std::string zipped = client.ReadResponse();
  EXPECT_THAT(zipped, HasSubstr("Content-Encoding: gzip\r\n"));
  std::string body = zipped.substr(zipped.find("\r\n\r\n") + 4);
  absl::StatusOr<std::string> text = Gunzip(body, 8 << 20);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_THAT(*text, HasSubstr("\"result\":{\"text\":\"xxxx"));
  std::string plain = client.ReadResponse();
  EXPECT_THAT(plain, Not(HasSubstr("Content-Encoding")));
  EXPECT_GT(plain.size(), 1u << 20);
}

TEST_F(HttpEdgeTest, PipeliningAndKeepAlive) {
  StartServer();
  RawClient client(port());
  ASSERT_TRUE(client.Send(Post("/v1/data/app/allow", R"({"input": {"user": "alice"}})") +
                          Post("/v1/data/app/allow", R"({"input": {"user": "bob"}})") +
                          "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_THAT(client.ReadResponse(), HasSubstr("\"result\":true"));
  EXPECT_THAT(client.ReadResponse(), HasSubstr("\"result\":false"));
  EXPECT_THAT(client.ReadResponse(), HasSubstr("{}"));
  // Still open: a later request on the same connection is answered.
  ASSERT_TRUE(client.Send(Post("/v1/data/app/allow", R"({"input": {"user": "alice"}})")));
  std::string later = client.ReadResponse();
  EXPECT_THAT(later, StartsWith("HTTP/1.1 200 "));
  EXPECT_THAT(later, Not(HasSubstr("Connection: close")));
}

TEST_F(HttpEdgeTest, ConnectionCloseAmongOtherTokensCloses) {
  StartServer();
  RawClient client(port());
  ASSERT_TRUE(client.Send("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close, TE\r\n"
                          "TE: trailers\r\n\r\n"));
  std::string out = client.ReadToClose();
  EXPECT_THAT(out, StartsWith("HTTP/1.1 200 "));
  EXPECT_THAT(out, HasSubstr("Connection: close"));
}

TEST_F(HttpEdgeTest, ExpectContinueForHttp11Only) {
  StartServer();
  RawClient v11(port());
  ASSERT_TRUE(v11.Send("POST /v1/data/app/allow HTTP/1.1\r\nHost: x\r\n"
                       "Expect: 100-continue\r\nContent-Length: 28\r\n\r\n"));
  EXPECT_EQ(v11.ReadResponse(), "HTTP/1.1 100 Continue\r\n\r\n");
  ASSERT_TRUE(v11.Send(R"({"input": {"user": "alice"}})"));
  EXPECT_THAT(v11.ReadResponse(), HasSubstr("\"result\":true"));

  RawClient v10(port());
  ASSERT_TRUE(v10.Send("POST /v1/data/app/allow HTTP/1.0\r\nHost: x\r\n"
                       "Expect: 100-continue\r\nContent-Length: 28\r\n\r\n"
                       R"({"input": {"user": "alice"}})"));
  std::string out = v10.ReadToClose();
  EXPECT_THAT(out, Not(HasSubstr("100 Continue")));
  EXPECT_THAT(out, HasSubstr("\"result\":true"));
}

TEST_F(HttpEdgeTest, OversizedHeaderAndBody) {
  StartServer({"--http-max-header-bytes", "4096", "--http-max-body-bytes", "1000"});
  RawClient header(port());
  ASSERT_TRUE(header.Send("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " +
                          std::string(40960, 'a') + "\r\n\r\n"));
  EXPECT_THAT(header.ReadToClose(), StartsWith("HTTP/1.1 431 "));
  RawClient body(port());
  ASSERT_TRUE(body.Send(Post("/v1/data/app/allow", std::string(10000, ' '))));
  EXPECT_THAT(body.ReadToClose(), StartsWith("HTTP/1.1 413 "));
  RawClient chunked(port());
  ASSERT_TRUE(chunked.Send(
      "POST /v1/data/app/allow HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "2710\r\n" + std::string(10000, ' ') + "\r\n0\r\n\r\n"));
  EXPECT_THAT(chunked.ReadToClose(), StartsWith("HTTP/1.1 413 "));
}

TEST_F(HttpEdgeTest, RequestDeadlineEndsASlowSender) {
  StartServer({"--http-request-timeout", "1s"});
  RawClient client(port());
  ASSERT_TRUE(client.Send("GET /health HTTP/1.1\r\nHost: x\r\n"));
  // Trickles a header line now and then, never finishing the request.
  for (int i = 0; i < 30 && !client.ServerClosed(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    if (!client.Send("X-A: b\r\n")) break;
  }
  EXPECT_TRUE(client.ServerClosed());
}

TEST_F(HttpEdgeTest, MetricsParseWithPromtool) {
  // promtool (Debian's `prometheus` package, about 100 MB installed) is not
  // a build dependency; the test runs where it is installed.
  if (std::system("command -v promtool > /dev/null 2>&1") != 0) {
    GTEST_SKIP() << "promtool not installed (Debian package prometheus, ~100 MB)";
  }
  StartServer();
  EXPECT_EQ(Http(port(), "POST", "/v1/data/app/allow", R"({"input": {}})").status, 200);
  auto metrics = Http(port(), "GET", "/metrics");
  ASSERT_EQ(metrics.status, 200);
  std::string file = dir_ + "/metrics.txt";
  ::policyd::testing::WriteFile(file, metrics.body);
  EXPECT_EQ(std::system(("promtool check metrics < " + file).c_str()), 0) << metrics.body;
}

}  // namespace
}  // namespace policyd
