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

Value Zoned(int64_t ns, std::string_view tz) { return Value::Array({I(ns), S(tz)}); }

TEST(TimeTest, NowIsTheQueryTime) {
  const Builtin* b = BuiltinRegistry::Default().Find("time.now_ns");
  ASSERT_NE(b, nullptr);
  EXPECT_TRUE(b->nondeterministic);
  BuiltinContext ctx;
  ctx.now_ns = 1234;
  auto r = b->fn(ctx, {});
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_EQ((*r)->ToJson(), "1234");
}

TEST(TimeTest, ParseNs) {
  EXPECT_EQ(Eval("time.parse_ns", {S("2006-01-02T15:04:05Z07:00"),
                                   S("2017-06-02T19:00:00-07:00")}),
            "1496455200000000000");
  EXPECT_EQ(Eval("time.parse_ns", {S("01/02 03:04:05PM '06 -0700"),
                                   S("06/02 07:00:00PM '17 -0700")}),
            "1496455200000000000");
  EXPECT_EQ(Eval("time.parse_ns", {S("02 Jan 06 15:04 -0700"), S("02 Jun 17 19:00 -0700")}),
            "1496455200000000000");
  EXPECT_EQ(Eval("time.parse_ns", {S("RFC822Z"), S("02 Jun 17 19:00 -0700")}),
            "1496455200000000000");
  EXPECT_EQ(Eval("time.parse_ns", {S("2006-01-02"), S("2020-02-29")}),
            "1582934400000000000");
  EXPECT_EQ(Eval("time.parse_ns", {S("Jan _2 2006 MST"), S("feb  3 1970 PST")}),
            "2851200000000000");
  EXPECT_EQ(Eval("time.parse_ns", {S("2006-01-02T15:04:05Z07:00"),
                                   S("1677-09-21T00:12:43.145224192-00:00")}),
            "-9223372036854775808");
  EXPECT_EQ(Eval("time.parse_ns", {S("2006-01-02T15:04:05Z07:00"),
                                   S("2262-04-11T23:47:16.854775807-00:00")}),
            "9223372036854775807");
  EXPECT_EQ(Eval("time.parse_ns", {S("2006-01-02 15:04:05.000"),
                                   S("1970-01-01 00:00:01.500")}),
            "1500000000");
  EXPECT_EQ(Eval("time.parse_ns", {S("2006-01-02 15:04:05.999"),
                                   S("1970-01-01 00:00:01")}),
            "1000000000");
  EXPECT_EQ(Eval("time.parse_ns", {S("2006 002"), S("1970 032")}),
            "2678400000000000");
}

TEST(TimeTest, ParseNsErrors) {
  EXPECT_EQ(Error("time.parse_ns", {S("2006-01-02T15:04:05Z07:00"),
                                    S("1677-09-21T00:12:43.145224191-00:00")},
                  kBuiltin),
            "time.parse_ns: time outside of valid range");
  // Without a date the year is 0, long before the int64 range.
  EXPECT_EQ(Error("time.parse_ns", {S("15:04"), S("10:30")}, kBuiltin),
            "time.parse_ns: time outside of valid range");
  EXPECT_EQ(Error("time.parse_ns", {S("2006-01-02"), S("2020-02-30")}, kBuiltin),
            "time.parse_ns: parsing time \"2020-02-30\": day out of range");
  EXPECT_EQ(Error("time.parse_ns", {S("2006-01-02"), S("20x0-02-01")}, kBuiltin),
            "time.parse_ns: parsing time \"20x0-02-01\" as \"2006-01-02\": "
            "cannot parse \"20x0-02-01\" as \"2006\"");
  EXPECT_EQ(Error("time.parse_ns", {S("2006-01-02"), S("2020-13-01")}, kBuiltin),
            "time.parse_ns: parsing time \"2020-13-01\": month out of range");
  EXPECT_EQ(Error("time.parse_ns", {S("2006-01-02"), S("2020-01-01 extra")}, kBuiltin),
            "time.parse_ns: parsing time \"2020-01-01 extra\": extra text: "
            "\" extra\"");
  EXPECT_EQ(Error("time.parse_ns", {I(1), S("x")}, kType),
            "time.parse_ns: operand 1 must be string but got number");
  EXPECT_EQ(Error("time.parse_ns", {S("x"), I(1)}, kType),
            "time.parse_ns: operand 2 must be string but got number");
}

