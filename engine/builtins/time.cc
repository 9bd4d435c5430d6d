// time.* builtins. Timestamps are int64 nanoseconds since the Unix epoch;
// zones come from the system tz database through absl; layouts are Go's
// (go_time.h), as in OPA.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "engine/builtins/args.h"
#include "engine/builtins/builtin.h"
#include "engine/builtins/go/time.h"

namespace policyd {
namespace {

constexpr std::string_view kOutOfRange = "time outside of valid range";

// A nanosecond timestamp, or "time outside of valid range" for instants
// that int64 nanoseconds cannot hold.
BuiltinResult SafeUnixNanos(std::string_view name, absl::Time t) {
  static const absl::Time kMin = absl::FromUnixNanos(INT64_MIN);
  static const absl::Time kMax = absl::FromUnixNanos(INT64_MAX);
  if (t < kMin || t > kMax) return BuiltinError(name, kOutOfRange);
  return IntResult(absl::ToUnixNanos(t));
}

BuiltinResult SafeUnixNanos(std::string_view name, go_time::Instant i) {
  __int128 ns = static_cast<__int128>(i.seconds) * 1000000000 + i.nanos;
  if (ns < INT64_MIN || ns > INT64_MAX) return BuiltinError(name, kOutOfRange);
  return IntResult(static_cast<int64_t>(ns));
}

// An instant in a zone, with the optional layout of time.format.
struct ZonedTime {
  int64_t ns = 0;
  absl::TimeZone zone = absl::UTCTimeZone();
  std::string layout;

  absl::Time time() const { return absl::FromUnixNanos(ns); }
};

absl::StatusOr<absl::TimeZone> LoadZone(std::string_view name,
                                        std::string_view tz) {
  if (tz.empty() || tz == "UTC") return absl::UTCTimeZone();
  if (tz == "Local") return absl::LocalTimeZone();
  absl::TimeZone zone;
  // absl also understands "Fixed/UTC+hh:mm"-style names that Go does not.
  if (tz.substr(0, 6) == "Fixed/" ||
      !absl::LoadTimeZone(std::string(tz), &zone)) {
    return BuiltinError(name, Concat("unknown time zone ", tz));
  }
  return zone;
}

// OPA's operand: ns, or [ns], [ns, tz] or [ns, tz, layout].
absl::StatusOr<ZonedTime> TzTime(std::string_view name, const Value& a) {
  static constexpr std::string_view kWant =
      "either number (ns) or [number (ns), string (tz)]";
  ZonedTime out;
  const Value* ns = &a;
  if (a.is_array()) {
    if (a.size() == 0) return OperandTypeError(name, 1, kWant, a);
    ns = a.At(0);
    POLICYD_RETURN_IF_ERROR(CheckOperand(name, 1, *ns, Kind::kNumber));
    if (a.size() > 1) {
      const Value& tz = *a.At(1);
      POLICYD_RETURN_IF_ERROR(CheckOperand(name, 1, tz, Kind::kString));
      POLICYD_ASSIGN_OR_RETURN(out.zone, LoadZone(name, tz.string()));
    }
    if (a.size() > 2) {
      const Value& layout = *a.At(2);
      POLICYD_RETURN_IF_ERROR(CheckOperand(name, 1, layout, Kind::kString));
      out.layout = std::string(layout.string());
    }
  } else if (!a.is_number()) {
    return OperandTypeError(name, 1, kWant, a);
  }
  if (!ns->AsInt64(&out.ns)) return BuiltinError(name, "timestamp too big");
  return out;
}

// The instant's civil fields in its zone.
go_time::Fields FieldsOf(const ZonedTime& t) {
  absl::TimeZone::CivilInfo info = t.zone.At(t.time());
  go_time::Fields f;
  f.year = info.cs.year();
  f.month = info.cs.month();
  f.day = info.cs.day();
  f.hour = info.cs.hour();
  f.minute = info.cs.minute();
  f.second = info.cs.second();
  f.nanosecond = static_cast<int>(absl::ToInt64Nanoseconds(info.subsecond));
  // absl numbers weekdays from Monday = 0; Go from Sunday = 0.
  f.weekday = (static_cast<int>(absl::GetWeekday(info.cs)) + 1) % 7;
  f.year_day = absl::GetYearDay(info.cs);
  f.offset_seconds = info.offset;
  f.zone_abbr = info.zone_abbr;
  return f;
}

BuiltinResult NowNs(BuiltinContext& ctx, absl::Span<const Value>) {
  return IntResult(ctx.NowNs());
}

BuiltinResult ParseNs(BuiltinContext&, absl::Span<const Value> args) {
  static constexpr std::string_view kName = "time.parse_ns";
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 1, args[0], Kind::kString));
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 2, args[1], Kind::kString));
  absl::StatusOr<go_time::Instant> t = go_time::Parse(
      go_time::ResolveLayout(args[0].string()), args[1].string());
  if (!t.ok()) return BuiltinError(kName, MessageOf(t.status()));
  return SafeUnixNanos(kName, *t);
}

