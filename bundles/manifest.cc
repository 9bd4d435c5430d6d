#include "bundles/manifest.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "engine/value/json.h"
#include "util/status_macros.h"

namespace policyd::bundles {
namespace {

std::string NormalisePath(absl::string_view path) {
  while (absl::ConsumePrefix(&path, "/")) {
  }
  while (absl::ConsumeSuffix(&path, "/")) {
  }
  return std::string(path);
}

absl::StatusOr<ast::RegoVersion> ParseVersion(const Value& v,
                                              const std::string& field) {
  int64_t n = -1;
  if (v.is_number() && v.AsInt64(&n) && (n == 0 || n == 1)) {
    return n == 0 ? ast::RegoVersion::kV0 : ast::RegoVersion::kV1;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      ".manifest: ", field, " must be 0 or 1, got ", v.ToJson()));
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view path) {
  if (pattern.empty()) return path.empty();
  if (pattern.substr(0, 2) == "**") {
    std::string_view rest = pattern.substr(2);
    for (size_t i = 0; i <= path.size(); ++i) {
      if (GlobMatch(rest, path.substr(i))) return true;
    }
    return false;
  }
  if (pattern[0] == '*') {
    std::string_view rest = pattern.substr(1);
    for (size_t i = 0; i <= path.size(); ++i) {
      if (GlobMatch(rest, path.substr(i))) return true;
      if (i < path.size() && path[i] == '/') break;
    }
    return false;
  }
  if (path.empty()) return false;
  if (pattern[0] == '?' ? path[0] != '/' : pattern[0] == path[0]) {
    return GlobMatch(pattern.substr(1), path.substr(1));
  }
  return false;
}

ast::RegoVersion Manifest::VersionOf(std::string_view path) const {
  std::string normalised = NormalisePath(std::string(path));
  for (const auto& [pattern, version] : file_rego_versions) {
    if (pattern == normalised) return version;
  }
  for (const auto& [pattern, version] : file_rego_versions) {
    if (GlobMatch(pattern, normalised)) return version;
  }
  return rego_version;
}

absl::StatusOr<Manifest> ParseManifest(std::string_view text) {
  absl::StatusOr<Value> parsed = ParseJson(text);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(".manifest: invalid JSON: ", parsed.status().message()));
  }
  if (!parsed->is_object()) {
    return absl::InvalidArgumentError(".manifest: must be a JSON object");
  }
  Manifest m;
  if (const Value* v = parsed->Find("revision"); v && !v->is_null()) {
    if (!v->is_string()) {
      return absl::InvalidArgumentError(absl::StrCat(
          ".manifest: revision must be a string, got ", v->ToJson()));
    }
    m.revision = std::string(v->string());
  }
  if (const Value* v = parsed->Find("roots"); v && !v->is_null()) {
    if (!v->is_array()) {
      return absl::InvalidArgumentError(absl::StrCat(
          ".manifest: roots must be an array of strings, got ", v->ToJson()));
    }
    m.roots.clear();
    for (const Value& root : v->elements()) {
      if (!root.is_string()) {
        return absl::InvalidArgumentError(absl::StrCat(
            ".manifest: roots must be an array of strings, got element ",
            root.ToJson()));
      }
      m.roots.push_back(NormalisePath(std::string(root.string())));
    }
  }
  if (const Value* v = parsed->Find("rego_version"); v && !v->is_null()) {
    POLICYD_ASSIGN_OR_RETURN(ast::RegoVersion version, ParseVersion(*v, "rego_version"));
    m.rego_version = version;
  }
  if (const Value* v = parsed->Find("file_rego_versions"); v && !v->is_null()) {
    if (!v->is_object()) {
      return absl::InvalidArgumentError(absl::StrCat(
          ".manifest: file_rego_versions must be an object, got ",
          v->ToJson()));
    }
    for (const auto& [key, version_value] : v->entries()) {
      POLICYD_ASSIGN_OR_RETURN(ast::RegoVersion version,
                               ParseVersion(version_value, absl::StrCat("file_rego_versions[",
                                                                        key.ToJson(), "]")));
      m.file_rego_versions.emplace_back(
          NormalisePath(std::string(key.string())), version);
    }
  }
  if (const Value* v = parsed->Find("metadata"); v && !v->is_null()) {
    if (!v->is_object()) {
      return absl::InvalidArgumentError(absl::StrCat(
          ".manifest: metadata must be an object, got ", v->ToJson()));
    }
    m.metadata = *v;
  }
  return m;
}

}  // namespace policyd::bundles
