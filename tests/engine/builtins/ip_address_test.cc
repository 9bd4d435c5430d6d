#include "engine/builtins/ip_address.h"

#include "gtest/gtest.h"

namespace policyd {
namespace {

std::string Ip(std::string_view s) {
  std::optional<IpAddress> ip = ParseIp(s);
  return ip ? ip->ToString() : "invalid";
}

std::string Cidr(std::string_view s) {
  std::optional<IpNetwork> net = ParseCidr(s);
  return net ? net->ToString() : "invalid";
}

TEST(IpAddressTest, ParsesAndPrintsLikeGo) {
  EXPECT_EQ(Ip("10.1.2.3"), "10.1.2.3");
  EXPECT_EQ(Ip("::"), "::");
  EXPECT_EQ(Ip("::1"), "::1");
  EXPECT_EQ(Ip("2001:0DB8:0:0:0:0:0:1"), "2001:db8::1");
  EXPECT_EQ(Ip("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");
  EXPECT_EQ(Ip("2001:db8:0:1:1:1:1:1"), "2001:db8:0:1:1:1:1:1");
  EXPECT_EQ(Ip("::ffff:1.2.3.4"), "1.2.3.4");
  EXPECT_EQ(Ip("::192.0.2.1"), "::c000:201");
  EXPECT_EQ(Ip("fe80::"), "fe80::");
  for (std::string_view bad :
       {"", "1.2.3", "1.2.3.4.5", "01.2.3.4", "256.1.1.1", "1.2.3.4/8",
        "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::", ":1", "1:",
        "fe80::1%eth0", "12345::", "g::", "1:2:3:4:5:6:7:1.2.3.4"}) {
    EXPECT_EQ(Ip(bad), "invalid") << bad;
  }
}

TEST(IpAddressTest, Cidr) {
  EXPECT_EQ(Cidr("192.168.1.77/24"), "192.168.1.0/24");
  EXPECT_EQ(Cidr("10.0.0.1/032"), "10.0.0.1/32");
  EXPECT_EQ(Cidr("2001:db8::ff/120"), "2001:db8::/120");
  EXPECT_EQ(Cidr("::ffff:1.2.3.4/120"), "1.2.3.0/24");
  EXPECT_EQ(Cidr("0.0.0.0/0"), "0.0.0.0/0");
  for (std::string_view bad : {"1.2.3.4", "1.2.3.4/33", "::/129", "1.2.3.4/",
                               "1.2.3.4/a", "x/8", "1.2.3.4/-1"}) {
    EXPECT_EQ(Cidr(bad), "invalid") << bad;
  }
}

TEST(IpAddressTest, ContainsKeepsFamiliesApart) {
  IpNetwork all6 = *ParseCidr("::/0");
  IpNetwork net = *ParseCidr("10.0.0.0/8");
  EXPECT_TRUE(net.Contains(*ParseIp("10.255.0.1")));
  EXPECT_TRUE(net.Contains(*ParseIp("::ffff:10.0.0.1")));
  EXPECT_FALSE(net.Contains(*ParseIp("11.0.0.0")));
  EXPECT_FALSE(all6.Contains(*ParseIp("10.0.0.1")));
  EXPECT_TRUE(all6.Contains(*ParseIp("fe80::1")));
  EXPECT_EQ(net.Last().ToString(), "10.255.255.255");
}

TEST(IpAddressTest, NextAndPrevious) {
  EXPECT_EQ(NextIp(*ParseIp("10.0.0.255")).ToString(), "10.0.1.0");
  EXPECT_EQ(PreviousIp(*ParseIp("10.0.1.0")).ToString(), "10.0.0.255");
  EXPECT_EQ(NextIp(*ParseIp("::ffff")).ToString(), "::1:0");
}

}  // namespace
}  // namespace policyd
