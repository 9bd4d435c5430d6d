// Go's time layouts and durations, which OPA's time builtins expose to
// policies: a layout is an example rendering of the reference time
// "Mon Jan 2 15:04:05 MST 2006" ("2006-01-02", "15:04:05.000Z07:00", ...).
// Parsing and formatting follow Go's time.Parse / Time.Format, including their
// error texts (`parsing time "x" as "2006": cannot parse "x" as "2006"`).
#ifndef POLICYD_ENGINE_BUILTINS_GO_TIME_H_
#define POLICYD_ENGINE_BUILTINS_GO_TIME_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace policyd::go_time {

// A civil time in some zone, as Time.Format needs it.
struct Fields {
  int64_t year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  int hour = 0;
  int minute = 0;
  int second = 0;
  int nanosecond = 0;
  int weekday = 4;   // 0 = Sunday
  int year_day = 1;  // 1..366
  int offset_seconds = 0;  // east of UTC
  std::string zone_abbr;   // "UTC", "PST"; empty for an unnamed offset
};

// The named layouts OPA accepts in place of a layout ("RFC3339",
// "RFC1123Z", ...): returns the layout, or `layout` itself when unnamed.
std::string_view ResolveLayout(std::string_view layout);

inline constexpr std::string_view kRFC3339 = "2006-01-02T15:04:05Z07:00";
inline constexpr std::string_view kRFC3339Nano =
    "2006-01-02T15:04:05.999999999Z07:00";

// Time.Format.
std::string Format(const Fields& t, std::string_view layout);

// An instant: seconds since the Unix epoch and nanoseconds within it.
struct Instant {
  int64_t seconds = 0;
  int32_t nanos = 0;  // 0..999999999
};

// time.Parse (default location UTC; a zone abbreviation other than UTC
// keeps the UTC reading, as Go does). Errors are InvalidArgument with Go's
// message.
absl::StatusOr<Instant> Parse(std::string_view layout, std::string_view value);

// time.ParseDuration: "1h30m", "-1.5s", "300ms", "2us"; nanoseconds.
absl::StatusOr<int64_t> ParseDuration(std::string_view s);

}  // namespace policyd::go_time

#endif  // POLICYD_ENGINE_BUILTINS_GO_TIME_H_
