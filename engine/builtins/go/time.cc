#include "engine/builtins/go/time.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "engine/builtins/go/quote.h"

namespace policyd::go_time {
namespace {

// Layout elements (Go's std* constants).
enum Std {
  kNone = 0,
  kLongMonth,       // "January"
  kMonth,           // "Jan"
  kNumMonth,        // "1"
  kZeroMonth,       // "01"
  kLongWeekDay,     // "Monday"
  kWeekDay,         // "Mon"
  kDay,             // "2"
  kUnderDay,        // "_2"
  kZeroDay,         // "02"
  kUnderYearDay,    // "__2"
  kZeroYearDay,     // "002"
  kHour,            // "15"
  kHour12,          // "3"
  kZeroHour12,      // "03"
  kMinute,          // "4"
  kZeroMinute,      // "04"
  kSecond,          // "5"
  kZeroSecond,      // "05"
  kLongYear,        // "2006"
  kYear,            // "06"
  kPM,              // "PM"
  kpm,              // "pm"
  kTZ,              // "MST"
  kISO8601TZ,       // "Z0700"
  kISO8601SecondsTZ,       // "Z070000"
  kISO8601ShortTZ,         // "Z07"
  kISO8601ColonTZ,         // "Z07:00"
  kISO8601ColonSecondsTZ,  // "Z07:00:00"
  kNumTZ,                  // "-0700"
  kNumSecondsTz,           // "-070000"
  kNumShortTZ,             // "-07"
  kNumColonTZ,             // "-07:00"
  kNumColonSecondsTZ,      // "-07:00:00"
  kFracSecond0,            // ".0", ".00", ... (trailing zeros kept)
  kFracSecond9,            // ".9", ".99", ... (trailing zeros dropped)
};

// The zone elements that write UTC as "Z" (the kISO8601* run of Std).
bool IsIso8601Zone(Std std) { return std >= kISO8601TZ && std <= kISO8601ColonSecondsTZ; }

struct Chunk {
  std::string_view prefix;  // literal text before the element
  Std std = kNone;
  int frac_digits = 0;      // for kFracSecond*
  char frac_sep = '.';      // '.' or ','
  std::string_view element;  // the layout text of the element
  std::string_view suffix;  // the rest of the layout
};

constexpr std::array<std::string_view, 12> kLongMonthNames = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 12> kShortMonthNames = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 7> kLongDayNames = {
    "Sunday",   "Monday", "Tuesday", "Wednesday",
    "Thursday", "Friday", "Saturday"};
constexpr std::array<std::string_view, 7> kShortDayNames = {
    "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

bool IsDigitAt(std::string_view s, size_t i) {
  return i < s.size() && s[i] >= '0' && s[i] <= '9';
}

bool StartsWithLower(std::string_view s) {
  return !s.empty() && s[0] >= 'a' && s[0] <= 'z';
}

bool HasAt(std::string_view s, size_t i, std::string_view what) {
  return s.substr(i, what.size()) == what;
}

// Go's nextStdChunk: the first layout element in `layout`.
Chunk NextChunk(std::string_view layout) {
  auto make = [&](size_t i, Std std, size_t len) {
    Chunk c;
    c.prefix = layout.substr(0, i);
    c.std = std;
    c.element = layout.substr(i, len);
    c.suffix = layout.substr(i + len);
    return c;
  };
  for (size_t i = 0; i < layout.size(); ++i) {
    char c = layout[i];
    switch (c) {
      case 'J':
        if (HasAt(layout, i, "Jan")) {
          if (HasAt(layout, i, "January")) return make(i, kLongMonth, 7);
          if (!StartsWithLower(layout.substr(i + 3))) return make(i, kMonth, 3);
        }
        break;
      case 'M':
        if (HasAt(layout, i, "Mon")) {
          if (HasAt(layout, i, "Monday")) return make(i, kLongWeekDay, 6);
          if (!StartsWithLower(layout.substr(i + 3))) {
            return make(i, kWeekDay, 3);
          }
        }
        if (HasAt(layout, i, "MST")) return make(i, kTZ, 3);
        break;
      case '0':
        if (i + 1 < layout.size() && layout[i + 1] >= '1' &&
            layout[i + 1] <= '6') {
          static constexpr Std kZero[] = {kZeroMonth,  kZeroDay,
                                          kZeroHour12, kZeroMinute,
                                          kZeroSecond, kYear};
          return make(i, kZero[layout[i + 1] - '1'], 2);
        }
        if (HasAt(layout, i, "002")) return make(i, kZeroYearDay, 3);
        break;
      case '1':
        if (HasAt(layout, i, "15")) return make(i, kHour, 2);
        return make(i, kNumMonth, 1);
      case '2':
        if (HasAt(layout, i, "2006")) return make(i, kLongYear, 4);
        return make(i, kDay, 1);
      case '_':
        if (HasAt(layout, i, "_2")) {
          // "_2006" is a literal '_' followed by the long year.
          if (HasAt(layout, i + 1, "2006")) return make(i + 1, kLongYear, 4);
          return make(i, kUnderDay, 2);
        }
        if (HasAt(layout, i, "__2")) return make(i, kUnderYearDay, 3);
        break;
      case '3':
        return make(i, kHour12, 1);
      case '4':
        return make(i, kMinute, 1);
      case '5':
        return make(i, kSecond, 1);
      case 'P':
        if (HasAt(layout, i, "PM")) return make(i, kPM, 2);
        break;
      case 'p':
        if (HasAt(layout, i, "pm")) return make(i, kpm, 2);
        break;
      case '-':
        if (HasAt(layout, i, "-070000")) return make(i, kNumSecondsTz, 7);
        if (HasAt(layout, i, "-07:00:00")) {
          return make(i, kNumColonSecondsTZ, 9);
        }
        if (HasAt(layout, i, "-0700")) return make(i, kNumTZ, 5);
        if (HasAt(layout, i, "-07:00")) return make(i, kNumColonTZ, 6);
        if (HasAt(layout, i, "-07")) return make(i, kNumShortTZ, 3);
        break;
      case 'Z':
        if (HasAt(layout, i, "Z070000")) return make(i, kISO8601SecondsTZ, 7);
        if (HasAt(layout, i, "Z07:00:00")) {
          return make(i, kISO8601ColonSecondsTZ, 9);
        }
        if (HasAt(layout, i, "Z0700")) return make(i, kISO8601TZ, 5);
        if (HasAt(layout, i, "Z07:00")) return make(i, kISO8601ColonTZ, 6);
        if (HasAt(layout, i, "Z07")) return make(i, kISO8601ShortTZ, 3);
        break;
      case '.':
      case ',':
        if (i + 1 < layout.size() &&
            (layout[i + 1] == '0' || layout[i + 1] == '9')) {
          char ch = layout[i + 1];
          size_t j = i + 1;
          while (j < layout.size() && layout[j] == ch) ++j;
          // Only a fractional second when the run of digits ends here.
          if (!IsDigitAt(layout, j)) {
            Chunk chunk = make(i, ch == '0' ? kFracSecond0 : kFracSecond9,
                               j - i);
            chunk.frac_digits = static_cast<int>(j - (i + 1));
            chunk.frac_sep = c;
            return chunk;
          }
        }
        break;
      default:
        break;
    }
  }
  Chunk chunk;
  chunk.prefix = layout;
  return chunk;
}

void AppendInt(std::string* out, int64_t x, int width) {
  if (x < 0) {
    out->push_back('-');
    x = -x;
  }
  std::string digits = std::to_string(x);
  for (int i = static_cast<int>(digits.size()); i < width; ++i) {
    out->push_back('0');
  }
  out->append(digits);
}

// Go's formatNano: `digits` digits of the nanoseconds; with trim (the .999
// form) trailing zeros go, and the separator too when nothing is left.
void AppendNanos(std::string* out, int nanos, int digits, char sep,
                 bool trim) {
  std::string buf = std::to_string(nanos);
  buf.insert(0, 9 - buf.size(), '0');
  if (digits > 9) digits = 9;
  std::string_view frac = std::string_view(buf).substr(0, digits);
  if (trim) {
    while (!frac.empty() && frac.back() == '0') frac.remove_suffix(1);
    if (frac.empty()) return;
  }
  out->push_back(sep);
  out->append(frac);
}

}  // namespace

std::string_view ResolveLayout(std::string_view layout) {
  struct Named {
    std::string_view name;
    std::string_view layout;
  };
  static constexpr Named kNamed[] = {
      {"ANSIC", "Mon Jan _2 15:04:05 2006"},
      {"UnixDate", "Mon Jan _2 15:04:05 MST 2006"},
      {"RubyDate", "Mon Jan 02 15:04:05 -0700 2006"},
      {"RFC822", "02 Jan 06 15:04 MST"},
      {"RFC822Z", "02 Jan 06 15:04 -0700"},
      {"RFC850", "Monday, 02-Jan-06 15:04:05 MST"},
      {"RFC1123", "Mon, 02 Jan 2006 15:04:05 MST"},
      {"RFC1123Z", "Mon, 02 Jan 2006 15:04:05 -0700"},
      {"RFC3339", kRFC3339},
      {"RFC3339Nano", kRFC3339Nano},
  };
  for (const Named& n : kNamed) {
    if (n.name == layout) return n.layout;
  }
  return layout;
}

std::string Format(const Fields& t, std::string_view layout) {
  std::string out;
  while (!layout.empty()) {
    Chunk c = NextChunk(layout);
    out.append(c.prefix);
    if (c.std == kNone) break;
    layout = c.suffix;
    switch (c.std) {
      case kYear: {
        int64_t y = t.year % 100;
        AppendInt(&out, y < 0 ? -y : y, 2);
        break;
      }
      case kLongYear:
        AppendInt(&out, t.year, 4);
        break;
      case kMonth:
        out.append(kShortMonthNames[t.month - 1]);
        break;
      case kLongMonth:
        out.append(kLongMonthNames[t.month - 1]);
        break;
      case kNumMonth:
        AppendInt(&out, t.month, 0);
        break;
      case kZeroMonth:
        AppendInt(&out, t.month, 2);
        break;
      case kWeekDay:
        out.append(kShortDayNames[t.weekday]);
        break;
      case kLongWeekDay:
        out.append(kLongDayNames[t.weekday]);
        break;
      case kDay:
        AppendInt(&out, t.day, 0);
        break;
      case kUnderDay:
        if (t.day < 10) out.push_back(' ');
        AppendInt(&out, t.day, 0);
        break;
      case kZeroDay:
        AppendInt(&out, t.day, 2);
        break;
      case kUnderYearDay:
        if (t.year_day < 100) {
          out.push_back(' ');
          if (t.year_day < 10) out.push_back(' ');
        }
        AppendInt(&out, t.year_day, 0);
        break;
      case kZeroYearDay:
        AppendInt(&out, t.year_day, 3);
        break;
      case kHour:
        AppendInt(&out, t.hour, 2);
        break;
      case kHour12:
      case kZeroHour12: {
        int hr = t.hour % 12;
        if (hr == 0) hr = 12;
        AppendInt(&out, hr, c.std == kHour12 ? 0 : 2);
        break;
      }
      case kMinute:
        AppendInt(&out, t.minute, 0);
        break;
      case kZeroMinute:
        AppendInt(&out, t.minute, 2);
        break;
      case kSecond:
        AppendInt(&out, t.second, 0);
        break;
      case kZeroSecond:
        AppendInt(&out, t.second, 2);
        break;
      case kPM:
        out.append(t.hour >= 12 ? "PM" : "AM");
        break;
      case kpm:
        out.append(t.hour >= 12 ? "pm" : "am");
        break;
      case kISO8601TZ:
      case kISO8601ColonTZ:
      case kISO8601SecondsTZ:
      case kISO8601ShortTZ:
      case kISO8601ColonSecondsTZ:
      case kNumTZ:
      case kNumColonTZ:
      case kNumSecondsTz:
      case kNumShortTZ:
      case kNumColonSecondsTZ: {
        bool iso = IsIso8601Zone(c.std);
        if (iso && t.offset_seconds == 0) {
          out.push_back('Z');
          break;
        }
        int zone = t.offset_seconds / 60;
        int abs_offset = t.offset_seconds;
        if (zone < 0) {
          out.push_back('-');
          zone = -zone;
          abs_offset = -abs_offset;
        } else {
          out.push_back('+');
        }
        AppendInt(&out, zone / 60, 2);
        bool colon = c.std == kISO8601ColonTZ || c.std == kNumColonTZ ||
                     c.std == kISO8601ColonSecondsTZ ||
                     c.std == kNumColonSecondsTZ;
        if (colon) out.push_back(':');
        if (c.std != kNumShortTZ && c.std != kISO8601ShortTZ) {
          AppendInt(&out, zone % 60, 2);
        }
        if (c.std == kISO8601SecondsTZ || c.std == kNumSecondsTz ||
            c.std == kNumColonSecondsTZ || c.std == kISO8601ColonSecondsTZ) {
          if (colon) out.push_back(':');
          AppendInt(&out, abs_offset % 60, 2);
        }
        break;
      }
      case kTZ: {
        if (!t.zone_abbr.empty()) {
          out.append(t.zone_abbr);
          break;
        }
        int zone = t.offset_seconds / 60;
        if (zone < 0) {
          out.push_back('-');
          zone = -zone;
        } else {
          out.push_back('+');
        }
        AppendInt(&out, zone / 60, 2);
        AppendInt(&out, zone % 60, 2);
        break;
      }
      case kFracSecond0:
      case kFracSecond9:
        AppendNanos(&out, t.nanosecond, c.frac_digits, c.frac_sep,
                    c.std == kFracSecond9);
        break;
      case kNone:
        break;
    }
  }
  return out;
}

namespace {

// Go's getnum: one or two digits (exactly two when `fixed`).
bool GetNum(std::string_view* s, bool fixed, int* out) {
  if (!IsDigitAt(*s, 0)) return false;
  if (!IsDigitAt(*s, 1)) {
    if (fixed) return false;
    *out = (*s)[0] - '0';
    s->remove_prefix(1);
    return true;
  }
  *out = ((*s)[0] - '0') * 10 + ((*s)[1] - '0');
  s->remove_prefix(2);
  return true;
}

// Go's getnum3: one to three digits (exactly three when `fixed`).
bool GetNum3(std::string_view* s, bool fixed, int* out) {
  int n = 0;
  size_t i = 0;
  for (; i < 3 && IsDigitAt(*s, i); ++i) n = n * 10 + ((*s)[i] - '0');
  if (i == 0 || (fixed && i != 3)) return false;
  *out = n;
  s->remove_prefix(i);
  return true;
}

bool EqualFoldAscii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

template <size_t N>
bool Lookup(const std::array<std::string_view, N>& table, std::string_view* s,
            int* index) {
  for (size_t i = 0; i < N; ++i) {
    if (s->size() >= table[i].size() &&
        EqualFoldAscii(s->substr(0, table[i].size()), table[i])) {
      *index = static_cast<int>(i);
      s->remove_prefix(table[i].size());
      return true;
    }
  }
  return false;
}

// Go's skip: matches the literal `prefix`; a space in it matches any run of
// spaces (at least one when the value has any).
bool Skip(std::string_view* value, std::string_view prefix) {
  while (!prefix.empty()) {
    if (prefix[0] == ' ') {
      if (!value->empty() && (*value)[0] != ' ') return false;
      while (!prefix.empty() && prefix[0] == ' ') prefix.remove_prefix(1);
      while (!value->empty() && (*value)[0] == ' ') value->remove_prefix(1);
      continue;
    }
    if (value->empty() || (*value)[0] != prefix[0]) return false;
    prefix.remove_prefix(1);
    value->remove_prefix(1);
  }
  return true;
}

bool Atoi(std::string_view s, int64_t* out) {
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return false;
  int64_t x = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    if (x > (INT64_MAX - 9) / 10) return false;
    x = x * 10 + (c - '0');
  }
  *out = neg ? -x : x;
  return true;
}

// Go's parseNanoseconds: value[0] is the separator, then nbytes-1 digits.
bool ParseNanos(std::string_view value, size_t nbytes, int* nanos,
                std::string* range_err) {
  if (value.empty() || (value[0] != '.' && value[0] != ',')) return false;
  if (nbytes > 10) {
    value = value.substr(0, 10);
    nbytes = 10;
  }
  int64_t ns;
  if (!Atoi(value.substr(1, nbytes - 1), &ns)) return false;
  if (ns < 0) {
    *range_err = "fractional second";
    return true;
  }
  for (size_t i = 0; i < 10 - nbytes; ++i) ns *= 10;
  *nanos = static_cast<int>(ns);
  return true;
}

// Go's parseTimeZone: the length of a zone abbreviation at the start of
// `value`, or 0.
size_t TimeZoneLength(std::string_view value) {
  if (value.size() < 3) return 0;
  if (value.size() >= 4 &&
      (value.substr(0, 4) == "ChST" || value.substr(0, 4) == "MeST")) {
    return 4;
  }
  if (value.substr(0, 3) == "GMT") {
    // GMT, optionally followed by a signed hour offset.
    std::string_view rest = value.substr(3);
    if (rest.empty() || (rest[0] != '-' && rest[0] != '+')) return 3;
    size_t i = 1;
    int64_t x = 0;
    while (i < rest.size() && IsDigitAt(rest, i)) {
      x = x * 10 + (rest[i] - '0');
      ++i;
      if (x > 23) return 3;
    }
    if (i == 1) return 3;
    return 3 + i;
  }
  if (value[0] == '+' || value[0] == '-') {
    size_t i = 1;
    while (i < value.size() && i < 4 && IsDigitAt(value, i)) ++i;
    return i >= 3 ? i : 0;
  }
  size_t upper = 0;
  while (upper < value.size() && upper < 6 && value[upper] >= 'A' &&
         value[upper] <= 'Z') {
    ++upper;
  }
  switch (upper) {
    case 3:
      return 3;
    case 4:
      if (value[3] == 'T' || value.substr(0, 4) == "WITA") return 4;
      return 0;
    case 5:
      return value[4] == 'T' ? 5 : 0;
    default:
      return 0;
  }
}

int64_t DaysFromCivil(int64_t y, int m, int64_t d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool IsLeap(int64_t year) {
  return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

int DaysIn(int month, int64_t year) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeap(year)) return 29;
  return kDays[month - 1];
}

absl::Status ParseError(std::string_view layout, std::string_view value,
                        std::string_view layout_elem,
                        std::string_view value_elem) {
  return absl::InvalidArgumentError(
      "parsing time " + GoQuote(value) + " as " + GoQuote(layout) +
      ": cannot parse " + GoQuote(value_elem) + " as " + GoQuote(layout_elem));
}

absl::Status ParseErrorMessage(std::string_view value, std::string_view msg) {
  return absl::InvalidArgumentError("parsing time " + GoQuote(value) +
                                    std::string(msg));
}

}  // namespace

absl::StatusOr<Instant> Parse(std::string_view layout_in,
                              std::string_view value_in) {
  std::string_view layout = layout_in;
  std::string_view value = value_in;
  bool pm_set = false;
  bool am_set = false;
  int64_t year = 0;
  int month = -1;
  int day = -1;
  int yday = -1;
  int hour = 0;
  int min = 0;
  int sec = 0;
  int nsec = 0;
  bool utc_zone = false;
  int zone_offset = -1;

  while (true) {
    Chunk c = NextChunk(layout);
    if (!Skip(&value, c.prefix)) {
      return ParseError(layout_in, value_in, c.prefix, value);
    }
    if (c.std == kNone) {
      if (!value.empty()) {
        return ParseErrorMessage(value_in, ": extra text: " + GoQuote(value));
      }
      break;
    }
    layout = c.suffix;
    std::string_view hold = value;
    std::string range_err;
    bool ok = true;
    switch (c.std) {
      case kYear: {
        if (value.size() < 2) {
          ok = false;
          break;
        }
        int64_t y = 0;
        ok = Atoi(value.substr(0, 2), &y);
        value.remove_prefix(2);
        year = y >= 69 ? y + 1900 : y + 2000;
        break;
      }
      case kLongYear:
        if (value.size() < 4 || !IsDigitAt(value, 0)) {
          ok = false;
          break;
        }
        ok = Atoi(value.substr(0, 4), &year);
        value.remove_prefix(4);
        break;
      case kMonth:
        ok = Lookup(kShortMonthNames, &value, &month);
        month += 1;
        break;
      case kLongMonth:
        ok = Lookup(kLongMonthNames, &value, &month);
        month += 1;
        break;
      case kNumMonth:
      case kZeroMonth:
        ok = GetNum(&value, c.std == kZeroMonth, &month);
        if (ok && (month <= 0 || month > 12)) range_err = "month";
        break;
      case kWeekDay: {
        int ignored;
        ok = Lookup(kShortDayNames, &value, &ignored);
        break;
      }
      case kLongWeekDay: {
        int ignored;
        ok = Lookup(kLongDayNames, &value, &ignored);
        break;
      }
      case kDay:
      case kUnderDay:
      case kZeroDay:
        if (c.std == kUnderDay && !value.empty() && value[0] == ' ') {
          value.remove_prefix(1);
        }
        // Any one- or two-digit day; the date is checked at the end.
        ok = GetNum(&value, c.std == kZeroDay, &day);
        break;
      case kUnderYearDay:
      case kZeroYearDay:
        for (int i = 0; i < 2; ++i) {
          if (c.std == kUnderYearDay && !value.empty() && value[0] == ' ') {
            value.remove_prefix(1);
          }
        }
        ok = GetNum3(&value, c.std == kZeroYearDay, &yday);
        break;
      case kHour:
        ok = GetNum(&value, false, &hour);
        if (ok && (hour < 0 || hour >= 24)) range_err = "hour";
        break;
      case kHour12:
      case kZeroHour12:
        ok = GetNum(&value, c.std == kZeroHour12, &hour);
        if (ok && (hour < 0 || hour > 12)) range_err = "hour";
        break;
      case kMinute:
      case kZeroMinute:
        ok = GetNum(&value, c.std == kZeroMinute, &min);
        if (ok && (min < 0 || min >= 60)) range_err = "minute";
        break;
      case kSecond:
      case kZeroSecond: {
        ok = GetNum(&value, c.std == kZeroSecond, &sec);
        if (!ok) break;
        if (sec < 0 || sec >= 60) {
          range_err = "second";
          break;
        }
        // A fractional second in the value that the layout does not
        // mention is read anyway.
        if (value.size() >= 2 && (value[0] == '.' || value[0] == ',') &&
            IsDigitAt(value, 1)) {
          Chunk next = NextChunk(layout);
          if (next.std == kFracSecond0 || next.std == kFracSecond9) break;
          size_t n = 2;
          while (n < value.size() && IsDigitAt(value, n)) ++n;
          ok = ParseNanos(value, n, &nsec, &range_err);
          value.remove_prefix(n);
        }
        break;
      }
      case kPM:
      case kpm: {
        if (value.size() < 2) {
          ok = false;
          break;
        }
        std::string_view p = value.substr(0, 2);
        value.remove_prefix(2);
        if (p == (c.std == kPM ? "PM" : "pm")) {
          pm_set = true;
        } else if (p == (c.std == kPM ? "AM" : "am")) {
          am_set = true;
        } else {
          ok = false;
        }
        break;
      }
      case kISO8601TZ:
      case kISO8601ColonTZ:
      case kISO8601SecondsTZ:
      case kISO8601ShortTZ:
      case kISO8601ColonSecondsTZ:
      case kNumTZ:
      case kNumShortTZ:
      case kNumColonTZ:
      case kNumSecondsTz:
      case kNumColonSecondsTZ: {
        bool iso = IsIso8601Zone(c.std);
        if (iso && !value.empty() && value[0] == 'Z') {
          value.remove_prefix(1);
          utc_zone = true;
          break;
        }
        std::string_view sign, hh, mm, ss = "00";
        if (c.std == kISO8601ColonTZ || c.std == kNumColonTZ) {
          if (value.size() < 6 || value[3] != ':') {
            ok = false;
            break;
          }
          sign = value.substr(0, 1);
          hh = value.substr(1, 2);
          mm = value.substr(4, 2);
          value.remove_prefix(6);
        } else if (c.std == kNumShortTZ || c.std == kISO8601ShortTZ) {
          if (value.size() < 3) {
            ok = false;
            break;
          }
          sign = value.substr(0, 1);
          hh = value.substr(1, 2);
          mm = "00";
          value.remove_prefix(3);
        } else if (c.std == kISO8601ColonSecondsTZ ||
                   c.std == kNumColonSecondsTZ) {
          if (value.size() < 9 || value[3] != ':' || value[6] != ':') {
            ok = false;
            break;
          }
          sign = value.substr(0, 1);
          hh = value.substr(1, 2);
          mm = value.substr(4, 2);
          ss = value.substr(7, 2);
          value.remove_prefix(9);
        } else if (c.std == kISO8601SecondsTZ || c.std == kNumSecondsTz) {
          if (value.size() < 7) {
            ok = false;
            break;
          }
          sign = value.substr(0, 1);
          hh = value.substr(1, 2);
          mm = value.substr(3, 2);
          ss = value.substr(5, 2);
          value.remove_prefix(7);
        } else {
          if (value.size() < 5) {
            ok = false;
            break;
          }
          sign = value.substr(0, 1);
          hh = value.substr(1, 2);
          mm = value.substr(3, 2);
          value.remove_prefix(5);
        }
        int hr, mi, se;
        ok = GetNum(&hh, true, &hr) && GetNum(&mm, true, &mi) &&
             GetNum(&ss, true, &se);
        if (!ok) break;
        // Go allows 24 hours, 60 minutes and 60 seconds here.
        if (hr > 24) range_err = "time zone offset hour";
        if (mi > 60) range_err = "time zone offset minute";
        if (se > 60) range_err = "time zone offset second";
        zone_offset = (hr * 60 + mi) * 60 + se;
        if (sign[0] == '-') {
          zone_offset = -zone_offset;
        } else if (sign[0] != '+') {
          ok = false;
        }
        break;
      }
      case kTZ: {
        if (value.size() >= 3 && value.substr(0, 3) == "UTC") {
          value.remove_prefix(3);
          utc_zone = true;
          break;
        }
        size_t n = TimeZoneLength(value);
        if (n == 0) {
          ok = false;
          break;
        }
        // Go keeps the UTC reading for any other abbreviation.
        value.remove_prefix(n);
        break;
      }
      case kFracSecond0: {
        // Exactly as many digits as the layout has.
        size_t ndigit = 1 + static_cast<size_t>(c.frac_digits);
        if (value.size() < ndigit) {
          ok = false;
          break;
        }
        ok = ParseNanos(value, ndigit, &nsec, &range_err);
        value.remove_prefix(ndigit);
        break;
      }
      case kFracSecond9: {
        if (value.size() < 2 || (value[0] != '.' && value[0] != ',') ||
            !IsDigitAt(value, 1)) {
          break;  // The fractional second is optional.
        }
        // Any number of digits, as the seconds element would take.
        size_t i = 0;
        while (i + 1 < value.size() && IsDigitAt(value, i + 1)) ++i;
        ok = ParseNanos(value, 1 + i, &nsec, &range_err);
        value.remove_prefix(1 + i);
        break;
      }
      case kNone:
        break;
    }
    if (!range_err.empty()) {
      return ParseErrorMessage(value_in, ": " + range_err + " out of range");
    }
    if (!ok) return ParseError(layout_in, value_in, c.element, hold);
  }
  if (pm_set && hour < 12) {
    hour += 12;
  } else if (am_set && hour == 12) {
    hour = 0;
  }
  if (yday >= 0) {
    int d = 0;
    int m = 0;
    if (IsLeap(year)) {
      if (yday == 31 + 29) {
        m = 2;
        d = 29;
      } else if (yday > 31 + 29) {
        --yday;
      }
    }
    if (yday < 1 || yday > 365) {
      return ParseErrorMessage(value_in, ": day-of-year out of range");
    }
    if (m == 0) {
      static constexpr int kDaysBefore[] = {0,   31,  59,  90,  120, 151, 181,
                                            212, 243, 273, 304, 334, 365};
      m = (yday - 1) / 31 + 1;
      if (kDaysBefore[m] < yday) ++m;
      d = yday - kDaysBefore[m - 1];
    }
    if (month >= 0 && month != m) {
      return ParseErrorMessage(value_in, ": day-of-year does not match month");
    }
    month = m;
    if (day >= 0 && day != d) {
      return ParseErrorMessage(value_in, ": day-of-year does not match day");
    }
    day = d;
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  if (day < 1 || day > DaysIn(month, year)) {
    return ParseErrorMessage(value_in, ": day out of range");
  }
  Instant out;
  out.seconds = DaysFromCivil(year, month, day) * 86400 + hour * 3600 +
                min * 60 + sec;
  if (!utc_zone && zone_offset != -1) out.seconds -= zone_offset;
  out.nanos = nsec;
  return out;
}

namespace {

absl::Status InvalidDuration(std::string_view orig) {
  return absl::InvalidArgumentError("time: invalid duration " + GoQuote(orig));
}

constexpr uint64_t kMaxDuration = uint64_t{1} << 63;

}  // namespace

absl::StatusOr<int64_t> ParseDuration(std::string_view s) {
  std::string_view orig = s;
  uint64_t d = 0;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return 0;
  if (s.empty()) return InvalidDuration(orig);
  while (!s.empty()) {
    if (!(s[0] == '.' || IsDigitAt(s, 0))) return InvalidDuration(orig);
    // [0-9]*
    uint64_t v = 0;
    size_t i = 0;
    for (; i < s.size() && IsDigitAt(s, i); ++i) {
      if (v > kMaxDuration / 10) return InvalidDuration(orig);
      v = v * 10 + static_cast<uint64_t>(s[i] - '0');
      if (v > kMaxDuration) return InvalidDuration(orig);
    }
    bool pre = i > 0;
    s.remove_prefix(i);
    // (\.[0-9]*)?
    bool post = false;
    uint64_t f = 0;
    double scale = 1;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      size_t j = 0;
      bool overflow = false;
      for (; j < s.size() && IsDigitAt(s, j); ++j) {
        if (overflow) continue;
        if (f > (kMaxDuration - 1) / 10) {
          overflow = true;
          continue;
        }
        uint64_t y = f * 10 + static_cast<uint64_t>(s[j] - '0');
        if (y > kMaxDuration) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      post = j > 0;
      s.remove_prefix(j);
    }
    if (!pre && !post) return InvalidDuration(orig);
    // The unit runs to the next digit or '.'.
    size_t u = 0;
    while (u < s.size() && s[u] != '.' && !IsDigitAt(s, u)) ++u;
    if (u == 0) {
      return absl::InvalidArgumentError("time: missing unit in duration " +
                                        GoQuote(orig));
    }
    std::string_view unit_name = s.substr(0, u);
    s.remove_prefix(u);
    uint64_t unit;
    if (unit_name == "ns") {
      unit = 1;
    } else if (unit_name == "us" || unit_name == "\xC2\xB5s" ||
               unit_name == "\xCE\xBCs") {
      unit = 1000;
    } else if (unit_name == "ms") {
      unit = 1000000;
    } else if (unit_name == "s") {
      unit = 1000000000;
    } else if (unit_name == "m") {
      unit = 60000000000;
    } else if (unit_name == "h") {
      unit = 3600000000000;
    } else {
      return absl::InvalidArgumentError("time: unknown unit " +
                                        GoQuote(unit_name) + " in duration " +
                                        GoQuote(orig));
    }
    if (v > kMaxDuration / unit) return InvalidDuration(orig);
    v *= unit;
    if (f > 0) {
      v += static_cast<uint64_t>(static_cast<double>(f) *
                                 (static_cast<double>(unit) / scale));
      if (v > kMaxDuration) return InvalidDuration(orig);
    }
    d += v;
    if (d > kMaxDuration) return InvalidDuration(orig);
  }
  if (neg) return static_cast<int64_t>(0 - d);
  if (d > kMaxDuration - 1) return InvalidDuration(orig);
  return static_cast<int64_t>(d);
}

}  // namespace policyd::go_time
