#include "util/gzip.h"

#include <string>

#include "gtest/gtest.h"

namespace policyd {
namespace {

TEST(GzipTest, RoundTrip) {
  std::string text = "{\"input\": {\"user\": \"alice\"}}";
  std::string packed = Gzip(text);
  EXPECT_EQ(static_cast<unsigned char>(packed[0]), 0x1f);
  absl::StatusOr<std::string> back = Gunzip(packed, 1 << 20);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, text);
}

TEST(GzipTest, ConcatenatedMembers) {
  absl::StatusOr<std::string> back = Gunzip(Gzip("ab") + Gzip("cd"), 100);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, "abcd");
}

TEST(GzipTest, BombStopsAtTheLimit) {
  // 64 MiB of zeros compress to about 64 KiB; the limit is 1 MiB.
  std::string bomb = Gzip(std::string(64 << 20, '\0'));
  absl::StatusOr<std::string> out = Gunzip(bomb, 1 << 20);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(out.status().message().find("limit"), std::string::npos);
}

TEST(GzipTest, ExactlyAtTheLimitIsAccepted) {
  EXPECT_TRUE(Gunzip(Gzip(std::string(1000, 'x')), 1000).ok());
  EXPECT_FALSE(Gunzip(Gzip(std::string(1001, 'x')), 1000).ok());
}

TEST(GzipTest, NotGzipAndTruncated) {
  EXPECT_EQ(Gunzip("{\"input\": 1}", 100).status().code(),
            absl::StatusCode::kInvalidArgument);
  std::string packed = Gzip(std::string(5000, 'y'));
  EXPECT_EQ(Gunzip(packed.substr(0, packed.size() / 2), 1 << 20).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(Gunzip("", 100).ok());
}

}  // namespace
}  // namespace policyd
