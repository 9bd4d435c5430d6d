#include "service/cli/policy_loader.h"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bundles/manifest.h"
#include "bundles/bundle.h"
#include "bundles/data_tree.h"
#include "bundles/yaml_data.h"
#include "engine/value/json.h"
#include "util/files.h"
#include "util/status_macros.h"

namespace policyd {
namespace fs = std::filesystem;
namespace {

bool IsYamlName(const std::string& name) {
  return absl::EndsWith(name, ".yaml") || absl::EndsWith(name, ".yml");
}

bool IsDataFileName(const std::string& name) {
  return name == "data.json" || name == "data.yaml" || name == "data.yml";
}

bundles::DataPath FolderPath(const fs::path& folder) {
  bundles::DataPath path;
  for (const fs::path& part : folder) {
    std::string text = part.string();
    if (!text.empty() && text != ".") path.push_back(std::move(text));
  }
  return path;
}

class Loader {
 public:
  Loader(ast::RegoVersion version, const std::vector<std::string>& ignore)
      : version_(version), ignore_(ignore) {}

  absl::Status AddPath(const std::string& path) {
    std::error_code ec;
    fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      return absl::NotFoundError(
          absl::StrCat(path, ": no such file or directory"));
    }
    if (fs::is_directory(status)) return AddDirectory(path);
    if (absl::EndsWith(path, ".rego")) return AddModule(path);
    return AddData(path, {});
  }

  LoadedPolicies Finish() && {
    return {std::move(modules_), data_.Build()};
  }

 private:
  absl::Status AddModule(const std::string& path) {
    POLICYD_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
    modules_.push_back({path, std::move(text), version_});
    return absl::OkStatus();
  }

  absl::Status AddData(const std::string& path, bundles::DataPath at) {
    POLICYD_ASSIGN_OR_RETURN(Value doc, LoadDocumentFile(path));
    return data_.Insert(at, std::move(doc), path);
  }

  absl::Status AddDirectory(const fs::path& root) {
    std::error_code ec;
    std::vector<fs::path> files;
    for (fs::recursive_directory_iterator
             it(root, fs::directory_options::follow_directory_symlink, ec),
         end;
         !ec && it != end; it.increment(ec)) {
      if (it->is_regular_file(ec)) files.push_back(it->path());
    }
    if (ec) {
      return absl::NotFoundError(absl::StrCat(root.string(), ": ", ec.message()));
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) {
      if (IsIgnoredPath(file.lexically_relative(root).generic_string(), ignore_)) {
        continue;
      }
      std::string name = file.filename().string();
      absl::Status status = absl::OkStatus();
      if (absl::EndsWith(name, ".rego")) {
        // `dir/./a.rego` is named `dir/a.rego`, as OPA names it.
        status = AddModule(file.lexically_normal().string());
      } else if (IsDataFileName(name)) {
        status = AddData(file.string(),
                         FolderPath(file.parent_path().lexically_relative(root)));
      }
      if (!status.ok()) return status;
    }
    return absl::OkStatus();
  }

  ast::RegoVersion version_;
  const std::vector<std::string>& ignore_;
  std::vector<SourceModule> modules_;
  bundles::DataTree data_;
};

}  // namespace

absl::StatusOr<Value> LoadDocumentFile(const std::string& path) {
  POLICYD_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  absl::StatusOr<Value> doc =
      IsYamlName(path) ? bundles::ParseYaml(text) : ParseJson(text);
  if (!doc.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", doc.status().message()));
  }
  return doc;
}

bool IsIgnoredPath(std::string_view relative_path,
                   const std::vector<std::string>& ignore) {
  if (ignore.empty()) return false;
  for (absl::string_view segment : absl::StrSplit(
           absl::string_view(relative_path.data(), relative_path.size()), '/')) {
    for (const std::string& pattern : ignore) {
      if (bundles::GlobMatch(pattern, std::string_view(segment.data(), segment.size()))) {
        return true;
      }
    }
  }
  return false;
}

absl::StatusOr<LoadedPolicies> LoadPolicyPaths(
    const std::vector<std::string>& paths, ast::RegoVersion version,
    const std::vector<std::string>& ignore) {
  Loader loader(version, ignore);
  for (const std::string& path : paths) {
    POLICYD_RETURN_IF_ERROR(loader.AddPath(path));
  }
  return std::move(loader).Finish();
}

absl::StatusOr<LoadedPolicies> LoadBundlePaths(
    const std::vector<std::string>& paths) {
  LoadedPolicies loaded;
  bundles::DataTree data;
  for (const std::string& path : paths) {
    absl::StatusOr<bundles::Bundle> bundle =
        bundles::LoadBundle(path, path, bundles::LoadOptions());
    if (!bundle.ok()) {
      return absl::Status(bundle.status().code(),
                          absl::StrCat(path, ": ", bundle.status().message()));
    }
    for (SourceModule& module : bundle->modules) {
      loaded.modules.push_back(std::move(module));
    }
    for (bundles::DataDocument& doc : bundle->data) {
      absl::Status status = data.Insert(doc.path, std::move(doc.value),
                                        absl::StrCat(path, "/", doc.file));
      if (!status.ok()) return status;
    }
  }
  loaded.data = data.Build();
  return loaded;
}

}  // namespace policyd
