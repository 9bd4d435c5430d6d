#include "gtest/gtest.h"
#include "tests/engine/builtins/text_test_util.h"

namespace policyd {
namespace {

using ::policyd::testing::Error;
using ::policyd::testing::Eval;
using ::policyd::testing::I;
using ::policyd::testing::J;
using ::policyd::testing::S;
using ::policyd::testing::kType;
using ::policyd::testing::kBuiltin;

TEST(NetTest, CidrContains) {
  EXPECT_EQ(Eval("net.cidr_contains", {S("10.0.0.0/8"), S("10.1.0.0/24")}), "true");
  EXPECT_EQ(Eval("net.cidr_contains", {S("172.17.0.0/24"), S("172.17.0.0/16")}), "false");
  EXPECT_EQ(Eval("net.cidr_contains", {S("10.0.0.0/8"), S("10.1.2.3")}), "true");
  EXPECT_EQ(Eval("net.cidr_contains", {S("10.0.0.0/8"), S("192.168.1.1")}), "false");
  EXPECT_EQ(Eval("net.cidr_contains", {S("2001:4860:4860::8888/32"),
                                       S("2001:4860:4860:1234::8888/40")}),
            "true");
  EXPECT_EQ(Eval("net.cidr_contains", {S("2001:4860::/96"), S("2001:4860::/32")}), "false");
  EXPECT_EQ(Eval("net.cidr_overlap", {S("10.0.0.0/8"), S("10.1.2.3")}), "true");
  EXPECT_EQ(Error("net.cidr_contains", {S("not-a-cidr"), S("192.168.1.67")}, kBuiltin),
            "net.cidr_contains: invalid CIDR address: not-a-cidr");
  EXPECT_EQ(Error("net.cidr_contains", {S("192.168.1.0/28"), S("not-a-cidr")}, kBuiltin),
            "net.cidr_contains: not a valid textual representation of an IP "
            "address or CIDR: not-a-cidr");
  EXPECT_EQ(Error("net.cidr_contains", {S("192.168.1.0/28"), I(1)}, kType),
            "net.cidr_contains: operand 1 must be string but got number");
}

TEST(NetTest, CidrIntersectsAndIsValid) {
  EXPECT_EQ(Eval("net.cidr_intersects", {S("192.168.1.0/25"), S("192.168.1.64/25")}), "true");
  EXPECT_EQ(Eval("net.cidr_intersects", {S("192.168.1.0/24"), S("192.168.2.0/24")}), "false");
  EXPECT_EQ(Eval("net.cidr_intersects", {S("fd1e:5bfe:8af3:9ddc::/64"),
                                         S("fd1e:5bfe:8af3:9ddc:1111::/72")}),
            "true");
  EXPECT_EQ(Error("net.cidr_intersects", {S("192.168.1.0/28"), S("x")}, kBuiltin),
            "net.cidr_intersects: invalid CIDR address: x");
  EXPECT_EQ(Eval("net.cidr_is_valid", {S("192.168.1.0/24")}), "true");
  EXPECT_EQ(Eval("net.cidr_is_valid", {S("2002::1234:abcd:ffff:c0a8:101/64")}), "true");
  EXPECT_EQ(Eval("net.cidr_is_valid", {S("192.168.1.2")}), "false");
  EXPECT_EQ(Eval("net.cidr_is_valid", {S("")}), "false");
  EXPECT_EQ(Eval("net.cidr_is_valid", {I(1)}), "false");
}

TEST(NetTest, CidrExpand) {
  EXPECT_EQ(Eval("net.cidr_expand", {S("192.168.1.1/30")}),
            R"(["192.168.1.0","192.168.1.1","192.168.1.2","192.168.1.3"])");
  EXPECT_EQ(Eval("net.cidr_expand", {S("192.168.1.1/32")}), R"(["192.168.1.1"])");
  EXPECT_EQ(Eval("net.cidr_expand", {S("255.255.255.254/31")}),
            R"(["255.255.255.254","255.255.255.255"])");
  EXPECT_EQ(Eval("net.cidr_expand", {S("2001:db8::/127")}), R"(["2001:db8::","2001:db8::1"])");
  EXPECT_EQ(Error("net.cidr_expand", {S("192.168.1.1/33")}, kBuiltin),
            "net.cidr_expand: invalid CIDR address: 192.168.1.1/33");
  EXPECT_EQ(Error("net.cidr_expand", {S("::/64")}, kBuiltin),
            "net.cidr_expand: too many addresses in ::/64 (limit 2^24)");
}

TEST(NetTest, CidrContainsMatches) {
  EXPECT_EQ(Eval("net.cidr_contains_matches", {S("1.1.1.0/24"), S("1.1.1.1")}),
            R"([["1.1.1.0/24","1.1.1.1"]])");
  EXPECT_EQ(Eval("net.cidr_contains_matches",
                 {J(R"(["1.1.2.0/24", "1.1.1.0/24"])"), J(R"(["1.1.1.1", "1.1.2.1"])")}),
            "[[0,1],[1,0]]");
  EXPECT_EQ(Eval("net.cidr_contains_matches",
                 {J(R"([["1.1.2.0/24", 1], "1.1.1.0/24"])"), J(R"(["1.1.1.1", "1.1.2.1"])")}),
            "[[0,1],[1,0]]");
  EXPECT_EQ(Eval("net.cidr_contains_matches",
                 {J(R"({"k1": "1.1.1.1/24", "k2": ["1.1.1.2/24", 1]})"), S("1.1.1.128")}),
            R"([["k1","1.1.1.128"],["k2","1.1.1.128"]])");
  EXPECT_EQ(Eval("net.cidr_contains_matches",
                 {Value::Set({J(R"(["1.1.1.0/24", "bar"])")}),
                  Value::Set({J(R"(["1.1.1.1", "baz"])")})}),
            R"([[["1.1.1.0/24","bar"],["1.1.1.1","baz"]]])");
  EXPECT_EQ(Error("net.cidr_contains_matches",
                  {J(R"(["1.1.2.0/24"])"), J(R"(["1.1.1.1", 1])")}, kBuiltin),
            "net.cidr_contains_matches: operand 2: element must be string or "
            "non-empty array");
  EXPECT_EQ(Error("net.cidr_contains_matches", {J("[[]]"), S("1.1.1.1")}, kBuiltin),
            "net.cidr_contains_matches: operand 1: element must be string or "
            "non-empty array");
}

TEST(NetTest, CidrMerge) {
  auto merge = [](std::string_view json) { return Eval("net.cidr_merge", {J(json)}); };
  EXPECT_EQ(merge(R"(["192.0.128.0/24", "192.0.129.0/24"])"), R"(["192.0.128.0/23"])");
  EXPECT_EQ(merge(R"(["192.0.2.112/30", "192.0.2.116/31", "192.0.2.118/31"])"),
            R"(["192.0.2.112/29"])");
  EXPECT_EQ(merge(R"(["192.0.2.112/30", "192.0.2.116/32", "192.0.2.118/31"])"),
            R"(["192.0.2.112/30","192.0.2.116/32","192.0.2.118/31"])");
  EXPECT_EQ(merge(R"(["192.0.2.112/31", "192.0.2.116/31", "192.0.2.118/31"])"),
            R"(["192.0.2.112/31","192.0.2.116/30"])");
  EXPECT_EQ(merge(R"(["192.0.128.0/24", "0.0.0.0/0"])"), R"(["0.0.0.0/0"])");
  EXPECT_EQ(merge(R"(["::/0", "::192.0.2.0/124", "ff00::101/128"])"), R"(["::/0"])");
  EXPECT_EQ(merge(R"(["fe80::/120", "192.0.2.0/24", "192.0.3.0/24", "192.0.4.0/25",
                      "192.0.4.128/25"])"),
            R"(["192.0.2.0/23","192.0.4.0/24","fe80::/120"])");
  EXPECT_EQ(merge(R"(["192.0.2.112", "192.0.2.116/31", "192.0.2.118/31"])"),
            R"(["192.0.2.0/24"])");
  EXPECT_EQ(merge(R"(["192.0.128.0", "192.0.129.0"])"), R"(["192.0.128.0/23"])");
  EXPECT_EQ(merge(R"(["10.1.2.3"])"), R"(["10.1.2.3/8"])");
  EXPECT_EQ(merge(R"(["2601:600:8a80:207e:a57d:7567:e2c9:e7b3/64",
                      "2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128"])"),
            R"(["2601:600:8a80:207e::/64"])");
  EXPECT_EQ(merge("[]"), "[]");
  EXPECT_EQ(Error("net.cidr_merge", {J(R"(["2601:600::1"])")}, kBuiltin),
            "net.cidr_merge: IPv6 invalid: needs prefix length");
  EXPECT_EQ(Error("net.cidr_merge", {J(R"(["foo"])")}, kBuiltin),
            "net.cidr_merge: invalid CIDR address: foo");
  EXPECT_EQ(Error("net.cidr_merge", {J("[1]")}, kBuiltin),
            "net.cidr_merge: element must be string");
}

TEST(NetTest, LookupIpAddr) {
  const Builtin* b = BuiltinRegistry::Default().Find("net.lookup_ip_addr");
  ASSERT_NE(b, nullptr);
  EXPECT_TRUE(b->nondeterministic);
  EXPECT_EQ(Eval("net.lookup_ip_addr", {S("10.0.0.0")}), R"(["10.0.0.0"])");
  EXPECT_EQ(Eval("net.lookup_ip_addr", {S("::")}), R"(["::"])");
  std::string local = Eval("net.lookup_ip_addr", {S("localhost")});
  EXPECT_TRUE(local == R"(["127.0.0.1"])" || local == R"(["127.0.0.1","::1"])" ||
              local == R"(["::1"])")
      << local;
  EXPECT_EQ(Error("net.lookup_ip_addr", {I(1)}, kType),
            "net.lookup_ip_addr: operand 1 must be string but got number");
}

}  // namespace
}  // namespace policyd