TEST(TimeTest, ParseRfc3339Ns) {
  EXPECT_EQ(Eval("time.parse_rfc3339_ns", {S("1970-01-01T00:00:00-00:00")}), "0");
  EXPECT_EQ(Eval("time.parse_rfc3339_ns", {S("2017-06-02T19:00:00.5Z")}),
            "1496430000500000000");
  EXPECT_EQ(Error("time.parse_rfc3339_ns", {S("2262-04-11T23:47:16.854775808-00:00")},
                  kBuiltin),
            "time.parse_rfc3339_ns: time outside of valid range");
  EXPECT_EQ(Error("time.parse_rfc3339_ns", {S("2017-06-02")}, kBuiltin),
            "time.parse_rfc3339_ns: parsing time \"2017-06-02\" as "
            "\"2006-01-02T15:04:05Z07:00\": cannot parse \"\" as \"T\"");
}

TEST(TimeTest, ParseDurationNs) {
  EXPECT_EQ(Eval("time.parse_duration_ns", {S("100ms")}), "100000000");
  EXPECT_EQ(Eval("time.parse_duration_ns", {S("1h30m")}), "5400000000000");
  EXPECT_EQ(Eval("time.parse_duration_ns", {S("-1.5s")}), "-1500000000");
  EXPECT_EQ(Eval("time.parse_duration_ns", {S("2\xC2\xB5s3ns")}), "2003");
  EXPECT_EQ(Eval("time.parse_duration_ns", {S("0")}), "0");
  EXPECT_EQ(Error("time.parse_duration_ns", {S("1x")}, kBuiltin),
            "time.parse_duration_ns: time: unknown unit \"x\" in duration \"1x\"");
  EXPECT_EQ(Error("time.parse_duration_ns", {S("12")}, kBuiltin),
            "time.parse_duration_ns: time: missing unit in duration \"12\"");
  EXPECT_EQ(Error("time.parse_duration_ns", {S("")}, kBuiltin),
            "time.parse_duration_ns: time: invalid duration \"\"");
  EXPECT_EQ(Error("time.parse_duration_ns", {S("9999999999h")}, kBuiltin),
            "time.parse_duration_ns: time: invalid duration \"9999999999h\"");
}

TEST(TimeTest, DateClockWeekday) {
  EXPECT_EQ(Eval("time.date", {I(1517814000000000000)}), "[2018,2,5]");
  EXPECT_EQ(Eval("time.date", {Zoned(1517814000000000000, "America/Los_Angeles")}),
            "[2018,2,4]");
  EXPECT_EQ(Eval("time.date", {Zoned(1517832000000000000, "")}), "[2018,2,5]");
  EXPECT_EQ(Eval("time.date", {I(1582977600000000000)}), "[2020,2,29]");
  EXPECT_EQ(Eval("time.clock", {I(1517832000000000000)}), "[12,0,0]");
  EXPECT_EQ(Eval("time.clock", {Zoned(1517832000000000000, "America/New_York")}),
            "[7,0,0]");
  EXPECT_EQ(Eval("time.clock", {I(-1)}), "[23,59,59]");
  EXPECT_EQ(Eval("time.weekday", {I(1517832000000000000)}), R"("Monday")");
  EXPECT_EQ(Eval("time.weekday", {I(1518350400000000000)}), R"("Sunday")");
  EXPECT_EQ(Eval("time.weekday", {Zoned(0, "Asia/Tokyo")}), R"("Thursday")");
}

TEST(TimeTest, TimestampErrors) {
  EXPECT_EQ(Error("time.date", {J("1582977600000000000000")}, kBuiltin),
            "time.date: timestamp too big");
  EXPECT_EQ(Error("time.clock", {J("1.5")}, kBuiltin),
            "time.clock: timestamp too big");
  EXPECT_EQ(Error("time.weekday", {S("x")}, kType),
            "time.weekday: operand 1 must be either number (ns) or [number "
            "(ns), string (tz)] but got string");
  EXPECT_EQ(Error("time.date", {J("[]")}, kType),
            "time.date: operand 1 must be either number (ns) or [number "
            "(ns), string (tz)] but got array");
  EXPECT_EQ(Error("time.date", {J(R"(["x"])")}, kType),
            "time.date: operand 1 must be number but got string");
  EXPECT_EQ(Error("time.date", {J("[1, 2]")}, kType),
            "time.date: operand 1 must be string but got number");
  EXPECT_EQ(Error("time.date", {Zoned(0, "Mars/Olympus")}, kBuiltin),
            "time.date: unknown time zone Mars/Olympus");
}

