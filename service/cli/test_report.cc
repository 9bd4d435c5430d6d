#include "service/cli/test_report.h"

#include <cstdint>
#include <cstdlib>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "service/cli/eval_output.h"

namespace policyd {
namespace {

using Outcome = TestResult::Outcome;

absl::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPass: return "PASS";
    case Outcome::kFail: return "FAIL";
    case Outcome::kError: return "ERROR";
    case Outcome::kSkip: return "SKIPPED";
  }
  return "";
}

std::string ResultLine(const TestResult& r) {
  std::string line = absl::StrCat(r.package, ".", r.name, ": ", OutcomeName(r.outcome));
  if (r.outcome != Outcome::kSkip) {
    absl::StrAppend(&line, " (", FormatGoDuration(r.duration), ")");
  }
  return line;
}

// `digits` decimals of `frac`, without trailing zeros (and without the
// point when nothing is left).
std::string Fraction(uint64_t frac, int digits) {
  if (frac == 0) return "";
  std::string text = std::to_string(frac);
  text.insert(0, digits - text.size(), '0');
  while (text.back() == '0') text.pop_back();
  return "." + text;
}

std::string Indented(absl::string_view text) {
  std::string out;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    absl::StrAppend(&out, "  ", line, "\n");
  }
  return out;
}

}  // namespace

std::string FormatGoDuration(absl::Duration d) {
  int64_t ns = absl::ToInt64Nanoseconds(d);
  if (ns == 0) return "0s";
  std::string sign = ns < 0 ? "-" : "";
  uint64_t u = ns < 0 ? -static_cast<uint64_t>(ns) : static_cast<uint64_t>(ns);
  if (u < 1000) return absl::StrCat(sign, u, "ns");
  if (u < 1000000) return absl::StrCat(sign, u / 1000, Fraction(u % 1000, 3), "µs");
  if (u < 1000000000) {
    return absl::StrCat(sign, u / 1000000, Fraction(u % 1000000, 6), "ms");
  }
  uint64_t secs = u / 1000000000;
  std::string out = sign;
  uint64_t hours = secs / 3600, minutes = secs / 60 % 60;
  if (hours > 0) absl::StrAppend(&out, hours, "h");
  if (hours > 0 || minutes > 0) absl::StrAppend(&out, minutes, "m");
  absl::StrAppend(&out, secs % 60, Fraction(u % 1000000000, 9), "s");
  return out;
}

std::string FormatTestsPretty(const std::vector<TestResult>& results,
                              bool verbose) {
  std::string out;
  int pass = 0, fail = 0, skip = 0, errors = 0;
  for (const TestResult& r : results) {
    switch (r.outcome) {
      case Outcome::kPass: ++pass; break;
      case Outcome::kFail: ++fail; break;
      case Outcome::kSkip: ++skip; break;
      case Outcome::kError: ++errors; break;
    }
  }
  const std::string hl = std::string(80, '-') + "\n";
  if (fail > 0 && verbose) {
    absl::StrAppend(&out, "FAILURES\n", hl);
    for (const TestResult& r : results) {
      if (r.outcome == Outcome::kFail) absl::StrAppend(&out, ResultLine(r), "\n\n");
    }
    absl::StrAppend(&out, "SUMMARY\n", hl);
  }
  bool dirty = false;
  std::string last_file;
  for (const TestResult& r : results) {
    if (verbose || r.outcome != Outcome::kPass) {
      if (r.file != last_file) {
        if (!last_file.empty()) out += "\n";
        absl::StrAppend(&out, r.file, ":\n");
        last_file = r.file;
      }
      dirty = true;
      absl::StrAppend(&out, ResultLine(r), "\n");
      absl::string_view output = absl::StripAsciiWhitespace(r.output);
      if (!output.empty()) absl::StrAppend(&out, "\n", Indented(output), "\n");
    }
    if (r.outcome == Outcome::kError) {
      absl::StrAppend(&out, "  ", r.error.message(), "\n");
    }
  }
  if (dirty) out += hl;
  int total = pass + fail + skip + errors;
  if (pass) absl::StrAppend(&out, "PASS: ", pass, "/", total, "\n");
  if (fail) absl::StrAppend(&out, "FAIL: ", fail, "/", total, "\n");
  if (skip) absl::StrAppend(&out, "SKIPPED: ", skip, "/", total, "\n");
  if (errors) absl::StrAppend(&out, "ERROR: ", errors, "/", total, "\n");
  return out;
}

std::string FormatTestsJson(const std::vector<TestResult>& results) {
  std::string out = "[";
  for (size_t i = 0; i < results.size(); ++i) {
    const TestResult& r = results[i];
    if (i > 0) out.push_back(',');
    AppendJsonNewline(1, &out);
    JsonObjectWriter item(1, &out);
    JsonObjectWriter location(2, item.Key("location"));
    Value::String(r.file).AppendJson(location.Key("file"));
    absl::StrAppend(location.Key("row"), r.location.line);
    absl::StrAppend(location.Key("col"), r.location.col);
    location.Close();
    Value::String(r.package).AppendJson(item.Key("package"));
    Value::String(r.name).AppendJson(item.Key("name"));
    if (r.outcome == Outcome::kFail) absl::StrAppend(item.Key("fail"), "true");
    if (r.outcome == Outcome::kError) AppendErrorJson(r.error, 2, item.Key("error"));
    if (r.outcome == Outcome::kSkip) absl::StrAppend(item.Key("skip"), "true");
    absl::StrAppend(item.Key("duration"), absl::ToInt64Nanoseconds(r.duration));
    if (!r.output.empty()) {
      Value::String(absl::Base64Escape(r.output)).AppendJson(item.Key("output"));
    }
    item.Close();
  }
  if (!results.empty()) AppendJsonNewline(0, &out);
  out += "]\n";
  return out;
}

}  // namespace policyd