BuiltinResult ParseRfc3339Ns(BuiltinContext&, absl::Span<const Value> args) {
  static constexpr std::string_view kName = "time.parse_rfc3339_ns";
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 1, args[0], Kind::kString));
  absl::StatusOr<go_time::Instant> t =
      go_time::Parse(go_time::kRFC3339, args[0].string());
  if (!t.ok()) return BuiltinError(kName, MessageOf(t.status()));
  return SafeUnixNanos(kName, *t);
}

BuiltinResult ParseDurationNs(BuiltinContext&, absl::Span<const Value> args) {
  static constexpr std::string_view kName = "time.parse_duration_ns";
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 1, args[0], Kind::kString));
  absl::StatusOr<int64_t> d = go_time::ParseDuration(args[0].string());
  if (!d.ok()) return BuiltinError(kName, MessageOf(d.status()));
  return IntResult(*d);
}

BuiltinResult Format(BuiltinContext&, absl::Span<const Value> args) {
  POLICYD_ASSIGN_OR_RETURN(ZonedTime t, TzTime("time.format", args[0]));
  std::string_view layout = t.layout.empty()
                                ? go_time::kRFC3339Nano
                                : go_time::ResolveLayout(t.layout);
  return std::optional<Value>(
      Value::String(go_time::Format(FieldsOf(t), layout)));
}

BuiltinResult Date(BuiltinContext&, absl::Span<const Value> args) {
  POLICYD_ASSIGN_OR_RETURN(ZonedTime t, TzTime("time.date", args[0]));
  go_time::Fields f = FieldsOf(t);
  return std::optional<Value>(Value::Array(
      {Value::Int(f.year), Value::Int(f.month), Value::Int(f.day)}));
}

BuiltinResult Clock(BuiltinContext&, absl::Span<const Value> args) {
  POLICYD_ASSIGN_OR_RETURN(ZonedTime t, TzTime("time.clock", args[0]));
  go_time::Fields f = FieldsOf(t);
  return std::optional<Value>(Value::Array(
      {Value::Int(f.hour), Value::Int(f.minute), Value::Int(f.second)}));
}

BuiltinResult Weekday(BuiltinContext&, absl::Span<const Value> args) {
  static constexpr std::string_view kNames[] = {
      "Sunday",   "Monday", "Tuesday", "Wednesday",
      "Thursday", "Friday", "Saturday"};
  POLICYD_ASSIGN_OR_RETURN(ZonedTime t, TzTime("time.weekday", args[0]));
  return std::optional<Value>(Value::String(kNames[FieldsOf(t).weekday]));
}

