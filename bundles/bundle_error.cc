#include "bundles/bundle_error.h"

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/types/optional.h"
#include "absl/strings/strip.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace policyd::bundles {
namespace {

constexpr char kFilePayload[] = "type.policyd.dev/bundles.ErrorFile";

// Finds "line L, column C" in `text`.
bool FindLineColumn(absl::string_view text, int* line, int* col) {
  size_t at = text.find("line ");
  if (at == absl::string_view::npos) return false;
  absl::string_view rest = text.substr(at + 5);
  size_t comma = rest.find(", column ");
  if (comma == absl::string_view::npos) return false;
  absl::string_view col_text = rest.substr(comma + 9);
  size_t n = 0;
  while (n < col_text.size() && absl::ascii_isdigit(col_text[n])) ++n;
  return absl::SimpleAtoi(rest.substr(0, comma), line) &&
         absl::SimpleAtoi(col_text.substr(0, n), col);
}

// Reads "DIGITS:" at the front of `text`.
bool ConsumeNumber(absl::string_view* text, int* out) {
  size_t n = 0;
  while (n < text->size() && absl::ascii_isdigit((*text)[n])) ++n;
  if (n == 0 || n >= text->size() || (*text)[n] != ':') return false;
  if (!absl::SimpleAtoi(text->substr(0, n), out)) return false;
  text->remove_prefix(n + 1);
  return true;
}

}  // namespace

std::string BundleError::ToString() const {
  std::string out = bundle.empty() ? "" : absl::StrCat("bundle ", bundle, ": ");
  if (!file.empty()) {
    absl::StrAppend(&out, file);
    if (line > 0) absl::StrAppend(&out, ":", line);
    if (col > 0) absl::StrAppend(&out, ":", col);
    absl::StrAppend(&out, ": ");
  }
  absl::StrAppend(&out, message);
  return out;
}

absl::Status WithErrorFile(absl::Status status, const std::string& file) {
  status.SetPayload(kFilePayload, absl::Cord(file));
  return status;
}

BundleError ErrorFromLoadStatus(const std::string& bundle,
                                const absl::Status& status) {
  BundleError e;
  e.bundle = bundle;
  absl::string_view message = status.message();
  if (absl::optional<absl::Cord> file = status.GetPayload(kFilePayload)) {
    e.file = std::string(*file);
    absl::ConsumePrefix(&message, e.file + ": ");
    FindLineColumn(message, &e.line, &e.col);
  }
  e.message = std::string(message);
  return e;
}

std::vector<BundleError> ErrorsFromCompileStatus(const absl::Status& status) {
  std::vector<BundleError> out;
  for (absl::string_view line :
       absl::StrSplit(status.message(), '\n', absl::SkipWhitespace())) {
    BundleError e;
    size_t slash = line.find('/');
    size_t colon = line.find(':');
    absl::string_view rest = line;
    if (slash != absl::string_view::npos && colon != absl::string_view::npos &&
        slash < colon) {
      rest = line.substr(colon + 1);
      int l = 0, c = 0;
      if (ConsumeNumber(&rest, &l)) {
        ConsumeNumber(&rest, &c);
        e.bundle = std::string(line.substr(0, slash));
        e.file = std::string(line.substr(slash + 1, colon - slash - 1));
        e.line = l;
        e.col = c;
        e.message = std::string(absl::StripLeadingAsciiWhitespace(rest));
        out.push_back(std::move(e));
        continue;
      }
    }
    e.message = std::string(line);
    out.push_back(std::move(e));
  }
  if (out.empty()) out.push_back({"", "", 0, 0, std::string(status.message())});
  return out;
}

}  // namespace policyd::bundles
