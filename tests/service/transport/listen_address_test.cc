#include "service/transport/listen_address.h"

#include "gtest/gtest.h"

namespace policyd {
namespace {

TEST(ListenAddressTest, HostPort) {
  auto a = ParseListenAddress("127.0.0.1:9191");
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE(a->is_unix);
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 9191);
  EXPECT_EQ(a->GrpcTarget(), "127.0.0.1:9191");
}

TEST(ListenAddressTest, EveryInterfaceAndIpv6) {
  EXPECT_EQ(ParseListenAddress(":8181")->GrpcTarget(), "0.0.0.0:8181");
  auto v6 = ParseListenAddress("[::1]:9191");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->GrpcTarget(), "[::1]:9191");
}

TEST(ListenAddressTest, UnixSocket) {
  auto a = ParseListenAddress("unix:///run/policyd/grpc.sock");
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->is_unix);
  EXPECT_EQ(a->path, "/run/policyd/grpc.sock");
  EXPECT_EQ(a->GrpcTarget(), "unix:///run/policyd/grpc.sock");
}

TEST(ListenAddressTest, Errors) {
  EXPECT_FALSE(ParseListenAddress("9191").ok());
  EXPECT_FALSE(ParseListenAddress("host:99999").ok());
  EXPECT_FALSE(ParseListenAddress("host:x").ok());
  EXPECT_FALSE(ParseListenAddress("::1:80").ok());
  EXPECT_FALSE(ParseListenAddress("unix://relative.sock").ok());
}

}  // namespace
}  // namespace policyd
