#include "service/transport/http_request_reader.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "util/gzip.h"

namespace policyd {
namespace {

namespace http = boost::beast::http;
using ::testing::ElementsAre;

http::request<http::string_body> Message(http::verb verb, std::string target,
                                          std::string body = "") {
  http::request<http::string_body> m(verb, target, 11);
  m.body() = std::move(body);
  m.prepare_payload();
  return m;
}

TEST(HttpRequestReaderTest, SplitsTheQueryAndLowersHeaderNames) {
  auto m = Message(http::verb::post, "/v1/data/a/b?pretty&x=1", "{}");
  m.set("X-Custom", "Value");
  absl::StatusOr<ReadRequest> read = ReadHttpRequest(m, 1 << 20);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->request.method, "POST");
  EXPECT_EQ(read->request.path, "/v1/data/a/b");
  EXPECT_EQ(read->request.query, "pretty&x=1");
  EXPECT_EQ(read->request.body, "{}");
  ASSERT_NE(read->request.Header("x-custom"), nullptr);
  EXPECT_EQ(*read->request.Header("x-custom"), "Value");
  EXPECT_TRUE(read->keep_alive);
  EXPECT_EQ(read->version, 11u);
  EXPECT_FALSE(read->head);
  EXPECT_FALSE(read->gzip_ok);
}

TEST(HttpRequestReaderTest, HeadIsHandledAsGet) {
  auto m = Message(http::verb::head, "/health");
  absl::StatusOr<ReadRequest> read = ReadHttpRequest(m, 1 << 20);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->request.method, "GET");
  EXPECT_TRUE(read->head);
}

TEST(HttpRequestReaderTest, AcceptEncodingGzipAmongOthers) {
  auto m = Message(http::verb::get, "/metrics");
  m.set(http::field::accept_encoding, "br;q=1.0, GZIP;q=0.5");
  absl::StatusOr<ReadRequest> read = ReadHttpRequest(m, 1 << 20);
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE(read->gzip_ok);
}

TEST(HttpRequestReaderTest, GzipBodiesAreDecompressedWithinTheLimit) {
  auto m = Message(http::verb::post, "/v1/data", Gzip(R"({"input": 1})"));
  m.set(http::field::content_encoding, "gzip");
  absl::StatusOr<ReadRequest> read = ReadHttpRequest(m, 1 << 20);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->request.body, R"({"input": 1})");

  // 1 MB of zeros compresses to about 1 kB: refused past a 64 kB limit.
  auto bomb = Message(http::verb::post, "/v1/data", Gzip(std::string(1 << 20, '0')));
  bomb.set(http::field::content_encoding, "gzip");
  read = ReadHttpRequest(bomb, 64 << 10);
  EXPECT_EQ(read.status().code(), absl::StatusCode::kResourceExhausted);

  auto broken = Message(http::verb::post, "/v1/data", "not gzip at all");
  broken.set(http::field::content_encoding, "gzip");
  read = ReadHttpRequest(broken, 1 << 20);
  EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(HttpRequestReaderTest, OtherContentEncodingsAreUnsupported) {
  auto m = Message(http::verb::post, "/v1/data", "x");
  m.set(http::field::content_encoding, "br");
  EXPECT_EQ(ReadHttpRequest(m, 1 << 20).status().code(),
            absl::StatusCode::kUnimplemented);
  auto identity = Message(http::verb::post, "/v1/data", "x");
  identity.set(http::field::content_encoding, "identity");
  EXPECT_TRUE(ReadHttpRequest(identity, 1 << 20).ok());
}

TEST(HttpRequestReaderTest, Http10WithoutKeepAliveCloses) {
  http::request<http::string_body> m(http::verb::get, "/health", 10);
  absl::StatusOr<ReadRequest> read = ReadHttpRequest(m, 1 << 20);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->version, 10u);
  EXPECT_FALSE(read->keep_alive);
  EXPECT_THAT(read->request.headers, ElementsAre());
}

}  // namespace
}  // namespace policyd
