#include "engine/builtins/go/time.h"

#include "gtest/gtest.h"

namespace policyd::go_time {
namespace {

int64_t Ns(std::string_view layout, std::string_view value) {
  absl::StatusOr<Instant> t = Parse(layout, value);
  EXPECT_TRUE(t.ok()) << layout << " / " << value << ": " << t.status();
  return t.ok() ? t->seconds * 1000000000 + t->nanos : 0;
}

std::string ParseError(std::string_view layout, std::string_view value) {
  absl::StatusOr<Instant> t = Parse(layout, value);
  EXPECT_FALSE(t.ok());
  return t.ok() ? "" : std::string(t.status().message());
}

TEST(GoTimeTest, ParseElements) {
  EXPECT_EQ(Ns("Jan 2, 2006 at 3:04pm (MST)", "Feb 3, 2013 at 7:54pm (PST)"),
            1359921240000000000);
  EXPECT_EQ(Ns("January 02 2006", "MARCH 05 1970"), 5443200000000000);
  EXPECT_EQ(Ns("Monday 2006-01-02", "tuesday 1970-01-06"), 432000000000000);
  EXPECT_EQ(Ns("06-01-02", "69-12-31"), -86400000000000);
  EXPECT_EQ(Ns("06-01-02", "68-01-01"), 3092601600000000000);  // 2068
  EXPECT_EQ(Ns("2006-01-02T15:04:05-0700", "1970-01-01T01:00:00+0100"), 0);
  EXPECT_EQ(Ns("2006-01-02T15:04:05-07", "1970-01-01T00:00:00-01"), 3600000000000);
  EXPECT_EQ(Ns("2006-01-02T15:04:05Z07:00", "1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(Ns("2006-01-02 15:04:05,000", "1970-01-01 00:00:00,250"), 250000000);
  EXPECT_EQ(Ns("2006-01-02 15:04:05", "1970-01-01 00:00:00.123456789123"), 123456789);
  EXPECT_EQ(Ns("2006-01-02 3PM", "1970-01-01 12AM"), 0);
  EXPECT_EQ(Ns("2006 __2", "1972  60"), 68169600000000000);  // Feb 29
  EXPECT_EQ(Ns("2006-01-02  MST", "1970-01-02 UTC"), 86400000000000);
}

TEST(GoTimeTest, ParseErrors) {
  EXPECT_EQ(ParseError("2006-01-02", "1970-1-01"),
            "parsing time \"1970-1-01\" as \"2006-01-02\": cannot parse "
            "\"1-01\" as \"01\"");
  EXPECT_EQ(ParseError("15:04", "25:00"), "parsing time \"25:00\": hour out of range");
  EXPECT_EQ(ParseError("2006-01-02", "1970-02-29"),
            "parsing time \"1970-02-29\": day out of range");
  EXPECT_EQ(ParseError("2006 002", "1970 366"),
            "parsing time \"1970 366\": day-of-year out of range");
  EXPECT_EQ(ParseError("2006-01-02T15:04:05Z07:00", "1970-01-01T00:00:00+25:00"),
            "parsing time \"1970-01-01T00:00:00+25:00\": time zone offset hour "
            "out of range");
  EXPECT_EQ(ParseError("Jan", "Foo"),
            "parsing time \"Foo\" as \"Jan\": cannot parse \"Foo\" as \"Jan\"");
}

TEST(GoTimeTest, Format) {
  Fields t;
  t.year = 2009;
  t.month = 11;
  t.day = 7;
  t.hour = 23;
  t.minute = 4;
  t.second = 5;
  t.nanosecond = 120000000;
  t.weekday = 6;
  t.year_day = 311;
  t.offset_seconds = -(8 * 3600 + 30 * 60);
  t.zone_abbr = "";
  EXPECT_EQ(Format(t, kRFC3339Nano), "2009-11-07T23:04:05.12-08:30");
  EXPECT_EQ(Format(t, ResolveLayout("RFC1123")), "Sat, 07 Nov 2009 23:04:05 -0830");
  EXPECT_EQ(Format(t, ResolveLayout("ANSIC")), "Sat Nov  7 23:04:05 2009");
  EXPECT_EQ(Format(t, "3:4:5 PM .000 ,99 Z0700 -07:00:00 __2 002"),
            "11:4:5 PM .120 ,12 -0830 -08:30:00 311 311");
  t.offset_seconds = 0;
  t.zone_abbr = "UTC";
  EXPECT_EQ(Format(t, "Z07:00 -07:00 MST .999"), "Z +00:00 UTC .12");
  EXPECT_EQ(Format(t, "Jan January Mon Monday 1 01 2 _2 02 06 2006 15 03"),
            "Nov November Sat Saturday 11 11 7  7 07 09 2009 23 11");
  // Letters that merely start like an element stay literal.
  EXPECT_EQ(Format(t, "Janet Monica"), "Janet Monica");
}

TEST(GoTimeTest, ParseDuration) {
  EXPECT_EQ(*ParseDuration("1h2m3s4ms5us6ns"), 3723004005006);
  EXPECT_EQ(*ParseDuration("+.5s"), 500000000);
  EXPECT_EQ(*ParseDuration("1.s"), 1000000000);
  EXPECT_EQ(*ParseDuration("-9223372036854775808ns"), INT64_MIN);
  EXPECT_EQ(ParseDuration("9223372036854775808ns").status().message(),
            "time: invalid duration \"9223372036854775808ns\"");
  EXPECT_EQ(ParseDuration(".s").status().message(), "time: invalid duration \".s\"");
  EXPECT_EQ(ParseDuration("1h 2m").status().message(),
            "time: unknown unit \"h \" in duration \"1h 2m\"");
}

}  // namespace
}  // namespace policyd::go_time
