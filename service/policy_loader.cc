#include "service/policy_loader.h"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "engine/value/json.h"
#include "service/files.h"
#include "service/yaml.h"

namespace policyd {
namespace fs = std::filesystem;
namespace {

bool IsYamlName(const std::string& name) {
  return absl::EndsWith(name, ".yaml") || absl::EndsWith(name, ".yml");
}

bool IsDataFileName(const std::string& name) {
  return name == "data.json" || name == "data.yaml" || name == "data.yml";
}

// {"a": {"b": value}} for the folder path a/b.
Value PlaceAt(const fs::path& folder, Value value) {
  std::vector<std::string> parts;
  for (const fs::path& part : folder) {
    std::string text = part.string();
    if (!text.empty() && text != ".") parts.push_back(std::move(text));
  }
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    value = Value::Object({{Value::String(*it), std::move(value)}});
  }
  return value;
}

absl::Status AddModule(const std::string& path, ast::RegoVersion version,
                       LoadedPolicies* loaded) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  loaded->modules.push_back({path, *std::move(text), version});
  return absl::OkStatus();
}

absl::Status AddData(const std::string& path, const fs::path& folder,
                     LoadedPolicies* loaded) {
  absl::StatusOr<Value> doc = LoadDocumentFile(path);
  if (!doc.ok()) return doc.status();
  absl::StatusOr<Value> merged =
      MergeDocuments(loaded->data, PlaceAt(folder, *std::move(doc)), "data");
  if (!merged.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", merged.status().message()));
  }
  loaded->data = *std::move(merged);
  return absl::OkStatus();
}

absl::Status LoadDirectory(const fs::path& root, ast::RegoVersion version,
                           LoadedPolicies* loaded) {
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::recursive_directory_iterator it(
           root, fs::directory_options::follow_directory_symlink, ec), end;
       !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec)) files.push_back(it->path());
  }
  if (ec) {
    return absl::NotFoundError(
        absl::StrCat(root.string(), ": ", ec.message()));
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    std::string name = file.filename().string();
    absl::Status status = absl::OkStatus();
    if (absl::EndsWith(name, ".rego")) {
      status = AddModule(file.string(), version, loaded);
    } else if (IsDataFileName(name)) {
      status = AddData(file.string(),
                       file.parent_path().lexically_relative(root), loaded);
    }
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Value> LoadDocumentFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  absl::StatusOr<Value> doc =
      IsYamlName(path) ? ParseYaml(*text) : ParseJson(*text);
  if (!doc.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", doc.status().message()));
  }
  return doc;
}

absl::StatusOr<Value> MergeDocuments(const Value& base, const Value& overlay,
                                     const std::string& where) {
  if (!base.is_object() || !overlay.is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat("merge error: conflicting values at ", where));
  }
  std::vector<ObjectEntry> entries = base.entries();  // sorted by key
  for (const ObjectEntry& entry : overlay.entries()) {
    auto it = std::lower_bound(
        entries.begin(), entries.end(), entry.first,
        [](const ObjectEntry& e, const Value& key) { return e.first < key; });
    if (it == entries.end() || it->first != entry.first) {
      entries.insert(it, entry);
      continue;
    }
    std::string key = entry.first.is_string() ? std::string(entry.first.string())
                                              : entry.first.ToJson();
    absl::StatusOr<Value> merged =
        MergeDocuments(it->second, entry.second, absl::StrCat(where, ".", key));
    if (!merged.ok()) return merged.status();
    it->second = *std::move(merged);
  }
  return Value::ObjectFromSorted(std::move(entries));
}

absl::StatusOr<LoadedPolicies> LoadPolicyPaths(
    const std::vector<std::string>& paths, ast::RegoVersion version) {
  LoadedPolicies loaded;
  loaded.data = Value::Object({});
  for (const std::string& path : paths) {
    std::error_code ec;
    fs::file_status status = fs::status(path, ec);
    absl::Status result = absl::OkStatus();
    if (ec || !fs::exists(status)) {
      result = absl::NotFoundError(absl::StrCat(path, ": no such file or directory"));
    } else if (fs::is_directory(status)) {
      result = LoadDirectory(path, version, &loaded);
    } else if (absl::EndsWith(path, ".rego")) {
      result = AddModule(path, version, &loaded);
    } else {
      result = AddData(path, fs::path(), &loaded);
    }
    if (!result.ok()) return result;
  }
  return loaded;
}

}  // namespace policyd