// Go's Time.AddDate: add to the civil fields in the instant's zone and
// normalise (Jan 31 + 1 month = Mar 3 or 2).
BuiltinResult AddDate(BuiltinContext&, absl::Span<const Value> args) {
  static constexpr std::string_view kName = "time.add_date";
  POLICYD_ASSIGN_OR_RETURN(ZonedTime t, TzTime(kName, args[0]));
  POLICYD_ASSIGN_OR_RETURN(int64_t years, IntOperand(kName, 2, args[1]));
  POLICYD_ASSIGN_OR_RETURN(int64_t months, IntOperand(kName, 3, args[2]));
  POLICYD_ASSIGN_OR_RETURN(int64_t days, IntOperand(kName, 4, args[3]));
  // Far beyond the int64 nanosecond range either way; keeps the civil
  // arithmetic below from overflowing.
  constexpr int64_t kLimit = int64_t{1} << 40;
  if (years > kLimit || years < -kLimit || months > kLimit ||
      months < -kLimit || days > kLimit || days < -kLimit) {
    return BuiltinError(kName, kOutOfRange);
  }
  absl::TimeZone::CivilInfo info = t.zone.At(t.time());
  absl::CivilSecond cs(info.cs.year() + years, info.cs.month() + months,
                       info.cs.day() + days, info.cs.hour(), info.cs.minute(),
                       info.cs.second());
  return SafeUnixNanos(kName, t.zone.At(cs).pre + info.subsecond);
}

// Years, months, days, hours, minutes and seconds between two instants,
// read in the first one's zone (OPA's time.diff).
BuiltinResult Diff(BuiltinContext&, absl::Span<const Value> args) {
  static constexpr std::string_view kName = "time.diff";
  POLICYD_ASSIGN_OR_RETURN(ZonedTime t1, TzTime(kName, args[0]));
  POLICYD_ASSIGN_OR_RETURN(ZonedTime t2, TzTime(kName, args[1]));
  t2.zone = t1.zone;
  if (t1.ns > t2.ns) std::swap(t1, t2);
  absl::CivilSecond a = t1.zone.At(t1.time()).cs;
  absl::CivilSecond b = t2.zone.At(t2.time()).cs;
  int64_t year = b.year() - a.year();
  int64_t month = b.month() - a.month();
  int64_t day = b.day() - a.day();
  int64_t hour = b.hour() - a.hour();
  int64_t min = b.minute() - a.minute();
  int64_t sec = b.second() - a.second();
  if (sec < 0) {
    sec += 60;
    --min;
  }
  if (min < 0) {
    min += 60;
    --hour;
  }
  if (hour < 0) {
    hour += 24;
    --day;
  }
  if (day < 0) {
    // Day 32 of the first month normalises into the next month: 32 minus
    // its day is the length of the first month.
    day += 32 - absl::CivilDay(a.year(), a.month(), 32).day();
    --month;
  }
  if (month < 0) {
    month += 12;
    --year;
  }
  return std::optional<Value>(
      Value::Array({Value::Int(year), Value::Int(month), Value::Int(day),
                    Value::Int(hour), Value::Int(min), Value::Int(sec)}));
}

}  // namespace

void RegisterTimeBuiltins(BuiltinRegistry& registry) {
  registry.Add({.name = "time.now_ns",
                .arity = 0,
                .fn = NowNs,
                .nondeterministic = true});
  registry.Add({.name = "time.parse_ns", .arity = 2, .fn = ParseNs});
  registry.Add(
      {.name = "time.parse_rfc3339_ns", .arity = 1, .fn = ParseRfc3339Ns});
  registry.Add(
      {.name = "time.parse_duration_ns", .arity = 1, .fn = ParseDurationNs});
  registry.Add({.name = "time.format", .arity = 1, .fn = Format});
  registry.Add({.name = "time.date", .arity = 1, .fn = Date});
  registry.Add({.name = "time.clock", .arity = 1, .fn = Clock});
  registry.Add({.name = "time.weekday", .arity = 1, .fn = Weekday});
  registry.Add({.name = "time.add_date", .arity = 4, .fn = AddDate});
  registry.Add({.name = "time.diff", .arity = 2, .fn = Diff});
}

}  // namespace policyd