TEST(TimeTest, Format) {
  constexpr int64_t kNs = 1670006453141828752;
  EXPECT_EQ(Eval("time.format", {I(kNs)}), R"("2022-12-02T18:40:53.141828752Z")");
  EXPECT_EQ(Eval("time.format", {Zoned(kNs, "Asia/Kolkata")}),
            R"("2022-12-03T00:10:53.141828752+05:30")");
  EXPECT_EQ(Eval("time.format", {Value::Array({I(kNs), S("Asia/Kolkata"),
                                               S("Mon Jan 02 15:04:05 -0700 2006")})}),
            R"("Sat Dec 03 00:10:53 +0530 2022")");
  EXPECT_EQ(Eval("time.format",
                 {Value::Array({I(kNs), S("Asia/Kolkata"), S("RFC1123Z")})}),
            R"("Sat, 03 Dec 2022 00:10:53 +0530")");
  EXPECT_EQ(Eval("time.format",
                 {Value::Array({I(kNs), S("America/New_York"),
                                S("Monday January _2 3:4:5.000 pm MST 06 002 Z07")})}),
            R"("Friday December  2 1:40:53.141 pm EST 22 336 -05")");
  EXPECT_EQ(Eval("time.format", {Value::Array({I(0), S("UTC"), S("RFC3339Nano")})}),
            R"("1970-01-01T00:00:00Z")");
  EXPECT_EQ(Error("time.format", {J("15829776000000000000000")}, kBuiltin),
            "time.format: timestamp too big");
}

TEST(TimeTest, AddDate) {
  EXPECT_EQ(Eval("time.add_date", {I(1585852421593912000), I(3), I(9), I(12)}),
            "1705257221593912000");
  EXPECT_EQ(Eval("time.add_date", {I(1585852421593912000), I(-1), I(-1), I(-1)}),
            "1551465221593912000");
  // Jan 31 + 1 month normalises to Mar 2 in a leap year.
  EXPECT_EQ(Eval("time.add_date", {I(1580428800000000000), I(0), I(1), I(0)}),
            "1583107200000000000");
  EXPECT_EQ(Error("time.add_date", {I(0), I(2262), I(1), I(1)}, kBuiltin),
            "time.add_date: time outside of valid range");
  EXPECT_EQ(Error("time.add_date", {I(INT64_MIN), I(0), I(0), I(-1)}, kBuiltin),
            "time.add_date: time outside of valid range");
  EXPECT_EQ(Error("time.add_date", {I(0), J("1.5"), I(0), I(0)}, kType),
            "time.add_date: operand 2 must be integer number but got "
            "floating-point number");
}

TEST(TimeTest, Diff) {
  constexpr int64_t kDay = 86400000000000;
  EXPECT_EQ(Eval("time.diff", {I(61000000000), I(0)}), "[0,0,0,0,1,1]");
  EXPECT_EQ(Eval("time.diff", {Zoned(3600000000000, "UTC"), Zoned(0, "Asia/Shanghai")}),
            "[0,0,0,1,0,0]");
  // 2020-02-02 .. 2020-03-01 (leap year) and 2021.
  EXPECT_EQ(Eval("time.diff", {I(18294 * kDay), I(18322 * kDay)}), "[0,0,28,0,0,0]");
  EXPECT_EQ(Eval("time.diff", {I(18660 * kDay), I(18687 * kDay)}), "[0,0,27,0,0,0]");
  // 2004-02-29 .. 2005-03-01.
  EXPECT_EQ(Eval("time.diff", {I(12477 * kDay), I(12843 * kDay)}), "[1,0,1,0,0,0]");
}

}  // namespace
}  // namespace policyd
