#include "tests/conformance/conformance_case.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "engine/value/json.h"
#include "util/files.h"
#include "util/status_macros.h"

namespace policyd::conformance {
namespace fs = std::filesystem;
namespace {

absl::Status FieldError(const std::string& id, const char* field,
                        const char* want) {
  return absl::InvalidArgumentError(
      absl::StrCat(id, ": field \"", field, "\" must be ", want));
}

// Reads an optional string field into `out`.
absl::Status TakeString(const Value& c, const std::string& id,
                        const char* field, std::optional<std::string>* out) {
  const Value* v = c.Find(std::string_view(field));
  if (v == nullptr) return absl::OkStatus();
  if (!v->is_string()) return FieldError(id, field, "a string");
  *out = std::string(v->string());
  return absl::OkStatus();
}

absl::Status TakeBool(const Value& c, const std::string& id, const char* field,
                      bool* out) {
  const Value* v = c.Find(std::string_view(field));
  if (v == nullptr) return absl::OkStatus();
  if (!v->is_bool()) return FieldError(id, field, "a boolean");
  *out = v->boolean();
  return absl::OkStatus();
}

absl::StatusOr<ConformanceCase> ParseCase(const Value& c, std::string id) {
  ConformanceCase out;
  out.id = std::move(id);
  out.folder = out.id.substr(0, out.id.find('/'));
  if (!c.is_object()) return FieldError(out.id, "case", "an object");
  std::optional<std::string> text;
  absl::Status status = TakeString(c, out.id, "note", &text);
  if (!status.ok()) return status;
  out.note = text.value_or("");
  text.reset();
  if (!(status = TakeString(c, out.id, "query", &text)).ok()) return status;
  if (!text) return FieldError(out.id, "query", "present");
  out.query = *text;
  if (const Value* modules = c.Find("modules")) {
    if (!modules->is_array()) return FieldError(out.id, "modules", "an array");
    for (const Value& m : modules->elements()) {
      if (!m.is_string()) return FieldError(out.id, "modules", "strings");
      out.modules.emplace_back(m.string());
    }
  }
  if (const Value* data = c.Find("data")) out.data = *data;
  if (const Value* input = c.Find("input")) out.input = *input;
  if (!(status = TakeString(c, out.id, "input_term", &out.input_term)).ok() ||
      !(status = TakeString(c, out.id, "want_error", &out.want_error)).ok() ||
      !(status = TakeString(c, out.id, "want_error_code",
                            &out.want_error_code)).ok() ||
      !(status = TakeBool(c, out.id, "sort_bindings", &out.sort_bindings)).ok() ||
      !(status = TakeBool(c, out.id, "strict_error", &out.strict_error)).ok() ||
      !(status = TakeBool(c, out.id, "ignore_generated_vars",
                          &out.ignore_generated_vars)).ok()) {
    return status;
  }
  if (const Value* want = c.Find("want_result")) {
    if (!want->is_array()) return FieldError(out.id, "want_result", "an array");
    out.want_result = *want;
  }
  if (const Value* env = c.Find("env")) {
    if (!env->is_object()) return FieldError(out.id, "env", "an object");
    for (const auto& [key, value] : env->entries()) {
      if (!key.is_string() || !value.is_string()) {
        return FieldError(out.id, "env", "an object of strings");
      }
      out.env.emplace_back(key.string(), value.string());
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<ConformanceCase>> ParseCaseFile(
    const std::string& text, const std::string& id_prefix) {
  absl::StatusOr<Value> doc = ParseJson(text);
  if (!doc.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(id_prefix, ": ", doc.status().message()));
  }
  const Value* cases = doc->Find("cases");
  if (cases == nullptr || !cases->is_array()) {
    return FieldError(id_prefix, "cases", "an array");
  }
  std::vector<ConformanceCase> out;
  for (size_t i = 0; i < cases->elements().size(); ++i) {
    POLICYD_ASSIGN_OR_RETURN(ConformanceCase c,
                             ParseCase(cases->elements()[i], absl::StrCat(id_prefix, "#", i)));
    out.push_back(std::move(c));
  }
  return out;
}

absl::StatusOr<std::vector<ConformanceCase>> LoadSuite(const std::string& dir) {
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::directory_iterator folders(dir, ec), end; !ec && folders != end;
       folders.increment(ec)) {
    if (!folders->is_directory(ec)) continue;
    for (fs::directory_iterator it(folders->path(), ec); !ec && it != end;
         it.increment(ec)) {
      if (it->path().extension() == ".json") files.push_back(it->path());
    }
  }
  if (ec) {
    return absl::NotFoundError(absl::StrCat(dir, ": ", ec.message()));
  }
  if (files.empty()) {
    return absl::NotFoundError(absl::StrCat(dir, ": no conformance cases"));
  }
  std::sort(files.begin(), files.end());
  std::vector<ConformanceCase> all;
  for (const fs::path& file : files) {
    POLICYD_ASSIGN_OR_RETURN(std::string text, ReadFile(file.string()));
    std::string prefix = absl::StrCat(file.parent_path().filename().string(),
                                      "/", file.filename().string());
    POLICYD_ASSIGN_OR_RETURN(std::vector<ConformanceCase> cases, ParseCaseFile(text, prefix));
    for (ConformanceCase& c : cases) all.push_back(std::move(c));
  }
  return all;
}

}  // namespace policyd::conformance
