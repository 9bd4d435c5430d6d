#include "admission/fields.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace policyd::admission {

const Value* FieldAt(const Value& v,
                     std::initializer_list<std::string_view> path) {
  const Value* at = &v;
  for (std::string_view key : path) {
    if (!at->is_object()) return nullptr;
    at = at->Find(key);
    if (at == nullptr) return nullptr;
  }
  return at;
}

std::string StringAt(const Value& v,
                     std::initializer_list<std::string_view> path) {
  const Value* at = FieldAt(v, path);
  return at != nullptr && at->is_string() ? std::string(at->string()) : "";
}

absl::StatusOr<std::vector<std::string>> StringList(const Value* v,
                                                    absl::string_view field) {
  std::vector<std::string> out;
  if (v == nullptr || v->is_null()) return out;
  if (!v->is_array()) return FieldError(field, "expected a list of strings");
  for (const Value& e : v->elements()) {
    if (!e.is_string()) return FieldError(field, "expected a list of strings");
    out.emplace_back(e.string());
  }
  return out;
}

absl::Status FieldError(absl::string_view field, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", what));
}

bool GlobMatches(absl::string_view pattern, absl::string_view candidate) {
  bool leading = absl::StartsWith(pattern, "*");
  bool trailing = pattern.size() > 1 && absl::EndsWith(pattern, "*");
  if (pattern == "*") return true;
  if (leading && trailing) {
    return absl::StrContains(candidate, pattern.substr(1, pattern.size() - 2));
  }
  if (leading) return absl::EndsWith(candidate, pattern.substr(1));
  if (trailing) {
    return absl::StartsWith(candidate, pattern.substr(0, pattern.size() - 1));
  }
  return pattern == candidate;
}

}  // namespace policyd::admission
