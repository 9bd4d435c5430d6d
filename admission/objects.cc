#include "admission/objects.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "admission/fields.h"
#include "bundles/yaml_data.h"
#include "util/files.h"
#include "util/status_macros.h"

namespace policyd::admission {
namespace {

// Files and objects below one inventory or suite directory.
constexpr size_t kMaxFiles = 10000;

bool IsObjectFile(const std::filesystem::path& p) {
  std::string ext = p.extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

}  // namespace

std::string ObjectLabel(const Value& object) {
  std::string kind = StringAt(object, {"kind"});
  std::string name = StringAt(object, {"metadata", "name"});
  return absl::StrCat(kind.empty() ? "object" : kind, " ",
                      name.empty() ? "(no name)" : name);
}

absl::StatusOr<std::vector<ObjectSource>> ParseObjects(std::string_view text,
                                                       absl::string_view file) {
  absl::StatusOr<std::vector<Value>> docs = bundles::ParseYamlDocuments(text);
  if (!docs.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(file, ": ", docs.status().message()));
  }
  std::vector<ObjectSource> out;
  for (Value& doc : *docs) {
    if (!doc.is_object()) {
      return absl::InvalidArgumentError(
          absl::StrCat(file, ": a document is not a Kubernetes object"));
    }
    const Value* items = doc.Find("items");
    if (StringAt(doc, {"kind"}) == "List" && items != nullptr &&
        items->is_array()) {
      for (const Value& item : items->elements()) {
        out.push_back({std::string(file), item});
      }
      continue;
    }
    out.push_back({std::string(file), std::move(doc)});
  }
  return out;
}

absl::StatusOr<std::vector<ObjectSource>> ReadObjects(const std::string& path) {
  std::error_code ec;
  std::vector<std::string> files;
  if (std::filesystem::is_directory(path, ec)) {
    for (auto it = std::filesystem::recursive_directory_iterator(path, ec);
         !ec && it != std::filesystem::recursive_directory_iterator();
         it.increment(ec)) {
      if (it->is_regular_file(ec) && IsObjectFile(it->path())) {
        files.push_back(it->path().string());
      }
      if (files.size() > kMaxFiles) {
        return absl::InvalidArgumentError(
            absl::StrCat(path, ": more than ", kMaxFiles, " files"));
      }
    }
    if (ec) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": ", ec.message()));
    }
    std::sort(files.begin(), files.end());
  } else {
    files.push_back(path);
  }
  std::vector<ObjectSource> out;
  for (const std::string& file : files) {
    POLICYD_ASSIGN_OR_RETURN(std::string text, ReadFile(file));
    POLICYD_ASSIGN_OR_RETURN(std::vector<ObjectSource> objects,
                             ParseObjects(text, file));
    for (ObjectSource& o : objects) out.push_back(std::move(o));
  }
  return out;
}

}  // namespace policyd::admission
